// The stage types a pipeline file can use, by `type:`.
import type { StageKind } from "../stage-kind.js";
import { evalStage } from "./eval.js";
import { grpoStage } from "./grpo.js";
import { sftStage } from "./sft.js";

export const STAGE_KINDS: readonly StageKind[] = [sftStage, evalStage, grpoStage];

export function stageKind(type: string): StageKind | undefined {
  return STAGE_KINDS.find((k) => k.type === type);
}
