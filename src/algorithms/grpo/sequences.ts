// The training sequences of a GRPO step: prompt ids + generated ids, trained on the generated ids only, every token
// of completion i carrying its advantage A_i. `mask_truncated_completions` (TRL; DAPO's overlong filtering) zeroes
// the mask of completions cut at max_completion_length: they still count in their group's mean and std, and in B
// for the grpo / dr_grpo normalizers, but contribute no gradient. Old and reference log-probs attach per token.
// Clip statistics as TRL logs them, over trained tokens, with ρ_t = exp(logp_t − oldlogp_t):
//   clip_ratio/low_mean    fraction with ρ_t < 1 − ε_low and A < 0   (the lower clip binds)
//   clip_ratio/high_mean   fraction with ρ_t > 1 + ε_high and A > 0  (the upper clip binds)
//   clip_ratio/region_mean the sum of both (they are disjoint)
import type { TrainSequence } from "../../train/batch.js";

export interface CompletionForTraining {
  promptIds: readonly number[];
  tokenIds: readonly number[];
  truncated: boolean;
}

/** One TrainSequence per completion (in order), with its advantage and mask. */
export function grpoSequences(items: readonly CompletionForTraining[], advantages: readonly number[], maskTruncated: boolean): TrainSequence[] {
  if (items.length !== advantages.length) throw new Error(`grpoSequences: ${items.length} completions but ${advantages.length} advantages`);
  return items.map((c, i) => {
    const P = c.promptIds.length;
    const tokens = [...c.promptIds, ...c.tokenIds];
    const train = !(maskTruncated && c.truncated);
    return { tokens, mask: tokens.map((_, j) => (train && j >= P ? 1 : 0)), advantage: advantages[i] };
  });
}

/** Number of trained tokens over all sequences. */
export function trainedTokens(seqs: readonly TrainSequence[]): number {
  let n = 0;
  for (const s of seqs) for (let j = 1; j < s.tokens.length; j++) if (s.mask ? s.mask[j] : j >= (s.start ?? 1)) n++;
  return n;
}

/** Per-token arrays from a scorer (entry 0 is NaN there) as plain arrays with 0 at untrained entry 0. */
function perToken(a: Float32Array): number[] {
  return Array.from(a, (v, j) => (j === 0 ? 0 : v));
}

/** Adds behaviour (old) and/or reference log-probs to each sequence. */
export function withLogprobs(seqs: readonly TrainSequence[], old?: readonly Float32Array[], ref?: readonly Float32Array[]): TrainSequence[] {
  return seqs.map((s, i) => ({
    ...s,
    ...(old ? { oldLogp: perToken(old[i]) } : {}),
    ...(ref ? { refLogp: perToken(ref[i]) } : {}),
  }));
}

export interface ClipStats {
  low: number;
  high: number;
  region: number;
}

