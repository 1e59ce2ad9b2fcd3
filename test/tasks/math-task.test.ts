import { describe, expect, it } from "vitest";
import { mathTask, MATH_COT_INSTRUCTION } from "../../src/tasks/math-task.js";

describe("math task", () => {
  it("generates deterministic word problems whose rationale scores 1", () => {
    for (let index = 0; index < 20; index++) {
      const ex = mathTask.generate({ seed: 1, index, steps: 3 });
      expect(mathTask.generate({ seed: 1, index, steps: 3 })).toEqual(ex);
      expect(ex.answer).toMatch(/^\d+$/);
      expect(mathTask.prompt(ex)).toBe(`${ex.question}\n${MATH_COT_INSTRUCTION}`);
      const s = mathTask.score(mathTask.rationale!(ex), ex);
      expect(s.correct, s.reason).toBe(true);
      expect(s.reward).toBe(1);
    }
  });

  it("delegates scoring to the math verifier", () => {
    const ex = mathTask.fromFields({ question: "What is 1/2 + 1/4?", answer: "\\frac{3}{4}" });
    expect(mathTask.score("so the result is \\boxed{0.75}", ex).correct).toBe(true);
    expect(mathTask.score("so the result is \\boxed{3/4}", ex).correct).toBe(true);
    expect(mathTask.score("so the result is \\boxed{1}", ex)).toMatchObject({ correct: false, reward: 0, extracted: "1" });
    expect(mathTask.score("", ex).correct).toBe(false);
    expect(mathTask.fromFields({ question: "q", answer: 72 }).answer).toBe("72");
    expect(() => mathTask.fromFields({ question: 3, answer: "1" })).toThrow(/field "question"/);
  });

  it("uses a GSM8K rationale and appends the boxed answer", () => {
    const ex = { id: "g", question: "q", answer: "72", metadata: { rationale: "48 + 24 = 72" } };
    expect(mathTask.rationale!(ex)).toBe("48 + 24 = 72\nThe answer is \\boxed{72}.");
    expect(mathTask.score(mathTask.rationale!(ex), ex).correct).toBe(true);
  });
});
