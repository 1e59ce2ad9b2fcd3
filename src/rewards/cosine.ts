// Cosine length-scaled reward (Yeo et al., "Demystifying Long Chain-of-Thought Reasoning";
// eddycmu/demystify-long-cot openrlhf/reward/cosine.py `CosineScaledSparseReward`):
//   r(t) = r_T + ½(r_0 − r_T)(1 + cos(π·t/T)),  t = generation length in tokens, T = max length.
//   correct: r_0 = max_value_correct, r_T = min_value_correct;
//   wrong:   r_0 = min_value_wrong,   r_T = max_value_wrong (deliberately swapped in the code);
//   if t + 16 ≥ T (MAX_LEN_MARGIN) the reward is exceed_length (argparse None → 0), checked before correctness;
//   wrong answers also get the sparse word-n-gram repetition penalty (1 − unique/total)·max_penalty.
// TRL's get_cosine_scaled_reward has no exceed branch and clamps t/T to 1 (trl/rewards/accuracy_rewards.py).
import { DEMYSTIFY_REPETITION_MAX_PENALTY, DEMYSTIFY_REPETITION_NGRAM_SIZE, wordRepetitionPenalty } from "./repetition.js";
import { renamedOption, requireCorrect, requireLength, tokenCount, type RewardFn } from "./types.js";

/** demystify-long-cot common.py MAX_LEN_MARGIN: added to t before comparing with T. */
export const COSINE_MAX_LEN_MARGIN = 16;

export interface CosineValues {
  maxValueCorrect: number;
  minValueCorrect: number;
  minValueWrong: number;
  maxValueWrong: number;
  /** Reward when t + margin ≥ T; `null` disables the check (TRL). */
  exceedLength: number | null;
  /** Clamp t/T to 1 (TRL), so lengths past T stay at r_T instead of climbing back up the cosine. */
  clampProgress: boolean;
}

export type CosinePreset = "paper" | "code" | "trl";

export const COSINE_PRESETS: Record<CosinePreset, CosineValues> = {
  // Paper run scripts (section_4.x …cosine….sh): correct 2 → 1, wrong −10 → 0, exceed −10.
  paper: { maxValueCorrect: 2, minValueCorrect: 1, minValueWrong: -10, maxValueWrong: 0, exceedLength: -10, clampProgress: false },
  // argparse defaults of train_ppo_ray.py; --math_rule_common_exceed_length None becomes 0 in the reward.
  code: { maxValueCorrect: 1, minValueCorrect: 0, minValueWrong: -1, maxValueWrong: 0, exceedLength: 0, clampProgress: false },
  // TRL / open-r1 get_cosine_scaled_reward defaults.
  trl: { maxValueCorrect: 1.0, minValueCorrect: 0.5, minValueWrong: -1.0, maxValueWrong: -0.5, exceedLength: null, clampProgress: true },
};

export interface CosineOptions extends Partial<CosineValues> {
  /** Default "paper". Explicit values override the preset's. */
  preset?: CosinePreset;
  /** T in tokens; defaults to RewardInput.maxTokens. */
  maxTokens?: number;
  /** @deprecated The old name of maxTokens. */
  maxLen?: number;
  /** Which length is t: the whole response (default) or the thinking block. */
  count?: "response" | "thinking";
  lengthMargin?: number;
  /** Sparse repetition penalty on wrong answers (argparse defaults: n = 20, max_penalty = 0, i.e. off). */
  repetitionNgramSize?: number;
  repetitionMaxPenalty?: number;
}

/** r_T + ½(r_0 − r_T)(1 + cos(π·progress)), in the reference's operation order. */
export function cosineSchedule(progress: number, r0: number, rT: number): number {
  const cosine = Math.cos(progress * Math.PI);
  return rT + 0.5 * (r0 - rT) * (1.0 + cosine);
}

const NAME = "cosine";

export function cosineReward(options: CosineOptions = {}): RewardFn {
  const base = COSINE_PRESETS[options.preset ?? "paper"];
  const v: CosineValues = {
    maxValueCorrect: options.maxValueCorrect ?? base.maxValueCorrect,
    minValueCorrect: options.minValueCorrect ?? base.minValueCorrect,
    minValueWrong: options.minValueWrong ?? base.minValueWrong,
    maxValueWrong: options.maxValueWrong ?? base.maxValueWrong,
    exceedLength: options.exceedLength !== undefined ? options.exceedLength : base.exceedLength,
    clampProgress: options.clampProgress ?? base.clampProgress,
  };
  const margin = options.lengthMargin ?? COSINE_MAX_LEN_MARGIN;
  const count = options.count ?? "response";
  const ngram = options.repetitionNgramSize ?? DEMYSTIFY_REPETITION_NGRAM_SIZE;
  const maxPenalty = options.repetitionMaxPenalty ?? DEMYSTIFY_REPETITION_MAX_PENALTY;
  wordRepetitionPenalty("", ngram, maxPenalty); // validates n and the sign of max_penalty up front
  const maxTokens = renamedOption(options.maxTokens, options.maxLen, { current: "maxTokens", old: "maxLen" }, NAME);
  return (x) => {
    const T = requireLength(maxTokens ?? x.maxTokens, "maxTokens (T) or RewardInput.maxTokens", NAME);
    const t = tokenCount(x, count, NAME);
    if (v.exceedLength !== null && t + margin >= T) return v.exceedLength;
    const correct = requireCorrect(x, NAME);
    const progress = v.clampProgress ? Math.min(t / T, 1.0) : t / T;
    if (correct) return cosineSchedule(progress, v.maxValueCorrect, v.minValueCorrect);
    return cosineSchedule(progress, v.minValueWrong, v.maxValueWrong) + wordRepetitionPenalty(x.completion, ngram, maxPenalty);
  };
}
