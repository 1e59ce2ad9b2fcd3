// STaR options: one strict zod schema (YAML pipelines, the library, the demo and the experiment). Every field has a
// default; the original code's defaults (Zelikman et al. 2022, iteration_train.py / device_inference.py) and what
// we changed for small from-scratch models are in docs/training.md, "STaR".
import { z } from "zod";
import { parseStageOptions } from "./stage-options.js";

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const unit = z.number().min(0).max(1);

export const starOptionsSchema = z.strictObject({
  task: z.string().default("addition").describe("task that generates and scores the problems (see `ratio tasks list`); it needs a rationalization for rationalization: true"),
  task_options: z.record(z.string(), z.unknown()).default({}).describe("options of the task's generator for the training problems, e.g. { minDigits: 1, maxDigits: 5, equalDigits: true }"),
  template: z.string().nullable().default(null).describe("prompt template; null: the task's native prompt (STaR's scratchpad prompt for addition)"),

  iterations: posInt.default(4).describe("outer-loop iterations (generate → filter → rationalize → fine-tune → evaluate)"),
  problems_per_iteration: posInt.default(128).describe("unlabeled problems per iteration, N: task.generate({ seed: problem_seed, index: (i−1)·N + j }) minus held-out ones"),
  problem_seed: z.number().int().nullable().default(null).describe("seed of the training problems; null: the stage seed"),

  rationalization: z.boolean().default(true).describe("rationalize the failures: prompt with the answer as a hint, keep rationales that reach it, strip the hint before saving"),
  p_rationalization: unit.default(1).describe("fraction of the failures rationalized (original code p_rationalization 1.0)"),
  temperature: z.number().nonnegative().default(0).describe("rationale sampling temperature; 0 = greedy (the original samples at 0.01, top-p 0.9)"),
  top_p: z.number().gt(0).max(1).default(1).describe("nucleus sampling for rationales; 1 disables"),
  samples_per_problem: posInt.default(1).describe("rationales sampled per problem (STaR: 1); the correct ones are kept, deduplicated, up to max_per_problem"),
  rationalization_samples: posInt.default(1).describe("hinted rationales sampled per failed problem (STaR: 1)"),
  rationalization_temperature: z.number().nonnegative().nullable().default(null).describe("temperature of the hinted samples; null: temperature"),
  max_per_problem: posInt.default(1).describe("correct rationales kept per problem and source (direct / rationalized)"),
  max_completion_length: posInt.default(192).describe("new tokens at most per rationale (prompt + this must fit the model's context)"),

  continue: z.boolean().default(false).describe("fine-tune each iteration from the previous iteration's model; false (STaR): always from the stage's input model"),
  schedule: z.enum(["steps", "epochs"]).default("steps").describe("fine-tuning length per iteration: steps = start_steps + add_steps·(i−1), or epochs = base_epochs + add_epochs·(i−1) over the iteration's examples"),
  start_steps: posInt.default(40).describe("optimizer steps of iteration 1 (original 40)"),
  add_steps: nonNegInt.default(20).describe("optimizer steps added per iteration (original 20)"),
  base_epochs: z.number().positive().default(1).describe("epochs of iteration 1 with schedule: epochs (original 1)"),
  add_epochs: z.number().nonnegative().default(0.2).describe("epochs added per iteration with schedule: epochs (original 0.2)"),
  batch_size: posInt.default(8).describe("sequences per optimizer step (original 8)"),
  micro_batch_size: posInt.nullable().default(null).describe("sequences per forward/backward (gradient accumulation); null: the whole batch"),
  lr: z.number().positive().default(1e-3).describe("learning rate, constant after warm-up (original 1e-6 for GPT-J; ours is for small models)"),
  warmup_steps: nonNegInt.default(0).describe("linear warm-up steps at the start of every iteration's fine-tune"),
  weight_decay: z.number().nonnegative().default(0).describe("AdamW decoupled weight decay (original 0)"),
  max_grad_norm: z.number().nonnegative().default(1).describe("global gradient-norm clip; 0 disables (original 1)"),

  eval_problems: posInt.default(100).describe("held-out problems per evaluation group; never used for training"),
  eval_seed: z.number().int().nullable().default(null).describe("seed of the held-out problems; null: stage seed + 1000003"),
  eval_task_options: z
    .array(z.record(z.string(), z.unknown()))
    .nullable()
    .default(null)
    .describe("one group of eval_problems held-out problems per entry (e.g. one per digit count: [{ minDigits: 1, maxDigits: 1 }, …]); null: one group with task_options"),
  eval_k: nonNegInt.default(0).describe("samples per held-out problem for maj@k and pass@k (0: greedy accuracy only)"),
  eval_temperature: z.number().nonnegative().default(1).describe("temperature of the eval_k samples"),
  eval_base: z.boolean().default(true).describe("evaluate the input model too (iteration 0 of the accuracy table and plot)"),

  max_batch: posInt.default(64).describe("sequences decoded together (bounds memory; results do not depend on it)"),
  log_samples: nonNegInt.default(4).describe("kept rationales per iteration written to samples.jsonl"),
});

export type StarOptions = z.output<typeof starOptionsSchema>;
export type StarOptionsInput = z.input<typeof starOptionsSchema>;

/** The seed offset of the default held-out problems (a seed no training stream uses). */
export const STAR_EVAL_SEED_OFFSET = 1_000_003;

/** Validates options; one-line errors naming the field. */
export function parseStarOptions(raw: unknown, where = "star options"): StarOptions {
  return parseStageOptions(starOptionsSchema, raw, where);
}

/**
 * Optimizer steps of iteration i (1-based) on `examples` kept examples:
 *   steps:   start_steps + add_steps·(i − 1)                        (iteration_train.py --steady_grow)
 *   epochs:  ⌈examples · (base_epochs + add_epochs·(i − 1)) / batch_size⌉   (its default, get_n_steps)
 */
export function starSteps(o: Pick<StarOptions, "schedule" | "start_steps" | "add_steps" | "base_epochs" | "add_epochs" | "batch_size">, iteration: number, examples: number): number {
  if (!Number.isInteger(iteration) || iteration < 1) throw new Error(`starSteps: iteration must be an integer ≥ 1, got ${iteration}`);
  if (o.schedule === "steps") return o.start_steps + o.add_steps * (iteration - 1);
  return Math.max(1, Math.ceil((examples * (o.base_epochs + o.add_epochs * (iteration - 1))) / o.batch_size));
}
