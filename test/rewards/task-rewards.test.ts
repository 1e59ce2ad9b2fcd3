import { describe, expect, it } from "vitest";
import {
  correctnessReward,
  hasBoxed,
  simpleRlReward,
  tinyZeroCountdownReward,
  type RewardInput,
  type Scorer,
} from "../../src/rewards/index.js";

interface Ex {
  answer: string;
}

const scorer: Scorer<Ex> = (completion, ex) => {
  const m = /<answer>(.*?)<\/answer>/.exec(completion);
  const extracted = m ? m[1].trim() : null;
  const correct = extracted === ex.answer;
  return { correct, reward: correct ? 1 : extracted === null ? 0 : 0.3, extracted };
};

describe("correctness reward", () => {
  const ex = { answer: "4" };
  it("wraps a task scorer: its reward or 1/0 of correct", () => {
    const byReward = correctnessReward({ scorer, use: "reward" });
    const byCorrect = correctnessReward({ scorer });
    const wrong: RewardInput = { completion: "<answer>5</answer>", example: ex, tokens: { response: 3 } };
    const right: RewardInput = { completion: "<answer>4</answer>", example: ex, tokens: { response: 3 } };
    expect(byReward(wrong)).toBe(0.3);
    expect(byCorrect(wrong)).toBe(0);
    expect(byReward(right)).toBe(1);
    expect(byCorrect(right)).toBe(1);
    expect(() => byCorrect({ completion: "", tokens: { response: 0 } })).toThrow(/needs RewardInput.example/);
  });

  it("reads a precomputed score or correct flag", () => {
    expect(correctnessReward({ use: "reward" })({ completion: "", tokens: { response: 0 }, score: { correct: false, reward: 0.25 } })).toBe(0.25);
    expect(correctnessReward()({ completion: "", tokens: { response: 0 }, correct: true })).toBe(1);
    expect(() => correctnessReward()({ completion: "", tokens: { response: 0 } })).toThrow(/reward "correctness" needs RewardInput.correct/);
  });
});

describe("TinyZero countdown reward (0 / 0.1 / 1.0)", () => {
  const r = tinyZeroCountdownReward();
  const with_ = (correct: boolean, extracted: string | null | undefined): RewardInput => ({
    completion: "",
    tokens: { response: 1 },
    score: extracted === undefined ? { correct } : { correct, extracted },
  });
  it("maps the task's score", () => {
    expect(r(with_(false, null))).toBe(0); // no <answer>
    expect(r(with_(false, "(1 + 2) * 3"))).toBe(0.1); // format score
    expect(r(with_(true, "(1 + 2) * 3"))).toBe(1.0);
    expect(() => r(with_(true, undefined))).toThrow(/needs the task score's "extracted" field/);
    expect(() => r({ completion: "", tokens: { response: 1 }, correct: true })).toThrow(/needs RewardInput.score/);
  });
});

describe("SimpleRL reward", () => {
  const sample = (completion: string, correct: boolean): RewardInput => ({ completion, correct, tokens: { response: 1 } });
  it("mix mode: +1 correct, −0.5 wrong, −1 without \\boxed{} (even when correct)", () => {
    const r = simpleRlReward();
    expect(r(sample("so \\boxed{4}", true))).toBe(1);
    expect(r(sample("so \\boxed{5}", false))).toBe(-0.5);
    expect(r(sample("the answer is 4", true))).toBe(-1);
    expect(r(sample("the answer is 5", false))).toBe(-1);
  });

  it("independent mode: 1 / 0.5 / −0.5 / −1", () => {
    const r = simpleRlReward({ mode: "independent" });
    expect(r(sample("\\boxed{4}", true))).toBe(1);
    expect(r(sample("4", true))).toBe(0.5);
    expect(r(sample("\\boxed{5}", false))).toBe(-0.5);
    expect(r(sample("5", false))).toBe(-1);
    expect(simpleRlReward({ formatPenalty: -0.3 })(sample("5", false))).toBe(-0.3);
  });

  it("detects \\boxed{} as the source's regex does", () => {
    expect(hasBoxed("\\boxed{\\frac{1}{2}}")).toBe(true);
    expect(hasBoxed("\\boxed{a{b{c}}}")).toBe(true); // two nested levels
    expect(hasBoxed("\\boxed{a{b{c{d}}}}")).toBe(false); // three levels: the regex cannot match
    expect(hasBoxed("done<|im_end|>\\boxed{4}")).toBe(false); // cut at the stop word
    expect(hasBoxed("\\boxed 4")).toBe(false);
  });
});
