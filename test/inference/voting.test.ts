// maj@k and self-consistency vote by the task's equivalence (math: 0.5 = \frac12), weighted votes, best-of-N with the
// oracle or a registry reward, and the L1 length error.
import { describe, expect, it } from "vitest";
import { bestOfN, lengthPrompt, lengthReport, oracleScorer, rewardScorer, selfConsistency, taskEquivalence } from "../../src/inference/index.js";
import { evaluateProblems } from "../../src/metrics/index.js";

describe("votes by equivalence", () => {
  it("maj@k groups math answers by value: 0.5 and \\frac{1}{2} are one vote", () => {
    // 2 votes for one half (correct) against 3 string-identical wrong votes… split as "1/3", "\\frac13", "1/3"
    const answers = ["0.5", "1/3", "\\frac{1}{2}", "\\frac13", "1/3"];
    const correct = [true, false, true, false, false];
    const records = answers.map((answer, i) => ({ id: "p", answer, correct: correct[i] }));
    const exact = evaluateProblems(records, [3, 5], { majMode: "first" });
    const math = evaluateProblems(records, [3, 5], { majMode: "first", equivalence: taskEquivalence("math") });
    // first 3: exact strings tie 1–1–1 → "0.5" (first) wins; by value, one half has 2 of 3
    expect(exact.summary["maj@3"]).toBe(1);
    expect(math.summary["maj@3"]).toBe(1);
    // all 5: exact "1/3" has 2 votes and wins; by value one third has 3 votes and wins too
    expect(exact.summary["maj@5"]).toBe(0);
    expect(math.problems[0].majority_answer).toBe("1/3");
    // addition: the digits of the sum
    const add = taskEquivalence("addition")!;
    expect("canonical" in add && add.canonical("0 8 8 3")).toBe("883");
  });

  it("self-consistency: plurality by class, ties to the first vote, optional log-prob weights", () => {
    const votes = [
      { answer: "2", logprobs: [-3, -3], correct: false },
      { answer: "\\frac{4}{2}", logprobs: [-2], correct: false },
      { answer: "3", logprobs: [-0.01], correct: true },
      { answer: null },
    ];
    const eq = taskEquivalence("math");
    const plain = selfConsistency(votes, { equivalence: eq });
    expect([plain.answer, plain.sample, plain.correct]).toEqual(["2", 0, false]);
    expect(plain.classes.map((c) => [c.answer, c.members, c.weight])).toEqual([["2", [0, 1], 2], ["3", [2], 1]]);
    // weights exp(−3) + exp(−2) ≈ 0.185 < exp(−0.01) ≈ 0.99
    const weighted = selfConsistency(votes, { equivalence: eq, weighting: "mean-logprob" });
    expect([weighted.answer, weighted.correct]).toEqual(["3", true]);
    expect(selfConsistency([{ answer: null }]).answer).toBeNull();
  });

  it("best-of-N with the oracle and with a registry reward", () => {
    const c = (completion: string, correct: boolean, response: number) => ({
      completion, tokens: { response }, score: { correct, reward: correct ? 1 : 0, extracted: null, reason: "" },
    });
    const cands = [c("<think>a</think> <answer>1</answer>", false, 10), c("no format", true, 5), c("<think>b</think> <answer>2</answer>", true, 20)];
    expect(bestOfN(cands, oracleScorer).index).toBe(1);
    expect(bestOfN(cands, rewardScorer("format")).index).toBe(0);
    expect(() => bestOfN([], oracleScorer)).toThrow(/at least one/);
  });

  it("L1 prompts and the length error", () => {
    expect(lengthPrompt("What is 2+2?", 512)).toBe("What is 2+2? Let's think step by step and output the final answer within \\boxed{}. Think for 512 tokens.");
    expect(lengthPrompt("Q", 100, "max")).toMatch(/Think for maximum 100 tokens\.$/);
    const r = lengthReport([{ target: 100, tokens: 90 }, { target: 100, tokens: 130 }], "exact");
    expect(r).toEqual({ mode: "exact", samples: 2, meanAbsError: 20, meanRelError: 0.2, meanOverrun: 15, overBudgetFraction: 0.5 });
  });
});
