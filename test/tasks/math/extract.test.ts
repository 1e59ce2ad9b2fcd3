import { describe, expect, it } from "vitest";
import { extractMathAnswer, lastBoxed } from "../../../src/tasks/math/index.js";

describe("extractMathAnswer (Qwen2.5-Math order)", () => {
  it("takes the Minerva 'final answer is $…$. I hope' span first", () => {
    const text = "So \\boxed{3}. Final Answer: The final answer is $\\frac{1}{2}$. I hope it is correct.";
    expect(extractMathAnswer(text)).toBe("\\frac{1}{2}");
  });

  it("takes the last brace-balanced \\boxed{} and keeps nested braces", () => {
    expect(extractMathAnswer("first \\boxed{1}. Then \\boxed{\\frac{1}{2}}")).toBe("\\frac{1}{2}");
    expect(extractMathAnswer("\\boxed{1} no no no \\boxed{2}")).toBe("2");
    expect(extractMathAnswer("$\\boxed{\\{1, 2\\}}$")).toBe("\\{1, 2\\}");
    expect(extractMathAnswer("\\fbox{7} done")).toBe("7");
  });

  it("reads \\boxed without braces up to the next $ or line end", () => {
    expect(extractMathAnswer("so $\\boxed 5$ is it")).toBe("5");
    expect(extractMathAnswer("answer: \\boxed 42\nmore text")).toBe("42");
  });

  it("skips a trailing unbalanced (truncated) box in favour of the previous balanced one", () => {
    expect(extractMathAnswer("\\boxed{3} and later \\boxed{\\frac{1}{")).toBe("3");
  });

  it("takes the text after 'the answer is' up to the end of the sentence", () => {
    expect(extractMathAnswer("Thus the answer is 12. Next question.")).toBe("12");
    expect(extractMathAnswer("Therefore, the answer is $x = 3.5$")).toBe("x = 3.5");
    expect(extractMathAnswer("The answer is: 7")).toBe("7");
  });

  it("falls back to 'final answer is', then <answer> tags, then the last number", () => {
    expect(extractMathAnswer("My final answer is 9")).toBe("9");
    expect(extractMathAnswer("<think>2+2</think><answer> 4 </answer>")).toBe("4");
    expect(extractMathAnswer("we get 3 apples and 1,250 pears")).toBe("1250");
    expect(extractMathAnswer("ratio 3/4")).toBe("3/4");
    expect(extractMathAnswer("x = -2.5")).toBe("-2.5");
  });

  it("prefers \\boxed over an answer phrase and an answer phrase over tags", () => {
    expect(extractMathAnswer("The answer is 1. Actually \\boxed{2}")).toBe("2");
    expect(extractMathAnswer("<answer>5</answer> so the answer is 6")).toBe("6");
  });

  it("returns null when there is nothing answer-like", () => {
    expect(extractMathAnswer("")).toBeNull();
    expect(extractMathAnswer("no digits here")).toBeNull();
    expect(extractMathAnswer("\\boxed{}")).toBeNull();
  });

  it("only examines the tail of a huge completion", () => {
    const huge = "\\boxed{1} " + "x".repeat(1_000_000) + " so \\boxed{2}";
    expect(extractMathAnswer(huge)).toBe("2");
    expect(extractMathAnswer("\\boxed{1} " + "x".repeat(1_000_000))).toBeNull();
  });

  it("lastBoxed ignores escaped braces when matching", () => {
    expect(lastBoxed("\\boxed{\\{1,2\\}}")).toBe("\\{1,2\\}");
    expect(lastBoxed("no box")).toBeNull();
  });
});
