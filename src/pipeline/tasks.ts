// The tasks a pipeline names: a registered task with its options, an optional prompt template and an example seed.
// Training examples are indices 0, 1, 2, … of the task's generator; held-out examples (eval stages) start at
// EVAL_INDEX_OFFSET, so the two never share an index.
import type { SftExample } from "../algorithms/sft.js";
import { getTask, parseTaskOptions, type AnyTask } from "../tasks/registry.js";
import type { Example } from "../tasks/types.js";
import { getTemplate } from "../templates/registry.js";
import type { Template } from "../templates/types.js";

/** First index of the held-out examples of every task. */
export const EVAL_INDEX_OFFSET = 1_000_000;

export interface PipelineTaskConfig {
  /** registered task name (ratio tasks list) */
  task: string;
  options: Record<string, unknown>;
  template?: string;
  /** example seed (default: the pipeline's seed) */
  seed?: number;
}

export class PipelineTask {
  readonly task: AnyTask;
  /** the options after validation (defaults filled in) */
  readonly options: Record<string, unknown>;
  /** the options as written in the pipeline file */
  readonly rawOptions: Record<string, unknown>;
  readonly template?: Template;
  readonly seed: number;

  /** Throws the registry's one-line errors (unknown task, bad option, unknown template); the caller adds the line. */
  constructor(readonly key: string, config: PipelineTaskConfig, pipelineSeed: number) {
    this.task = getTask(config.task);
    this.options = parseTaskOptions(config.task, config.options);
    this.rawOptions = { ...config.options };
    this.template = config.template === undefined ? undefined : getTemplate(config.template);
    this.seed = config.seed ?? pipelineSeed;
  }

  get name(): string {
    return this.task.name;
  }

  example(index: number): Example {
    return this.task.generate({ ...this.options, seed: this.seed, index });
  }

  /** `count` examples from index `offset` on. */
  examples(count: number, offset = 0): Example[] {
    return Array.from({ length: count }, (_, i) => this.example(offset + i));
  }

  prompt(example: Example): string {
    return this.task.prompt(example, this.template);
  }

  /** Gold (prompt, rationale) pairs of examples offset … offset+count−1; the task must have rationales. */
  goldExamples(count: number, offset = 0): SftExample[] {
    const rationale = this.task.rationale?.bind(this.task);
    if (!rationale) throw new Error(`task "${this.name}" has no gold rationales (only tasks with rationale() can feed an SFT stage)`);
    return this.examples(count, offset).map((ex) => ({ prompt: this.prompt(ex), completion: rationale(ex) }));
  }

  /** Texts a model for this task reads or writes (for the automatic vocabulary): prompts, rationales, hints. */
  texts(example: Example): string[] {
    const out = [this.prompt(example), example.answer];
    if (this.task.rationale) out.push(this.task.rationale(example));
    if (this.task.rationalization) out.push(this.task.rationalization.prompt(example, this.template));
    for (const s of this.template?.stop ?? []) out.push(s);
    return out;
  }
}
