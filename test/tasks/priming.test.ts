// Countdown priming traces (src/tasks/countdown/priming.ts) and the `priming` dataset generator: each condition's
// behaviors (by the rule-based detectors), correct answers except incorrect_only, length matching, determinism.
import { describe, expect, it } from "vitest";
import { BEHAVIORS, countBehaviors, type Behavior } from "../../src/analysis/behaviors/detect.js";
import { generatePriming, primingDataOptions } from "../../src/datagen/priming.js";
import { getGenerator } from "../../src/datagen/index.js";
import { CONDITION_BEHAVIORS, PRIMING_CONDITIONS, primingCompletion, type PrimingCondition } from "../../src/tasks/countdown/priming.js";
import { primingPhrases } from "../../src/tasks/countdown/priming-phrases.js";
import { scoreTinyZero } from "../../src/tasks/countdown/score.js";
import { thinkingOf } from "../../src/experiments/priming.js";

const N = 40;
const rowsOf = (condition: PrimingCondition, seed = 3, numbers = 3) => generatePriming(N, seed, { condition, numbers }).rows;
const shows = (completion: string): Behavior[] => {
  const c = countBehaviors(thinkingOf(completion));
  return BEHAVIORS.filter((b) => c[b] > 0);
};

describe("priming traces", () => {
  it("all_strategies traces show all four behaviors, every one of them, and answer correctly", () => {
    for (const r of rowsOf("all_strategies")) {
      expect(shows(r.completion)).toEqual([...BEHAVIORS]);
      expect(r.behaviors).toEqual(["verification", "backtracking", "subgoal_setting", "backward_chaining"]);
      expect(scoreTinyZero(r.completion, r).correct).toBe(true);
    }
  });

  it("each single-behavior and paired condition shows exactly its behaviors", () => {
    const conditions: PrimingCondition[] = ["only_backtracking", "only_verification", "backtracking_verification", "backtracking_subgoal", "backtracking_backward"];
    for (const condition of conditions) {
      for (const r of rowsOf(condition)) {
        const found = shows(r.completion);
        const wanted = CONDITION_BEHAVIORS[condition];
        for (const b of wanted) expect(found, `${condition}: ${r.completion}`).toContain(b);
        // the definitions overlap in one place: a value needed from the target back is also an intermediate goal
        const extra = found.filter((b) => !wanted.includes(b) && !(b === "subgoal_setting" && wanted.includes("backward_chaining")));
        expect(extra, `${condition}: ${r.completion}`).toEqual([]);
        expect(scoreTinyZero(r.completion, r).correct).toBe(true);
      }
    }
  });

  it("incorrect_only traces show the behaviors and end in a parseable wrong answer (reward 0.1)", () => {
    for (const r of rowsOf("incorrect_only")) {
      const s = scoreTinyZero(r.completion, r);
      expect(s.correct).toBe(false);
      expect(s.reward).toBe(0.1);
      expect(s.extracted).toBe(r.answer);
      const found = shows(r.completion);
      for (const b of ["verification", "backtracking", "subgoal_setting"] as const) expect(found).toContain(b);
      expect(found.includes("backward_chaining")).toBe(r.behaviors.includes("backward_chaining"));
    }
  });

  it("empty_cot has no reasoning; placeholder_cot matches the all_strategies length of the same problem", () => {
    const all = rowsOf("all_strategies");
    const empty = rowsOf("empty_cot");
    const placeholder = rowsOf("placeholder_cot");
    for (let i = 0; i < N; i++) {
      expect(empty[i].completion).toBe(` </think>\n<answer>${all[i].answer}</answer>`);
      expect(placeholder[i].problem_id).toBe(all[i].problem_id);
      expect(placeholder[i].prompt).toBe(all[i].prompt);
      expect(placeholder[i].completion.length).toBe(all[i].completion.length);
      expect(shows(placeholder[i].completion)).toEqual([]);
      expect(scoreTinyZero(placeholder[i].completion, placeholder[i]).correct).toBe(true);
    }
  });

  it("placeholder_cot matches under a given measure (tokens of a phrase vocabulary)", () => {
    const phrases = primingPhrases();
    const tokens = (s: string) => {
      let n = 0;
      for (let i = 0; i < s.length; n++) i += phrases.find((p) => s.startsWith(p, i))?.length ?? 1;
      return n;
    };
    const all = generatePriming(10, 5, { condition: "all_strategies" }).rows;
    const placeholder = generatePriming(10, 5, { condition: "placeholder_cot" }, tokens).rows;
    for (let i = 0; i < 10; i++) {
      const think = (c: string) => c.slice(1, c.indexOf("\n</think>"));
      expect(tokens(think(placeholder[i].completion))).toBe(tokens(think(all[i].completion)));
      expect(placeholder[i].completion.length).toBeLessThan(all[i].completion.length);
    }
  });

  it("is deterministic per seed, varies with the seed, and uses several phrasings", () => {
    for (const c of PRIMING_CONDITIONS) expect(rowsOf(c, 11)).toEqual(rowsOf(c, 11));
    expect(rowsOf("all_strategies", 11)).not.toEqual(rowsOf("all_strategies", 12));
    const firstLines = new Set(rowsOf("all_strategies").map((r) => r.completion.split("\n")[1].slice(0, 12)));
    expect(firstLines.size).toBeGreaterThan(1);
  });

  it("works for 4 numbers and writes TinyZero prompts ending inside <think>", () => {
    for (const r of rowsOf("all_strategies", 4, 4)) {
      expect(r.numbers).toHaveLength(4);
      expect(r.prompt.endsWith("<think>")).toBe(true);
      expect(r.prompt).toContain(`create an equation that equals ${r.target}`);
      expect(scoreTinyZero(r.completion, r).correct).toBe(true);
      expect(shows(r.completion)).toEqual([...BEHAVIORS]);
    }
  });

  it("the completion puts the answer on the last line after </think>", () => {
    expect(primingCompletion({ think: "a\nb", answer: "1 + 2", behaviors: [] })).toBe("\na\nb\n</think>\n<answer>1 + 2</answer>");
  });
});

describe("priming dataset generator", () => {
  it("is registered with a strict options schema naming bad keys", () => {
    const g = getGenerator("priming");
    const rows = g.generate(3, 1, primingDataOptions.parse({ condition: "only_verification" })).rows;
    expect(rows).toHaveLength(3);
    expect(rows[0].condition).toBe("only_verification");
    expect(() => primingDataOptions.parse({ condition: "nope" })).toThrow(/condition/);
    expect(() => primingDataOptions.parse({ colour: 1 })).toThrow(/colour/);
  });
});
