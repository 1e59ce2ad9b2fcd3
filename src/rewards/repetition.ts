// N-gram repetition penalties (Yeo et al., "Demystifying Long Chain-of-Thought Reasoning", App. C.2).
//
// Sparse (eddycmu/demystify-long-cot openrlhf/reward/repetition.py `get_repetition_penalty`):
//   penalty = (1 − unique/total) · max_penalty, over word n-grams of `text.lower().split()`; max_penalty ≤ 0.
//   TRL's get_repetition_penalty_reward computes the same over completion token ids (defaults n = 3, −1.0).
//   With fewer than n units there is no n-gram; the source divides by zero there, TRL/open-r1 return 0, as here.
// Dense (same file, `RepetitionDensePenalty`): per-token rewards; every token of a repeated token n-gram (an
//   n-gram seen earlier in the completion) gets `penalty` (assigned, not summed, where n-grams overlap); with
//   `onlyStart` a repeated n-gram starting inside the previous repeated one is skipped.
import { requireCorrect, type RewardFn, type RewardInput } from "./types.js";

/** argparse defaults of demystify-long-cot train_ppo_ray.py (`--math_rule_common_repetition_*`, dense). */
export const DEMYSTIFY_REPETITION_NGRAM_SIZE = 20;
export const DEMYSTIFY_REPETITION_MAX_PENALTY = 0;
export const DEMYSTIFY_DENSE_PENALTY = -5;
/** The paper's run script (section_4.2 …cosine_repetition_penalty.sh): 40-grams, −0.05 per repeated token. */
export const PAPER_DENSE_NGRAM_SIZE = 40;
export const PAPER_DENSE_PENALTY = -0.05;
/** TRL get_repetition_penalty_reward defaults (and open-r1's repetition_n_grams / repetition_max_penalty). */
export const TRL_REPETITION_NGRAM_SIZE = 3;
export const TRL_REPETITION_MAX_PENALTY = -1;

// Python's str.split() whitespace (str.isspace), so word n-grams match the reference exactly.
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** `text.lower().split()` as Python does it. */
export function pythonWords(text: string): string[] {
  return text.toLowerCase().split(PY_WHITESPACE).filter((w) => w.length > 0);
}

function key(units: readonly (string | number)[], start: number, n: number): string {
  return JSON.stringify(units.slice(start, start + n));
}

/** (1 − unique/total) · maxPenalty over the n-grams of `units`; 0 when there are fewer than n units. */
export function ngramRepetitionPenalty(units: readonly (string | number)[], ngramSize: number, maxPenalty: number): number {
  if (!Number.isInteger(ngramSize) || ngramSize <= 0) throw new Error(`repetition ngramSize must be a positive integer, got ${ngramSize}`);
  if (maxPenalty > 0) throw new Error(`repetition maxPenalty ${maxPenalty} should not be positive`);
  if (maxPenalty === 0) return 0;
  const total = units.length - ngramSize + 1;
  if (total <= 0) return 0;
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) seen.add(key(units, i, ngramSize));
  const scaling = 1 - seen.size / total;
  return scaling === 0 ? 0 : scaling * maxPenalty; // no −0 (TRL: `scaling * max_penalty if scaling else 0.0`)
}

/** Sparse word-n-gram penalty of a text (demystify `get_repetition_penalty`). */
export function wordRepetitionPenalty(text: string, ngramSize: number, maxPenalty: number): number {
  return ngramRepetitionPenalty(pythonWords(text), ngramSize, maxPenalty);
}

export interface DenseRepetitionOptions {
  ngramSize?: number;
  /** Negative reward per repeated token. */
  penalty?: number;
  onlyStart?: boolean;
}

/** Per-token dense penalty over token ids; the result has one entry per token. */
export function denseRepetitionPenalty(tokenIds: readonly number[], options: DenseRepetitionOptions = {}): number[] {
  const n = options.ngramSize ?? DEMYSTIFY_REPETITION_NGRAM_SIZE;
  const penalty = options.penalty ?? DEMYSTIFY_DENSE_PENALTY;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`dense repetition ngramSize must be a positive integer, got ${n}`);
  if (penalty >= 0) throw new Error(`dense repetition penalty must be negative, got ${penalty}`);
  const out = new Array<number>(tokenIds.length).fill(0);
  const seen = new Set<string>();
  let currEnd = -1;
  for (let start = 0; start + n <= tokenIds.length; start++) {
    const k = key(tokenIds, start, n);
    if (seen.has(k)) {
      if (!options.onlyStart || start > currEnd) for (let i = start; i < start + n; i++) out[i] = penalty;
      currEnd = start + n;
    }
    seen.add(k);
  }
  return out;
}

export type RepetitionPreset = "trl" | "open-r1";

export interface RepetitionOptions {
  /** "trl": token ids, n = 3, −1; "open-r1": words, n = 3, −1. */
  preset?: RepetitionPreset;
  unit?: "words" | "tokens";
  ngramSize?: number;
  maxPenalty?: number;
  /** Apply only to wrong answers, as inside the cosine reward. Default false (TRL applies it to all). */
  wrongOnly?: boolean;
}

const PRESETS: Record<RepetitionPreset, { unit: "words" | "tokens" }> = { trl: { unit: "tokens" }, "open-r1": { unit: "words" } };

function unitsOf(x: RewardInput, unit: "words" | "tokens"): readonly (string | number)[] {
  if (unit === "words") return pythonWords(x.completion);
  if (!x.tokenIds) throw new Error(`reward "repetition" over tokens needs RewardInput.tokenIds`);
  return x.tokenIds;
}

/** Standalone sparse repetition reward (TRL get_repetition_penalty_reward / open-r1). */
export function repetitionReward(options: RepetitionOptions = {}): RewardFn {
  const unit = options.unit ?? PRESETS[options.preset ?? "trl"].unit;
  const n = options.ngramSize ?? TRL_REPETITION_NGRAM_SIZE;
  const maxPenalty = options.maxPenalty ?? TRL_REPETITION_MAX_PENALTY;
  ngramRepetitionPenalty([], n, maxPenalty); // validates the options now, not at the first sample
  return (x) => {
    if (options.wrongOnly && requireCorrect(x, "repetition")) return 0;
    return ngramRepetitionPenalty(unitsOf(x, unit), n, maxPenalty);
  };
}

export type DenseRepetitionPreset = "paper" | "code";

/** Named dense settings: the paper's run script and the argparse defaults. */
export const DENSE_REPETITION_PRESETS: Record<DenseRepetitionPreset, Required<DenseRepetitionOptions>> = {
  paper: { ngramSize: PAPER_DENSE_NGRAM_SIZE, penalty: PAPER_DENSE_PENALTY, onlyStart: false },
  code: { ngramSize: DEMYSTIFY_REPETITION_NGRAM_SIZE, penalty: DEMYSTIFY_DENSE_PENALTY, onlyStart: false },
};

/**
 * Dense penalty as one scalar: the undiscounted sum of the per-token rewards (the return at γ = 1). The paper
 * discounts this reward separately (`--gamma 1,0.99`); use `denseRepetitionPenalty` for per-token values.
 */
export function denseRepetitionReward(options: DenseRepetitionOptions & { preset?: DenseRepetitionPreset } = {}): RewardFn {
  const base = DENSE_REPETITION_PRESETS[options.preset ?? "paper"];
  const o = { ngramSize: options.ngramSize ?? base.ngramSize, penalty: options.penalty ?? base.penalty, onlyStart: options.onlyStart ?? base.onlyStart };
  denseRepetitionPenalty([], o);
  return (x) => {
    if (!x.tokenIds) throw new Error(`reward "repetition_dense" needs RewardInput.tokenIds`);
    return denseRepetitionPenalty(x.tokenIds, o).reduce((a, b) => a + b, 0);
  };
}
