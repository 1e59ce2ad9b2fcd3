// What a stage type (sft, eval, star, rejection_sampling, grpo) declares to the pipeline: its own option keys (a
// zod schema), which inputs it takes (model, data, task), what it produces (a checkpoint, a dataset), and how it
// runs given a StageContext and its resolved inputs.
import type { z } from "zod";
import type { SftExample } from "../algorithms/sft.js";
import type { LoadedCheckpoint } from "../model/checkpoint.js";
import type { StageContext, StageResult } from "../run/stage.js";
import type { PipelineTask } from "./tasks.js";

/** Whether a stage takes an input key: it must be given, it may be, or it is not a key of that stage. */
export type Need = "required" | "optional" | "none";

/** A stage's inputs, resolved and loaded by the runner. */
export interface StageInputs {
  /** the input model (`model:` — base or an earlier stage's checkpoint) */
  model: LoadedCheckpoint;
  /** its directory */
  modelDir: string;
  /** the examples of `data:` (an earlier stage's dataset, a task's gold rationales, or a JSONL file) */
  data?: { source: string; rows: SftExample[] };
  /** the task of `task:` */
  task?: PipelineTask;
}

export interface StageKind {
  readonly type: string;
  readonly description: string;
  readonly data: Need;
  readonly task: Need;
  readonly produces: { readonly checkpoint: boolean; readonly dataset: boolean };
  /** the stage's own keys, as written in the pipeline file (an object schema, so unknown keys can be listed) */
  readonly options: z.ZodType;
  /**
   * checks that need more than the schema (cross-field rules, the task), when the file is read; throws a one-line
   * message, which the parser places at the key it names ("field x" or "option x") or at the stage
   */
  check?(options: unknown, task: PipelineTask | undefined): void;
  /** runs the stage; `options` is the mapping of its own keys (validated again by the kind) */
  run(ctx: StageContext, inputs: StageInputs, options: unknown): Promise<StageResult>;
}

/** A StageKind whose run() receives its options parsed by its own schema. */
export function defineStage<S extends z.ZodType>(
  kind: Omit<StageKind, "options" | "run" | "check"> & {
    options: S;
    check?(options: z.output<S>, task: PipelineTask | undefined): void;
    run(ctx: StageContext, inputs: StageInputs, options: z.output<S>): Promise<StageResult>;
  },
): StageKind {
  const { check } = kind;
  return {
    ...kind,
    check: check && ((raw, task) => check(kind.options.parse(raw), task)),
    run: (ctx, inputs, raw) => kind.run(ctx, inputs, kind.options.parse(raw)),
  };
}

/** The input a kind requires but the runner did not provide is a bug in the kind's declaration. */
export function required<T>(value: T | undefined, stage: string, key: string): T {
  if (value === undefined) throw new Error(`stage "${stage}": input ${key} is missing`);
  return value;
}
