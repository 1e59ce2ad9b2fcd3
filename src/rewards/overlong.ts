// DAPO soft overlong punishment (Yu et al. 2025, Eq. 13; TRL get_soft_overlong_punishment, verl, OpenRLHF):
//   R(y) = 0                              if |y| ≤ L_max − L_cache
//        = ((L_max − L_cache) − |y|) / L_cache   if L_max − L_cache < |y| ≤ L_max
//        = −1                             if |y| > L_max
// |y| is the completion length in tokens.
import { renamedOption, requireLength, tokenCount, type RewardFn } from "./types.js";

export interface OverlongOptions {
  /** L_max in tokens; defaults to RewardInput.maxTokens. */
  maxTokens?: number;
  /** @deprecated The old name of maxTokens. */
  maxLength?: number;
  /** L_cache, the soft window at the end of L_max (0 = hard cut at L_max). */
  cacheLength: number;
}

export function overlongPenalty(length: number, maxLength: number, cacheLength: number): number {
  const expected = maxLength - cacheLength;
  if (length <= expected) return 0;
  if (length <= maxLength) return (expected - length) / cacheLength;
  return -1;
}

const NAME = "overlong";

export function overlongReward(options: OverlongOptions): RewardFn {
  const cache = options.cacheLength;
  if (!Number.isInteger(cache) || cache < 0) throw new Error(`reward "${NAME}": cacheLength must be a non-negative integer, got ${cache}`);
  const maxTokens = renamedOption(options.maxTokens, options.maxLength, { current: "maxTokens", old: "maxLength" }, NAME);
  if (maxTokens !== undefined && cache > maxTokens) throw new Error(`reward "${NAME}": cacheLength ${cache} exceeds maxTokens ${maxTokens}`);
  return (x) => {
    const lMax = requireLength(maxTokens ?? x.maxTokens, "maxTokens (L_max) or RewardInput.maxTokens", NAME);
    return overlongPenalty(tokenCount(x, "response", NAME), lMax, cache);
  };
}
