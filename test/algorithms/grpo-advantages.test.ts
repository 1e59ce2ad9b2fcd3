// Group-relative advantages against hand-computed values: rewards [1,0,0,1 | 2,0,1,1 | 0,0,0,0], G = 4.
//   group stds (Bessel): √(1/3) = 0.5773502691896257, √(2/3) = 0.816496580927726, 0
//   batch std of all 12 rewards: 0.674199862463242
import { describe, expect, it } from "vitest";
import { ADVANTAGE_EPS, groupAdvantages } from "../../src/algorithms/grpo/advantages.js";

const REWARDS = [1, 0, 0, 1, 2, 0, 1, 1, 0, 0, 0, 0];

function close(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], 12));
}

describe("groupAdvantages", () => {
  it('"group": (r − mean_g) / (std_g + 1e-4), zero for an all-equal group', () => {
    const a = groupAdvantages(REWARDS, 4, "group");
    expect(ADVANTAGE_EPS).toBe(1e-4);
    close(a.advantages, [
      0.8658754297607016, -0.8658754297607016, -0.8658754297607016, 0.8658754297607016,
      1.2245948897605123, -1.2245948897605123, 0, 0,
      0, 0, 0, 0,
    ]);
    close(a.groupMean, [0.5, 1, 0]);
    close(a.groupStd, [0.5773502691896257, 0.816496580927726, 0]);
    expect(a.zeroStd).toEqual([false, false, true]);
    expect(a.rewardStd).toBeCloseTo((0.5773502691896257 + 0.816496580927726) / 3, 12);
  });

  it('"batch": the mean stays per group, the std is the whole batch\'s', () => {
    const a = groupAdvantages(REWARDS, 4, "batch");
    close(a.advantages, [
      0.7415098650227834, -0.7415098650227834, -0.7415098650227834, 0.7415098650227834,
      1.4830197300455668, -1.4830197300455668, 0, 0,
      0, 0, 0, 0,
    ]);
    expect(a.rewardStd).toBeCloseTo(0.674199862463242, 12);
    expect(a.zeroStd).toEqual([false, false, true]);
  });

  it('"none" (Dr. GRPO): mean-centring only', () => {
    const a = groupAdvantages(REWARDS, 4, "none");
    close(a.advantages, [0.5, -0.5, -0.5, 0.5, 1, -1, 0, 0, 0, 0, 0, 0]);
  });

  it("an all-equal group of non-representable floats gets exactly 0", () => {
    expect(groupAdvantages([0.1, 0.1, 0.1], 3, "group").advantages).toEqual([0, 0, 0]);
  });

  it("rejects groups of one, ragged batches, non-finite rewards and unknown scales, naming what was expected", () => {
    expect(() => groupAdvantages([1, 0], 1)).toThrow(/groupSize \(num_generations\) must be an integer ≥ 2, got 1/);
    expect(() => groupAdvantages([1, 0, 1], 2)).toThrow(/positive multiple of groupSize 2 rewards, got 3/);
    expect(() => groupAdvantages([1, NaN], 2)).toThrow(/reward 1 is NaN/);
    expect(() => groupAdvantages([1, 0], 2, "global" as "group")).toThrow(/scale_rewards: expected one of group, batch, none, got "global"/);
  });
});
