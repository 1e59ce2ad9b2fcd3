// The prompts of each GRPO step, as a pure function of (seed, stage, step, batch): a resumed run sees exactly the
// problems (and LCPO budgets) an uninterrupted one would. Batch `b` of step `s` (b > 0 only for dynamic-filtering
// resamples) occupies slot k = (s − 1)·S + b, S = 1 + max_resample_batches with dynamic filtering, else 1:
//   generated tasks:  examples task.generate({ seed: problem_seed ?? seed, index: k·B + i, ...task_options }), i < B
//   a dataset file:   batchIndices(count, B, seed, k) — epoch-wise shuffled, as SFT
// The l1-exact / l1-max templates render a per-problem budget n_gold drawn uniformly from budget_range with
// Rng(`${seed}:${stage}:budget:${k}:${i}`); the LCPO reward reads it as targetTokens (negative for L1-Max).
import { loadDataset, type DatasetPreset } from "../../tasks/loaders/index.js";
import type { AnyTask } from "../../tasks/registry.js";
import type { Example } from "../../tasks/types.js";
import type { Template } from "../../templates/types.js";
import { Rng } from "../../util/rng.js";
import { batchIndices } from "../sft.js";
import type { GrpoOptions } from "./options.js";

export interface Problem {
  example: Example;
  /** the prompt text as rendered (template, budget, open think block) */
  prompt: string;
  /** LCPO n_gold: +budget for l1-exact, −budget for l1-max (the lcpo reward's convention), else undefined */
  targetTokens?: number;
}

export class ProblemSource {
  private constructor(
    private readonly o: GrpoOptions,
    private readonly task: AnyTask,
    private readonly template: Template | undefined,
    private readonly seed: number,
    private readonly stage: string,
    private readonly dataset: readonly Example[] | undefined,
  ) {}

  /** Loads the dataset file when `opts.dataset` is set (its problems must be the task's). */
  static async create(o: GrpoOptions, task: AnyTask, template: Template | undefined, seed: number, stage: string): Promise<ProblemSource> {
    let dataset: Example[] | undefined;
    if (o.dataset) {
      dataset = await loadDataset(o.dataset.path, { preset: o.dataset.preset as DatasetPreset, fields: o.dataset.fields });
      if (dataset.length === 0) throw new Error(`dataset.path ${o.dataset.path}: no problems`);
      const other = dataset.find((e) => e.metadata.task !== undefined && e.metadata.task !== task.name);
      if (other) throw new Error(`dataset.preset "${o.dataset.preset}": ${o.dataset.path} holds ${String(other.metadata.task)} problems, but task is "${task.name}"`);
    }
    return new ProblemSource(o, task, template, seed, stage, dataset);
  }

  /** Batches a step may sample: 1, or 1 + max_resample_batches with dynamic filtering. */
  get batchesPerStep(): number {
    return this.o.dynamic_filtering ? 1 + this.o.max_resample_batches : 1;
  }

  /** The B problems of batch `batch` (0-based) of step `step` (1-based). */
  batch(step: number, batch: number): Problem[] {
    if (!Number.isInteger(step) || step < 1) throw new Error(`ProblemSource.batch: step must be an integer ≥ 1, got ${step}`);
    if (!Number.isInteger(batch) || batch < 0 || batch >= this.batchesPerStep) throw new Error(`ProblemSource.batch: batch must be in [0, ${this.batchesPerStep}), got ${batch}`);
    const B = this.o.batch_size;
    const slot = (step - 1) * this.batchesPerStep + batch;
    const examples = this.dataset
      ? batchIndices(this.dataset.length, B, this.seed, slot).map((i) => this.dataset![i])
      : Array.from({ length: B }, (_, i) => this.task.generate({ seed: this.o.problem_seed ?? this.seed, index: slot * B + i, ...this.o.task_options }));
    return examples.map((example, i) => this.render(example, slot, i));
  }

  private render(example: Example, slot: number, i: number): Problem {
    const t = this.template;
    if (!t) return { example, prompt: this.task.prompt(example) };
    const range = this.o.budget_range;
    const budget = range ? range[0] + new Rng(`${this.seed}:${this.stage}:budget:${slot}:${i}`).int(range[1] - range[0] + 1) : undefined;
    const prompt = this.task.prompt(example, { name: t.name, render: (q: string) => t.render(q, { budget, openThink: this.o.open_think }) });
    if (budget === undefined) return { example, prompt };
    return { example, prompt, targetTokens: t.name === "l1-max" ? -budget : budget };
  }
}
