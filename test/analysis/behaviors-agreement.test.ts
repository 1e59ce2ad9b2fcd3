// Agreement statistics on hand-computed examples.
import { describe, expect, it } from "vitest";
import { behaviorAgreement, cohenKappa, pearson, ranks, spearman } from "../../src/analysis/behaviors/agreement.js";
import { behaviorStats, byStep } from "../../src/analysis/behaviors/aggregate.js";

const c = (verification: number, backtracking = 0, subgoal_setting = 0, backward_chaining = 0) => ({ verification, backtracking, subgoal_setting, backward_chaining });

describe("agreement formulas", () => {
  it("Cohen's kappa of a 2×2 table", () => {
    // both 2, a only 1, b only 1, neither 6: p_o = 0.8; p_a = p_b = 0.3; p_e = 0.09 + 0.49 = 0.58; κ = 0.22 / 0.42
    const a = [true, true, true, false, false, false, false, false, false, false];
    const b = [true, true, false, true, false, false, false, false, false, false];
    expect(cohenKappa(a, b)).toBeCloseTo(0.22 / 0.42, 12);
    expect(cohenKappa([true, false], [true, false])).toBe(1);
    expect(cohenKappa([true, false], [false, true])).toBe(-1);
    expect(cohenKappa([false, false], [false, false])).toBeNull(); // p_e = 1
  });

  it("Pearson and Spearman (ties share their mean rank)", () => {
    // x = 1,2,3 ; y = 2,4,7: means 2, 13/3; Σdxdy = 5, Σdx² = 2, Σdy² = 38/3 → r = 5 / √(76/3)
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(76 / 3), 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBeCloseTo(1, 12);
    // ranks x = 1,2,3 ; y = 1.5,1.5,3 → r = Pearson of those
    expect(spearman([0, 1, 2], [5, 5, 9])).toBeCloseTo(pearson([1, 2, 3], [1.5, 1.5, 3])!, 12);
    expect(pearson([1, 2, 3], [1.5, 1.5, 3])).toBeCloseTo(1.5 / Math.sqrt(2 * 1.5), 12);
  });

  it("behaviorAgreement per behavior", () => {
    const rules = [c(2, 1), c(0, 0), c(1, 0), c(0, 2)];
    const judge = [c(1, 1), c(0, 0), c(0, 0), c(3, 2)];
    const [v, bt, sg] = behaviorAgreement(rules, judge);
    expect(v).toMatchObject({ behavior: "verification", n: 4, both: 1, onlyA: 1, onlyB: 1, neither: 1, presenceAgreement: 0.5, kappa: 0 });
    expect(v.meanAbsDiff).toBeCloseTo((1 + 0 + 1 + 3) / 4, 12);
    expect(bt).toMatchObject({ both: 2, onlyA: 0, onlyB: 0, neither: 2, presenceAgreement: 1, kappa: 1, pearson: 1, meanAbsDiff: 0 });
    expect(sg).toMatchObject({ neither: 4, kappa: null, pearson: null, spearman: null, meanAbsDiff: 0 });
  });

  it("frequency and mean count, overall and per (stage, step)", () => {
    const s = behaviorStats([c(2, 1), c(0, 0), c(1, 0), c(0, 3)]);
    expect(s.traces).toBe(4);
    expect(s.frequency.verification).toBe(0.5);
    expect(s.meanCount.verification).toBe(0.75);
    expect(s.frequency.backtracking).toBe(0.5);
    expect(s.meanCount.backtracking).toBe(1);
    const groups = byStep([{ stage: "grpo", step: 2, v: 1 }, { stage: "sft", step: 0, v: 2 }, { stage: "grpo", step: 1, v: 3 }, { stage: "grpo", step: 2, v: 4 }, { v: 5 }], (g) => g.map((x) => x.v));
    expect(groups).toEqual([{ stage: "grpo", step: 1, stats: [3] }, { stage: "grpo", step: 2, stats: [1, 4] }, { stage: "sft", step: 0, stats: [2] }]);
  });
});
