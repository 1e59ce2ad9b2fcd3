// The frame the algorithm stages (grpo, star, rejection_sampling) share: on --resume a complete stage hands back
// what it recorded; otherwise the stage is started in the manifest, naming its model, and marked failed if it throws.
import { existsSync } from "node:fs";
import type { StageContext, StageResult } from "../run/stage.js";
import { loadModelInput, type ModelInput, type PolicyModel } from "./model-input.js";

/** When resuming a stage recorded complete whose `output` still exists: its recorded outputs and summary. */
export function completedStage(ctx: StageContext, output: "checkpoint" | "dataset"): StageResult | undefined {
  const { run } = ctx;
  const record = run.stage(ctx.stage);
  if (!ctx.resume || record?.status !== "complete" || !record.outputs[output] || !existsSync(run.path(record.outputs[output]))) return undefined;
  const { checkpoint, dataset } = record.outputs;
  return { ...(checkpoint ? { checkpoint: run.path(checkpoint) } : {}), ...(dataset ? { dataset: run.path(dataset) } : {}), summary: record.summary ?? {} };
}

/** Loads the model, starts the stage (recording the model's source) and runs `body`, failing the stage if it throws. */
export async function runModelStage(ctx: StageContext, kind: string, model: ModelInput, body: (input: PolicyModel) => Promise<StageResult>): Promise<StageResult> {
  const { run, stage } = ctx;
  const input = await loadModelInput(model);
  run.startStage(stage, kind, { model: input.source ? run.relative(input.source) : "(in memory)" });
  try {
    return await body(input);
  } catch (e) {
    run.failStage(stage, (e as Error).message);
    throw e;
  }
}
