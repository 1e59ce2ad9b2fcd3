import { describe, expect, it } from "vitest";
import { cosineReward, lcpoReward, overlongReward, type RewardInput } from "../../src/rewards/index.js";

const input = (t: number, correct: boolean, extra: Partial<RewardInput> = {}): RewardInput => ({ completion: "x", correct, tokens: { response: t }, ...extra });

describe("cosine length reward", () => {
  it("paper preset: 2/1 correct, −10/0 wrong, exceed −10 (T = 1000)", () => {
    const r = cosineReward({ preset: "paper", maxTokens: 1000 });
    expect(r(input(0, true))).toBe(2); // r_0 correct
    expect(r(input(500, true))).toBeCloseTo(1.5, 12); // cos(π/2) = 0 → midpoint
    expect(r(input(0, false))).toBe(-10); // r_0 wrong
    expect(r(input(500, false))).toBeCloseTo(-5, 12);
    // t + 16 = T → exceed_length, for correct and wrong alike
    expect(r(input(984, true))).toBe(-10);
    expect(r(input(984, false))).toBe(-10);
    // t + 16 = T − 1 → still on the cosine: 1 + ½(1 + cos(0.983π))
    expect(r(input(983, true))).toBeCloseTo(1 + 0.5 * (1 + Math.cos(0.983 * Math.PI)), 12);
    expect(r(input(983, true))).toBeCloseTo(1.000713, 6);
  });

  it("paper preset at t/T = 1/3: cos = ½", () => {
    const r = cosineReward({ preset: "paper", maxTokens: 960 });
    expect(r(input(320, true))).toBeCloseTo(1.75, 12); // 1 + ½·1·1.5
    expect(r(input(320, false))).toBeCloseTo(-7.5, 12); // 0 + ½·(−10)·1.5
  });

  it("code preset: argparse defaults 1/0/−1/0, exceed None → 0", () => {
    const r = cosineReward({ preset: "code", maxTokens: 1000 });
    expect(r(input(0, true))).toBe(1);
    expect(r(input(500, true))).toBeCloseTo(0.5, 12);
    expect(r(input(0, false))).toBe(-1);
    expect(r(input(500, false))).toBeCloseTo(-0.5, 12);
    expect(r(input(984, true))).toBe(0);
    expect(r(input(984, false))).toBe(0);
    expect(r(input(983, false))).toBeCloseTo(-0.5 * (1 + Math.cos(0.983 * Math.PI)), 12);
  });

  it("trl preset: 1.0/0.5/−1.0/−0.5, no exceed, t/T clamped to 1", () => {
    const r = cosineReward({ preset: "trl", maxTokens: 100 });
    // TRL docstring example: 50 of 100 tokens → [0.75, −0.75]
    expect(r(input(50, true))).toBeCloseTo(0.75, 12);
    expect(r(input(50, false))).toBeCloseTo(-0.75, 12);
    expect(r(input(0, true))).toBe(1);
    expect(r(input(0, false))).toBe(-1);
    expect(r(input(100, true))).toBeCloseTo(0.5, 12);
    expect(r(input(100, false))).toBeCloseTo(-0.5, 12);
    expect(r(input(99, true))).toBeGreaterThan(0.5); // no exceed branch at t + 16 ≥ T
    expect(r(input(200, true))).toBeCloseTo(0.5, 12); // clamped; unclamped would be cos(2π) → 1.0
    expect(cosineReward({ preset: "trl", maxTokens: 100, clampProgress: false })(input(200, true))).toBeCloseTo(1, 12);
  });

  it("adds the word-n-gram repetition penalty to wrong answers only", () => {
    const r = cosineReward({ preset: "code", maxTokens: 1000, repetitionNgramSize: 2, repetitionMaxPenalty: -1 });
    const completion = "a b a b a b"; // 5 bigrams, 2 unique → (1 − 2/5)·(−1) = −0.6
    expect(r({ completion, correct: false, tokens: { response: 0 } })).toBeCloseTo(-1 - 0.6, 12);
    expect(r({ completion, correct: true, tokens: { response: 0 } })).toBe(1);
    // defaults (n = 20, max_penalty = 0): off
    expect(cosineReward({ preset: "code", maxTokens: 1000 })({ completion, correct: false, tokens: { response: 0 } })).toBe(-1);
  });

  it("takes T from maxTokens, counts thinking tokens on request, and explains missing inputs", () => {
    const r = cosineReward({ preset: "code" });
    expect(r(input(500, true, { maxTokens: 1000 }))).toBeCloseTo(0.5, 12);
    expect(() => r(input(500, true))).toThrow(/reward "cosine" needs maxTokens \(T\) or RewardInput.maxTokens/);
    expect(() => cosineReward({ maxTokens: 1000 })({ completion: "", tokens: { response: 1 } })).toThrow(/needs RewardInput.correct/);
    // the exceed check comes first, as in the source, so no correctness is needed past T − 16
    expect(cosineReward({ maxTokens: 10 })({ completion: "", tokens: { response: 1 } })).toBe(-10);
    const thinking = cosineReward({ preset: "code", maxTokens: 1000, count: "thinking" });
    expect(thinking({ completion: "", correct: true, tokens: { response: 990, thinking: 500 } })).toBeCloseTo(0.5, 12);
    expect(() => thinking(input(5, true))).toThrow(/tokens.thinking is missing/);
    expect(() => cosineReward({ repetitionMaxPenalty: 1 })).toThrow(/should not be positive/);
  });
});

describe("DAPO overlong penalty", () => {
  const r = overlongReward({ maxTokens: 100, cacheLength: 20 });
  it("is 0 up to L_max − L_cache, linear in the window, −1 beyond L_max", () => {
    expect(r(input(0, true))).toBe(0);
    expect(r(input(80, true))).toBe(0); // window edge: |y| = L_max − L_cache
    expect(r(input(81, true))).toBeCloseTo(-0.05, 15);
    expect(r(input(90, true))).toBeCloseTo(-0.5, 15); // TRL docstring example
    expect(r(input(100, true))).toBe(-1); // |y| = L_max
    expect(r(input(101, true))).toBe(-1);
  });

  it("with L_cache = 0 is a hard cut at L_max; takes L_max from maxTokens", () => {
    const hard = overlongReward({ cacheLength: 0 });
    expect(hard(input(100, true, { maxTokens: 100 }))).toBe(0);
    expect(hard(input(101, true, { maxTokens: 100 }))).toBe(-1);
    expect(() => overlongReward({ maxTokens: 10, cacheLength: 20 })).toThrow(/cacheLength 20 exceeds maxTokens 10/);
    expect(() => overlongReward({ maxLength: 10, cacheLength: 20 })).toThrow(/cacheLength 20 exceeds maxTokens 10/); // maxLength: the old name
  });
});

describe("LCPO (L1)", () => {
  const t = (nY: number, correct: boolean, nGold: number, thinking?: number): RewardInput => ({
    completion: "",
    correct,
    tokens: thinking === undefined ? { response: nY } : { response: nY, thinking },
    targetTokens: nGold,
  });

  it("Exact: 1[correct] − 0.0003·|n_gold − n_y|", () => {
    const r = lcpoReward();
    expect(r(t(1000, true, 1000))).toBe(1);
    expect(r(t(1200, true, 1000))).toBeCloseTo(0.94, 12);
    expect(r(t(800, true, 1000))).toBeCloseTo(0.94, 12);
    expect(r(t(1200, false, 1000))).toBeCloseTo(-0.06, 12);
    expect(lcpoReward({ preset: "l1-exact-original" })(t(1300, true, 1000))).toBeCloseTo(0.9, 12); // α = 1/3000
  });

  it("Max: 1[correct]·clip(0.001·(n_gold − n_y) + 0.5, 0, 1), clip edges at ±500", () => {
    const r = lcpoReward({ preset: "l1-max" });
    expect(r(t(1000, true, 1000))).toBeCloseTo(0.5, 12);
    expect(r(t(1250, true, 1000))).toBeCloseTo(0.25, 12);
    expect(r(t(500, true, 1000))).toBeCloseTo(1, 12); // upper clip edge
    expect(r(t(400, true, 1000))).toBe(1); // clipped
    expect(r(t(1500, true, 1000))).toBeCloseTo(0, 12); // lower clip edge
    expect(r(t(1600, true, 1000))).toBe(0); // clipped
    expect(r(t(500, false, 1000))).toBe(0); // wrong → 0
    expect(lcpoReward({ preset: "l1-max-config" })(t(1010, true, 1000))).toBeCloseTo(0.4, 12); // α = 0.01
  });

  it("auto mode reads Max from a negative n_gold; thinking count on request", () => {
    const r = lcpoReward({ mode: "auto" });
    expect(r(t(1250, true, -1000))).toBeCloseTo(0.25, 12); // Max, α = 0.001
    expect(r(t(1200, true, 1000))).toBeCloseTo(0.94, 12); // Exact, α = 0.0003
    const thinking = lcpoReward({ count: "thinking" });
    expect(thinking(t(5000, true, 1000, 1000))).toBe(1);
    expect(() => lcpoReward()({ completion: "", correct: true, tokens: { response: 3 } })).toThrow(/needs RewardInput.targetTokens/);
    expect(lcpoReward({ targetTokens: 10 })({ completion: "", correct: true, tokens: { response: 10 } })).toBe(1);
  });
});
