// Weighted composition of several rewards, as TRL's `reward_weights`: total = Σ_i w_i · r_i(x). The unweighted
// r_i are kept per reward name so a trainer can log TRL's `rewards/{fn}/mean` and `rewards/{fn}/std`.
import type { RewardInput, RewardSpec } from "./types.js";

export interface ComposedReward {
  total: number;
  /** Unweighted value of each reward, by spec name. */
  parts: Record<string, number>;
}

export function composeRewards(specs: readonly RewardSpec[]): (x: RewardInput) => ComposedReward {
  if (specs.length === 0) throw new Error("composeRewards needs at least one reward");
  const seen = new Set<string>();
  for (const s of specs) {
    if (!s.name) throw new Error("composeRewards: every reward needs a name");
    if (seen.has(s.name)) throw new Error(`composeRewards: duplicate reward name "${s.name}" (give each a distinct name)`);
    if (!Number.isFinite(s.weight)) throw new Error(`composeRewards: reward "${s.name}" has a non-finite weight ${s.weight}`);
    seen.add(s.name);
  }
  return (x) => {
    const parts: Record<string, number> = {};
    let total = 0;
    for (const s of specs) {
      const r = s.fn(x);
      if (!Number.isFinite(r)) throw new Error(`reward "${s.name}" returned ${r}`);
      parts[s.name] = r;
      total += s.weight * r;
    }
    return { total, parts };
  };
}

/** Mean and Bessel-corrected standard deviation (TRL's nanstd); std is 0 for fewer than two values. */
function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: 0 };
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/**
 * Batch metrics named as TRL logs them: `reward` (mean total), `rewards/{name}/mean`, `rewards/{name}/std`
 * (std over the batch, Bessel-corrected as TRL's nanstd).
 */
export function summarizeRewards(results: readonly ComposedReward[]): Record<string, number> {
  if (results.length === 0) throw new Error("summarizeRewards needs at least one result");
  const out: Record<string, number> = { reward: meanStd(results.map((r) => r.total)).mean };
  for (const name of Object.keys(results[0].parts)) {
    const { mean, std } = meanStd(results.map((r) => r.parts[name]));
    out[`rewards/${name}/mean`] = mean;
    out[`rewards/${name}/std`] = std;
  }
  return out;
}
