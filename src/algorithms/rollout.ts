// Rollouts: k samples per problem from the policy, each scored by its task. Shared by rejection sampling, STaR and
// GRPO. A stop string that belongs to the answer format (the R1 template's "</answer>") is kept in `completion`,
// so format rewards and scorers see the closing tag (the Generator's includeStopStrInOutput); `tokenIds` are the generated ids the policy is trained on.
import type { Generator } from "../sampling/generate.js";
import { TaskScorer } from "../tasks/scorer.js";
import type { Example, PromptTemplate, Score, Task } from "../tasks/types.js";

export interface RolloutOptions {
  /** samples per problem (GRPO's G, STaR's 1, rejection sampling's k) */
  n: number;
  temperature: number;
  topP?: number;
  topK?: number;
  /** max_completion_length in tokens */
  maxTokens: number;
  seed: number;
  /** stop strings; each is kept at the end of the completion text when it ends a sample */
  stop?: readonly string[];
  template?: PromptTemplate;
  /** sequences decoded together (bounds memory) */
  maxBatch?: number;
  /** index of the first problem in the RNG streams (reproduces problem k of a larger batch) */
  problemOffset?: number;
  /** math: verifier worker threads, each check with a real time limit (default 2; 0 scores on this thread) */
  scoreWorkers?: number;
  /** math: time limit per check in ms (default 5000) */
  scoreTimeoutMs?: number;
}

export interface Rollout {
  example: Example;
  /** index of the problem in the list passed to rollout() */
  problemIndex: number;
  sampleIndex: number;
  prompt: string;
  /** prompt ids as the model saw them (with bos) */
  promptIds: number[];
  /** completion text, including a stop string that ended it */
  completion: string;
  /** generated ids, including a final eos or stop-string tokens */
  tokenIds: number[];
  /** log π_old(token) per generated id (temperature 1) */
  logprobs: number[];
  finishReason: "stop" | "length";
  /** cut at maxTokens without a stop */
  truncated: boolean;
  score: Score;
}

/**
 * Samples `opts.n` completions per example (or per explicit prompt, e.g. a rationalization prompt) and scores each
 * with the task's scorer (TaskScorer: bounded math checks). Results come back problem by problem, sample by sample.
 */
export async function rollout(
  gen: Generator,
  task: Task,
  examples: readonly Example[],
  opts: RolloutOptions,
  prompts?: readonly string[],
): Promise<Rollout[]> {
  if (prompts && prompts.length !== examples.length) throw new Error(`rollout: ${prompts.length} prompts for ${examples.length} examples`);
  const texts = prompts ?? examples.map((e) => task.prompt(e, opts.template));
  const out = await gen.generate(texts, {
    n: opts.n, temperature: opts.temperature, topP: opts.topP, topK: opts.topK, maxTokens: opts.maxTokens,
    seed: opts.seed, stop: opts.stop, includeStopStrInOutput: true, maxBatch: opts.maxBatch, promptOffset: opts.problemOffset,
  });
  // math checks go through TaskScorer's worker pool (a real time limit per check); other tasks score inline
  const scores = await TaskScorer.scoreOnce(task as Task as Parameters<typeof TaskScorer.create>[0], out.map((c) => ({ completion: c.text, example: examples[c.promptIndex] })), {
    workers: opts.scoreWorkers, timeoutMs: opts.scoreTimeoutMs,
  });
  return out.map((c, i) => ({
    example: examples[c.promptIndex], problemIndex: c.promptIndex, sampleIndex: c.sampleIndex, prompt: texts[c.promptIndex], promptIds: c.promptIds,
    completion: c.text, tokenIds: c.tokenIds, logprobs: c.logprobs, finishReason: c.finishReason, truncated: c.finishReason === "length",
    score: scores[i],
  }));
}

/**
 * Errors naming max_completion_length (as `where: field max_completion_length: …`) when the longest of `prompts`
 * plus `maxTokens` new tokens exceeds the model's context, so a stage fails before sampling with a fix, not with
 * the Generator's message about a prompt index.
 */
export function checkCompletionFits(gen: Generator, prompts: readonly string[], maxTokens: number, where: string, what = ""): void {
  const context = gen.config.max_position_embeddings;
  let longest = 0;
  for (const p of prompts) longest = Math.max(longest, gen.encodePrompt(p).length);
  if (longest + maxTokens > context) {
    const fix = longest < context ? `use at most ${context - longest}` : "the prompt alone fills it: use a model with a longer context (max_position_embeddings)";
    throw new Error(`${where}: field max_completion_length: ${maxTokens} new tokens after the longest ${what}${what ? " " : ""}prompt (${longest} tokens) exceed the model's context of ${context}; ${fix}`);
  }
}
