// TinyZero Countdown reward constants (Jiayi-Pan/TinyZero verl/utils/reward_score/countdown.py `compute_score`,
// format_score=0.1, score=1.0): 0 when no `<answer>…</answer>` was extracted; format_score when an answer was
// extracted but is wrong (numbers not the given multiset, expression rejected or unevaluable, or value off);
// score when |result − target| < 1e-5. Extraction and checking are the task's job; this maps its Score. The values
// are the Countdown task's own (TINYZERO_REWARD in src/tasks/countdown/rules.ts), defined once.
import { TINYZERO_REWARD } from "../tasks/countdown/rules.js";
import type { RewardFn, RewardInput, ScoreLike } from "./types.js";

export const TINYZERO_NO_ANSWER: number = TINYZERO_REWARD.none;
export const TINYZERO_FORMAT_SCORE: number = TINYZERO_REWARD.format;
export const TINYZERO_SCORE: number = TINYZERO_REWARD.correct;

export interface TinyZeroOptions {
  formatScore?: number;
  score?: number;
}

export function tinyZeroCountdownValue(s: ScoreLike, formatScore = TINYZERO_FORMAT_SCORE, score = TINYZERO_SCORE): number {
  if (s.extracted === undefined) throw new Error(`reward "tinyzero_countdown" needs the task score's "extracted" field (null when no <answer> was found)`);
  if (s.extracted === null) return TINYZERO_NO_ANSWER;
  return s.correct ? score : formatScore;
}

export function tinyZeroCountdownReward(options: TinyZeroOptions = {}): RewardFn {
  const formatScore = options.formatScore ?? TINYZERO_FORMAT_SCORE;
  const score = options.score ?? TINYZERO_SCORE;
  return (x: RewardInput) => {
    if (!x.score) throw new Error(`reward "tinyzero_countdown" needs RewardInput.score (the Countdown task's score)`);
    return tinyZeroCountdownValue(x.score, formatScore, score);
  };
}
