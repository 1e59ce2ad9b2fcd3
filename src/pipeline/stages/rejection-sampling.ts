// The `rejection_sampling` stage type: k samples per problem of `task` from `model`, the correct ones kept as an
// SFT dataset for a later stage's `data:` (src/algorithms/rejection-sampling.ts). The task, its options and its
// template come from the pipeline's `tasks:` entry (problem_seed defaults to the task's seed).
import type { z } from "zod";
import {
  parseRejectionSamplingOptions,
  rejectionSamplingOptionsSchema,
  runRejectionSampling,
  type RejectionSamplingOptionsInput,
} from "../../algorithms/rejection-sampling.js";
import { defineStage, required } from "../stage-kind.js";
import type { PipelineTask } from "../tasks.js";

/** runRejectionSampling's options without those the pipeline's task supplies. */
export const rejectionSamplingStageOptionsSchema = rejectionSamplingOptionsSchema.omit({ task: true, task_options: true, template: true });

function withTask(options: z.output<typeof rejectionSamplingStageOptionsSchema>, task: PipelineTask): RejectionSamplingOptionsInput {
  return { ...options, task: task.name, task_options: task.rawOptions, template: task.template?.name ?? null, problem_seed: options.problem_seed ?? task.seed };
}

export const rejectionSamplingStage = defineStage({
  type: "rejection_sampling",
  description: "rejection sampling: k samples per problem, the correct ones become an SFT dataset",
  data: "none",
  task: "required",
  produces: { checkpoint: false, dataset: true },
  options: rejectionSamplingStageOptionsSchema,
  check: (options, task) => void parseRejectionSamplingOptions(withTask(options, required(task, "rejection_sampling", "task")), "rejection_sampling stage"),
  run: (ctx, inputs, options) => runRejectionSampling(ctx, { checkpoint: inputs.modelDir }, withTask(options, required(inputs.task, ctx.stage, "task"))),
});
