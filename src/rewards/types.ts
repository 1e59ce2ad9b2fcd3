// Shared input and function types of the rewards layer. Rewards are pure functions of one sample; lengths are
// counted in tokens of the policy's tokenizer (the caller passes the counts or a `countTokens` helper), never in
// characters — ms-swift counted characters against a token budget (modelscope/ms-swift#3353).

/** What a task scorer says about one completion (a subset of the tasks layer's `Score`). */
export interface ScoreLike {
  correct: boolean;
  /** The task's own reward; correctness falls back to 1/0 of `correct` when absent. */
  reward?: number;
  /** The extracted final answer; `null` when none could be found (format failure). */
  extracted?: string | null;
}

/** A task scorer: `Task.score(completion, example)` or any function with that shape. */
export type Scorer<E = unknown> = (completion: string, example: E) => ScoreLike;

/** Token counts of one completion. `response` is the whole completion (thinking plus answer). */
export interface TokenCounts {
  response: number;
  /** Tokens inside the thinking block only, when the caller can tell them apart. */
  thinking?: number;
}

export interface RewardInput {
  completion: string;
  example?: unknown;
  /** Correctness of the completion; rewards that need it read this, then `score.correct`. */
  correct?: boolean;
  /** The task's full score (TinyZero and SimpleRL need `extracted`, correctness may need `reward`). */
  score?: ScoreLike;
  tokens: TokenCounts;
  /** Token ids of the completion, for token-n-gram repetition penalties. */
  tokenIds?: readonly number[];
  /** Maximum completion length in tokens (L_max of DAPO, T of the cosine reward). */
  maxTokens?: number;
  /** LCPO target length n_gold in tokens; a negative value means L1-Max (cmu-l3/l1 deepscaler_dataset.py). */
  targetTokens?: number;
}

export type RewardFn = (x: RewardInput) => number;

export interface RewardSpec {
  name: string;
  fn: RewardFn;
  weight: number;
}

/** Correctness of `x`, from `x.correct` or `x.score.correct`; throws naming the reward when neither is given. */
export function requireCorrect(x: RewardInput, reward: string): boolean {
  if (typeof x.correct === "boolean") return x.correct;
  if (x.score && typeof x.score.correct === "boolean") return x.score.correct;
  throw new Error(`reward "${reward}" needs RewardInput.correct or RewardInput.score (run the task scorer first)`);
}

/** A length (token count) of `x` for `count`; throws naming the reward when the thinking count is missing. */
export function tokenCount(x: RewardInput, count: "response" | "thinking", reward: string): number {
  const n = count === "response" ? x.tokens.response : x.tokens.thinking;
  if (n === undefined) throw new Error(`reward "${reward}" counts thinking tokens but RewardInput.tokens.thinking is missing`);
  if (!Number.isInteger(n) || n < 0) throw new Error(`reward "${reward}": tokens.${count} must be a non-negative integer, got ${n}`);
  return n;
}

/**
 * An option that was renamed (one name per idea across the codebase: `maxTokens`, `openThink`): the new name's value,
 * else the old one's; an error naming both when they are given with different values.
 */
export function renamedOption<T>(current: T | undefined, old: T | undefined, names: { current: string; old: string }, reward: string): T | undefined {
  if (current !== undefined && old !== undefined && current !== old) {
    throw new Error(`reward "${reward}": options ${names.current} (${String(current)}) and ${names.old} (${String(old)}) disagree (${names.old} is the old name of ${names.current})`);
  }
  return current ?? old;
}

/** A positive integer from the option or the input (e.g. T from `maxTokens` or `x.maxTokens`). */
export function requireLength(value: number | undefined, what: string, reward: string): number {
  if (value === undefined) throw new Error(`reward "${reward}" needs ${what}`);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`reward "${reward}": ${what} must be a positive integer, got ${value}`);
  return value;
}

export interface BuildRewardInputOptions<E> {
  completion: string;
  example?: E;
  /** Runs once; its result fills `score` and `correct`. */
  scorer?: Scorer<E>;
  /** Counts tokens with the policy's tokenizer; used when `tokens` is not given. */
  countTokens?: (text: string) => number;
  /** Explicit counts; wins over `countTokens`. */
  tokens?: TokenCounts;
  /** The thinking part of the completion, counted with `countTokens` into `tokens.thinking`. */
  thinking?: string;
  tokenIds?: readonly number[];
  maxTokens?: number;
  targetTokens?: number;
}

/** Builds a RewardInput: scores the completion once and counts tokens with the policy's tokenizer. */
export function buildRewardInput<E>(o: BuildRewardInputOptions<E>): RewardInput {
  let tokens = o.tokens;
  if (!tokens) {
    if (o.tokenIds) tokens = { response: o.tokenIds.length };
    else if (o.countTokens) tokens = { response: o.countTokens(o.completion) };
    else throw new Error("buildRewardInput needs tokens, tokenIds or countTokens (lengths are counted in tokens, never characters)");
    if (o.thinking !== undefined) {
      if (!o.countTokens) throw new Error("buildRewardInput: thinking text given without countTokens");
      tokens.thinking = o.countTokens(o.thinking);
    }
  }
  const x: RewardInput = { completion: o.completion, tokens };
  if (o.example !== undefined) x.example = o.example;
  if (o.scorer) {
    if (o.example === undefined) throw new Error("buildRewardInput: a scorer needs the example");
    const s = o.scorer(o.completion, o.example);
    x.score = s;
    x.correct = s.correct;
  }
  if (o.tokenIds) x.tokenIds = o.tokenIds;
  if (o.maxTokens !== undefined) x.maxTokens = o.maxTokens;
  if (o.targetTokens !== undefined) x.targetTokens = o.targetTokens;
  return x;
}
