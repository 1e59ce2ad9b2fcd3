import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  denseRepetitionPenalty,
  denseRepetitionReward,
  formatReward,
  pythonWords,
  repetitionReward,
  wordRepetitionPenalty,
} from "../../src/rewards/index.js";

const x = (completion: string) => ({ completion, tokens: { response: 1 } });

describe("R1 format reward", () => {
  const r1 = formatReward();
  it("accepts exactly one think block then one answer block, whitespace around and between", () => {
    expect(r1(x(" <think> reasoning </think> <answer> 42 </answer>"))).toBe(1);
    expect(r1(x("<think>a\nb</think>\n\n<answer>b</answer>\n"))).toBe(1);
    expect(r1(x("<think></think><answer></answer>"))).toBe(1);
  });

  it("rejects anything else", () => {
    expect(r1(x("<think>a</think>"))).toBe(0); // no answer
    expect(r1(x("<answer>b</answer>"))).toBe(0);
    expect(r1(x("<think>a</think><think>b</think><answer>c</answer>"))).toBe(0);
    expect(r1(x("<think>a</think><answer>b</answer><answer>c</answer>"))).toBe(0);
    expect(r1(x("Sure. <think>a</think><answer>b</answer>"))).toBe(0); // text before
    expect(r1(x("<think>a</think> so <answer>b</answer>"))).toBe(0); // text between
    expect(r1(x("<think>a</think><answer>b</answer> done"))).toBe(0); // text after
    expect(r1(x("<think>a <answer>x</answer></think><answer>b</answer>"))).toBe(0); // tag inside think
    expect(r1(x("<answer>b</answer><think>a</think>"))).toBe(0); // order
  });

  it("has a variant for templates that already opened <think>", () => {
    const pre = formatReward({ openThink: true });
    expect(pre(x(" reasoning </think>\n<answer>4</answer>"))).toBe(1);
    expect(pre(x("<think> x </think><answer>4</answer>"))).toBe(0);
    expect(r1(x(" reasoning </think>\n<answer>4</answer>"))).toBe(0);
  });
});

describe("TRL think_format_reward preset", () => {
  const trl = formatReward({ preset: "trl-think" });
  it("matches TRL's docstring examples and regex semantics", () => {
    expect(trl(x("<think>\nThis is my reasoning.\n</think>\nThis is my answer."))).toBe(1);
    expect(trl(x("<think>\nThis is my reasoning.\nThis is my answer."))).toBe(0);
    expect(trl(x("<think>a</think><think>b</think>"))).toBe(0); // (?!.*<think>)
    expect(trl(x(" <think>a</think>"))).toBe(0); // re.match anchors at 0
    expect(trl(x("line\n<think>a</think>"))).toBe(0); // no MULTILINE start-of-line match under re.match
    expect(trl(x("<think>a</think>"))).toBe(1); // no <answer> check
  });
});

describe("sparse repetition penalty", () => {
  it("TRL preset over token ids: docstring example [0.0, −0.75]", () => {
    const r = repetitionReward({ preset: "trl", ngramSize: 2 });
    expect(r({ ...x(""), tokenIds: [1, 2, 3, 4] })).toBe(0);
    expect(r({ ...x(""), tokenIds: [5, 5, 5, 5, 5] })).toBeCloseTo(-0.75, 15);
    expect(r({ ...x(""), tokenIds: [5] })).toBe(0); // fewer than n tokens
    expect(() => r(x("a"))).toThrow(/needs RewardInput.tokenIds/);
  });

  it("word n-grams split and lower-cased as Python does", () => {
    expect(pythonWords("The  THE\tthe\x1cthe\u00a0x")).toEqual(["the", "the", "the", "the", "x"]);
    // bigrams: (the,the)×3, (the,x) → 1 − 2/4
    expect(wordRepetitionPenalty("The  THE\tthe\x1cthe\u00a0x", 2, -1)).toBeCloseTo(-0.5, 15);
    expect(repetitionReward({ preset: "open-r1" })(x("a b c a b c"))).toBeCloseTo(-0.25, 15); // 4 trigrams, 3 unique
    expect(wordRepetitionPenalty("a b", 3, -1)).toBe(0);
    expect(wordRepetitionPenalty("a a a a", 2, 0)).toBe(0);
  });

  it("applies to wrong answers only when asked", () => {
    const r = repetitionReward({ preset: "open-r1", ngramSize: 1, wrongOnly: true });
    expect(r({ ...x("a a"), correct: true })).toBe(0);
    expect(r({ ...x("a a"), correct: false })).toBeCloseTo(-0.5, 15);
  });

  it("stays in [max_penalty, 0] (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (ids, n) => {
        const v = repetitionReward({ ngramSize: n, maxPenalty: -2 })({ ...x(""), tokenIds: ids });
        expect(v).toBeLessThanOrEqual(0);
        expect(v).toBeGreaterThanOrEqual(-2);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe("dense repetition penalty", () => {
  it("penalizes every token of a repeated n-gram (assigned, not summed)", () => {
    const ids = [1, 2, 3, 1, 2, 3, 1];
    // repeated 3-grams start at 3 (1,2,3) and 4 (2,3,1) → tokens 3..6
    expect(denseRepetitionPenalty(ids, { ngramSize: 3, penalty: -0.05 })).toEqual([0, 0, 0, -0.05, -0.05, -0.05, -0.05]);
    // only_start: the repeat at 4 begins inside the previous one (4 ≤ 6) and is skipped
    expect(denseRepetitionPenalty(ids, { ngramSize: 3, penalty: -0.05, onlyStart: true })).toEqual([0, 0, 0, -0.05, -0.05, -0.05, 0]);
  });

  it("sums to a scalar reward with the paper's 40-gram / −0.05 preset", () => {
    const ids = [...Array.from({ length: 40 }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => i)];
    // only the second copy's first 40-gram repeats → 40 tokens × −0.05
    expect(denseRepetitionReward({ preset: "paper" })({ ...x(""), tokenIds: ids })).toBeCloseTo(-2, 12);
    expect(denseRepetitionReward({ preset: "code" })({ ...x(""), tokenIds: [1, 2, 3] })).toBe(0);
    expect(() => denseRepetitionPenalty([1], { penalty: 0.1 })).toThrow(/must be negative/);
  });
});
