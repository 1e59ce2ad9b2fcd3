// The task contract: generate(seed, index) → example, prompt(example) → text, score(completion, example) → reward.
import type { z } from "zod";

/** One problem. `answer` is the gold answer in the task's own answer format; `metadata` holds the task's fields. */
export interface Example {
  id: string;
  question: string;
  answer: string;
  metadata: Record<string, unknown>;
}

/** Result of scoring one completion. `extracted` is what the scorer read as the answer (null if nothing). */
export interface Score {
  reward: number;
  correct: boolean;
  extracted: string | null;
  reason: string;
}

/**
 * What a task needs from a prompt template: templates (src/templates) satisfy this structurally, so tasks do not
 * import the templates layer.
 */
export interface PromptTemplate {
  readonly name: string;
  render(question: string): string;
}

export interface GenerateArgs {
  seed: number;
  index: number;
}

/** STaR rationalization: a prompt that shows the gold answer, and a function that removes the hint afterwards. */
export interface Rationalization {
  prompt(example: Example, template?: PromptTemplate): string;
  strip(text: string): string;
}

export interface Task<O extends object = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  /** Zod schema of the options; every field carries a .describe() text and a default where one makes sense. */
  readonly options: z.ZodType<O, Partial<O>>;
  /** Same (seed, index, options) → same example, independent of call order and machine. */
  generate(args: GenerateArgs & Partial<O>): Example;
  /** The prompt text; without a template, the task's native prompt format. */
  prompt(example: Example, template?: PromptTemplate): string;
  /** Never throws; bounded work on any input. */
  score(completion: string, example: Example): Score;
  /** A gold completion that continues prompt(example) and scores correct, where the task has one. */
  rationale?(example: Example): string;
  /** Builds an example from a JSON record (e.g. {a, b} for addition), for scoring completions given as JSON. */
  fromFields(fields: Record<string, unknown>): Example;
  rationalization?: Rationalization;
}
