// The `grpo` stage type: GRPO on `task` from `model` (src/algorithms/grpo/). The task, its options and its
// template come from the pipeline's `tasks:` entry; every other key is one of runGrpo's options.
import { grpoOptionsSchema, parseGrpoOptions, runGrpo, type GrpoOptionsInput } from "../../algorithms/grpo/grpo.js";
import { defineStage, required } from "../stage-kind.js";
import type { PipelineTask } from "../tasks.js";

/** runGrpo's options without those the pipeline's task supplies. */
export const grpoStageOptionsSchema = grpoOptionsSchema.omit({ task: true, task_options: true, template: true });

function withTask(options: Record<string, unknown>, task: PipelineTask): GrpoOptionsInput {
  return { ...options, task: task.name, task_options: options.dataset ? {} : task.rawOptions, template: task.template?.name ?? null };
}

export const grpoStage = defineStage({
  type: "grpo",
  description: "GRPO (and its TRL/verl/DAPO variants) on a task's problems with verifiable rewards",
  data: "none",
  task: "required",
  produces: { checkpoint: true, dataset: false },
  options: grpoStageOptionsSchema,
  check(options, task) {
    // cross-field rules and the rewards (names, options, what they need) when the file is read, not when the
    // stage starts after the stages before it ran
    parseGrpoOptions(withTask(options, required(task, "grpo", "task")), "grpo stage");
  },
  async run(ctx, inputs, options) {
    const task = required(inputs.task, ctx.stage, "task");
    return runGrpo(ctx, { checkpoint: inputs.modelDir }, withTask(options, task));
  },
});
