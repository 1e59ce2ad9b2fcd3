// The stage types a pipeline file can use, by `type:`.
import type { StageKind } from "../stage-kind.js";
import { evalStage } from "./eval.js";
import { grpoStage } from "./grpo.js";
import { rejectionSamplingStage } from "./rejection-sampling.js";
import { sftStage } from "./sft.js";
import { starStage } from "./star.js";

export const STAGE_KINDS: readonly StageKind[] = [sftStage, starStage, rejectionSamplingStage, grpoStage, evalStage];

export function stageKind(type: string): StageKind | undefined {
  return STAGE_KINDS.find((k) => k.type === type);
}
