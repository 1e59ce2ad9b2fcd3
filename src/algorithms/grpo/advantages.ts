// Group-relative advantages (DeepSeekMath §4.1.2, outcome supervision), as TRL's GRPOTrainer computes them:
//   A_i = (r_i − mean_g(r)) / (s + ε),   ε = 1e-4
// for completion i of group g (the G completions of one prompt), where the scale s is
//   "group" (default)  std_g(r): the Bessel-corrected std of the group's G rewards (DeepSeekMath, TRL)
//   "batch"            std(r):   the Bessel-corrected std of all rewards in the batch; the mean stays per group
//   "none"             s = 1 − ε, i.e. no division: A_i = r_i − mean_g(r) (Dr. GRPO, Liu et al. 2025)
// Every advantage of a group whose rewards are all equal is 0 (r_i = mean_g), whatever the scale: such a group
// carries no learning signal, which `frac_reward_zero_std` counts and DAPO's dynamic filtering drops.

export type ScaleRewards = "group" | "batch" | "none";

export const SCALE_REWARDS: readonly ScaleRewards[] = ["group", "batch", "none"];

/** ε added to the std before dividing (TRL's 1e-4). */
export const ADVANTAGE_EPS = 1e-4;

export interface GroupAdvantages {
  /** A_i, in the order of the rewards */
  advantages: number[];
  /** mean reward of each group */
  groupMean: number[];
  /** Bessel-corrected std of each group's rewards (whatever the scale) */
  groupStd: number[];
  /** true for a group whose rewards are all equal (no signal) */
  zeroStd: boolean[];
  /** TRL's `reward_std`: the mean over completions of the std TRL computes — the group std ("group", "none") or the batch std ("batch") */
  rewardStd: number;
}

/** Mean and Bessel-corrected std (n − 1 in the denominator, as torch.std); n ≥ 2. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/**
 * Advantages of `rewards` laid out group by group: rewards[g·G + k] is completion k of prompt g, G = `groupSize`.
 * Errors name the argument and what was expected.
 */
export function groupAdvantages(rewards: readonly number[], groupSize: number, scale: ScaleRewards = "group"): GroupAdvantages {
  if (!Number.isInteger(groupSize) || groupSize < 2) throw new Error(`groupAdvantages: groupSize (num_generations) must be an integer ≥ 2, got ${groupSize}`);
  if (rewards.length === 0 || rewards.length % groupSize !== 0) {
    throw new Error(`groupAdvantages: expected a positive multiple of groupSize ${groupSize} rewards, got ${rewards.length}`);
  }
  if (!SCALE_REWARDS.includes(scale)) throw new Error(`scale_rewards: expected one of ${SCALE_REWARDS.join(", ")}, got "${String(scale)}"`);
  rewards.forEach((r, i) => {
    if (!Number.isFinite(r)) throw new Error(`groupAdvantages: reward ${i} is ${r}`);
  });
  const groups = rewards.length / groupSize;
  const groupMean: number[] = [];
  const groupStd: number[] = [];
  const zeroStd: boolean[] = [];
  for (let g = 0; g < groups; g++) {
    const rs = rewards.slice(g * groupSize, (g + 1) * groupSize);
    const { mean, std } = meanStd(rs);
    groupMean.push(mean);
    groupStd.push(std);
    zeroStd.push(rs.every((r) => r === rs[0]));
  }
  const batchStd = meanStd(rewards).std;
  const advantages = rewards.map((r, i) => {
    const g = Math.floor(i / groupSize);
    if (zeroStd[g]) return 0; // exactly: r − mean can be ±1 ulp when the mean of equal floats rounds
    const centred = r - groupMean[g];
    switch (scale) {
      case "group": return centred / (groupStd[g] + ADVANTAGE_EPS);
      case "batch": return centred / (batchStd + ADVANTAGE_EPS);
      case "none": return centred;
    }
  });
  const rewardStd = scale === "batch" ? batchStd : groupStd.reduce((a, b) => a + b, 0) / groups;
  return { advantages, groupMean, groupStd, zeroStd, rewardStd };
}
