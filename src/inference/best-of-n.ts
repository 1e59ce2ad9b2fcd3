// Best-of-N: score every sample and keep the best. The score is the task's verifier (an oracle: it reads the gold
// answer) or any reward function of the rewards registry (src/rewards), e.g. a format or length reward, or a
// composition. Ties go to the earliest sample.
import { getReward } from "../rewards/registry.js";
import type { RewardInput } from "../rewards/types.js";
import type { Score } from "../tasks/types.js";

export interface Candidate {
  completion: string;
  /** the task's score of the completion (oracle) */
  score: Score;
  /** response and thinking tokens, for length rewards */
  tokens: { response: number; thinking?: number };
  tokenIds?: readonly number[];
}

export type CandidateScorer = (c: Candidate) => number;

/** The verifier as a scorer: the task's reward (1 for correct in most tasks, partial credit where the task gives it). */
export const oracleScorer: CandidateScorer = (c) => c.score.reward;

/** A registry reward as a scorer (name and options as in a config's `rewards:` entry). */
export function rewardScorer(name: string, options: unknown = {}, extra: Pick<RewardInput, "maxTokens" | "targetTokens"> = {}): CandidateScorer {
  const fn = getReward(name, options);
  return (c) => fn({ completion: c.completion, score: c.score, correct: c.score.correct, tokens: c.tokens, tokenIds: c.tokenIds, ...extra });
}

export interface BestOfN {
  /** index of the chosen candidate */
  index: number;
  value: number;
  values: number[];
}

export function bestOfN(candidates: readonly Candidate[], scorer: CandidateScorer): BestOfN {
  if (candidates.length === 0) throw new Error("best-of-N needs at least one candidate");
  const values = candidates.map((c, i) => {
    const v = scorer(c);
    if (!Number.isFinite(v)) throw new Error(`best-of-N: candidate ${i} scored ${v}`);
    return v;
  });
  let index = 0;
  values.forEach((v, i) => { if (v > values[index]) index = i; });
  return { index, value: values[index], values };
}
