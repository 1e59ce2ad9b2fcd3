// The `star` stage type: STaR iterations on `task` from `model` (src/algorithms/star.ts). The task, its options and
// its template come from the pipeline's `tasks:` entry (problem_seed defaults to the task's seed); every other key
// is one of runStar's options. Outputs: the last iteration's model and dataset.
import type { z } from "zod";
import { parseTaskOptions } from "../../tasks/registry.js";
import { parseStarOptions, starOptionsSchema, type StarOptionsInput } from "../../algorithms/star-options.js";
import { runStar } from "../../algorithms/star.js";
import { defineStage, required } from "../stage-kind.js";
import type { PipelineTask } from "../tasks.js";

/** runStar's options without those the pipeline's task supplies. */
export const starStageOptionsSchema = starOptionsSchema.omit({ task: true, task_options: true, template: true });

function withTask(options: z.output<typeof starStageOptionsSchema>, task: PipelineTask): StarOptionsInput {
  return { ...options, task: task.name, task_options: task.rawOptions, template: task.template?.name ?? null, problem_seed: options.problem_seed ?? task.seed };
}

export const starStage = defineStage({
  type: "star",
  description: "STaR: sample rationales, keep the correct ones (and rationalizations of the failures), fine-tune, repeat",
  data: "none",
  task: "required",
  produces: { checkpoint: true, dataset: true },
  options: starStageOptionsSchema,
  check(options, t) {
    const task = required(t, "star", "task");
    const o = parseStarOptions(withTask(options, task), "star stage");
    if (o.rationalization && !task.task.rationalization) throw new Error(`field rationalization: task ${task.name} has no rationalization (hint prompt); set rationalization: false`);
    (o.eval_task_options ?? []).forEach((opts) => parseTaskOptions(task.name, opts));
  },
  run: (ctx, inputs, options) => runStar(ctx, { checkpoint: inputs.modelDir }, withTask(options, required(inputs.task, ctx.stage, "task"))),
});
