// LCPO length-controlled rewards (Aggarwal & Welleck, L1; cmu-l3/l1 math_reward.py):
//   Exact: r = 1[correct] − α·|n_gold − n_y|                       (α = 0.0003 in run_l1_exact.sh; 1/3000 originally)
//   Max:   r = 1[correct] · clip(α·(n_gold − n_y) + 0.5, 0, 1)     (original code: clip(0.5 + (n_gold − n_y)/1000)
//          i.e. α = 0.001 — `get_delta_score_max` clips (n_gold − n_y)/500 to [−1, 1] then maps (sc + 1)/2 —;
//          the refactored reward config defaults to α = 0.01)
// n_y is the whole response, thinking plus answer, by default (cmu-l3/l1#23); `count: "thinking"` counts only the
// thinking block. A negative n_gold means Max mode (scripts/data/deepscaler_dataset.py); `mode: "auto"` follows it.
// Note: the shipped run_l1_max.sh sets no reward_config flags, so as shipped L1-Max trains on plain correctness.
import { requireCorrect, tokenCount, type RewardFn } from "./types.js";

export const LCPO_EXACT_ALPHA = 0.0003;
export const LCPO_EXACT_ALPHA_ORIGINAL = 1 / 3000;
export const LCPO_MAX_ALPHA_ORIGINAL = 1 / 1000;
export const LCPO_MAX_ALPHA_CONFIG = 0.01;
/** The constant that centres the Max reward at n_y = n_gold. */
export const LCPO_MAX_OFFSET = 0.5;

export type LcpoMode = "exact" | "max" | "auto";
export type LcpoPreset = "l1-exact" | "l1-exact-original" | "l1-max" | "l1-max-config";

export const LCPO_PRESETS: Record<LcpoPreset, { mode: "exact" | "max"; alpha: number }> = {
  "l1-exact": { mode: "exact", alpha: LCPO_EXACT_ALPHA },
  "l1-exact-original": { mode: "exact", alpha: LCPO_EXACT_ALPHA_ORIGINAL },
  "l1-max": { mode: "max", alpha: LCPO_MAX_ALPHA_ORIGINAL },
  "l1-max-config": { mode: "max", alpha: LCPO_MAX_ALPHA_CONFIG },
};

export function lcpoExact(correct: boolean, nGold: number, nY: number, alpha = LCPO_EXACT_ALPHA): number {
  return (correct ? 1 : 0) - alpha * Math.abs(nGold - nY);
}

export function lcpoMax(correct: boolean, nGold: number, nY: number, alpha = LCPO_MAX_ALPHA_ORIGINAL): number {
  if (!correct) return 0;
  return Math.min(1, Math.max(0, alpha * (nGold - nY) + LCPO_MAX_OFFSET));
}

export interface LcpoOptions {
  /** Default "l1-exact". */
  preset?: LcpoPreset;
  /** Overrides the preset's mode; "auto" reads Max from a negative n_gold and uses the matching preset α. */
  mode?: LcpoMode;
  alpha?: number;
  /** n_gold when RewardInput.targetTokens is absent. */
  targetTokens?: number;
  count?: "response" | "thinking";
}

const NAME = "lcpo";

export function lcpoReward(options: LcpoOptions = {}): RewardFn {
  const preset = LCPO_PRESETS[options.preset ?? "l1-exact"];
  const mode = options.mode ?? preset.mode;
  const count = options.count ?? "response";
  if (options.alpha !== undefined && !(options.alpha >= 0)) throw new Error(`reward "${NAME}": alpha must be ≥ 0, got ${options.alpha}`);
  const alphaFor = (m: "exact" | "max"): number =>
    options.alpha ?? (m === preset.mode ? preset.alpha : m === "exact" ? LCPO_EXACT_ALPHA : LCPO_MAX_ALPHA_ORIGINAL);
  return (x) => {
    const target = x.targetTokens ?? options.targetTokens;
    if (target === undefined || !Number.isFinite(target)) throw new Error(`reward "${NAME}" needs RewardInput.targetTokens (n_gold) or the targetTokens option`);
    const m: "exact" | "max" = mode === "auto" ? (target < 0 ? "max" : "exact") : mode;
    const nGold = Math.abs(target);
    const nY = tokenCount(x, count, NAME);
    const correct = requireCorrect(x, NAME);
    return m === "exact" ? lcpoExact(correct, nGold, nY, alphaFor(m)) : lcpoMax(correct, nGold, nY, alphaFor(m));
  };
}
