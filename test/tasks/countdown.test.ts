import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { countdownTask } from "../../src/tasks/countdown/task.js";
import { PRESET_RULES, COUNTDOWN_PRESETS, type CountdownPreset } from "../../src/tasks/countdown/rules.js";
import { solveCountdown } from "../../src/tasks/countdown/solver.js";
import { pathTrace } from "../../src/tasks/countdown/sos-trace.js";
import { scoreReasoningGym, scoreTinyZero } from "../../src/tasks/countdown/score.js";
import { parseExpression } from "../../src/tasks/expression.js";
import type { Example } from "../../src/tasks/types.js";

const example = (preset: CountdownPreset, numbers: number[], target: number): Example => countdownTask.fromFields({ preset, numbers, target });

/** Writes a solution in the answer format of the preset. */
function answerFor(preset: CountdownPreset, numbers: number[], target: number): string | null {
  if (preset === "sos") {
    const r = solveCountdown(numbers, target, "sos-integer");
    return r.status === "solved" ? pathTrace(target, numbers, r.steps) : null;
  }
  const r = solveCountdown(numbers, target, "rational");
  if (r.status !== "solved") return null;
  return preset === "tinyzero" ? `<think>work</think>\n<answer>${r.expression}</answer>` : r.expression;
}

describe("countdown generation", () => {
  it("is deterministic per (seed, index), in any order", () => {
    for (const preset of COUNTDOWN_PRESETS) {
      const forward = [0, 1, 2].map((index) => countdownTask.generate({ seed: 11, index, preset }));
      const backward = [2, 1, 0].map((index) => countdownTask.generate({ seed: 11, index, preset })).reverse();
      expect(backward).toEqual(forward);
      expect(countdownTask.generate({ seed: 12, index: 0, preset })).not.toEqual(forward[0]);
    }
  });

  it("respects each preset's ranges and its gold answer scores correct", () => {
    for (const preset of COUNTDOWN_PRESETS) {
      const rules = PRESET_RULES[preset];
      for (let index = 0; index < 8; index++) {
        const ex = countdownTask.generate({ seed: 3, index, preset });
        const numbers = ex.metadata.numbers as number[];
        const target = ex.metadata.target as number;
        expect(numbers.length).toBeGreaterThanOrEqual(rules.minNumbers);
        expect(numbers.length).toBeLessThanOrEqual(rules.maxNumbers);
        for (const n of numbers) expect(n >= rules.minValue && n <= rules.maxValue).toBe(true);
        expect(target >= rules.minTarget && target <= rules.maxTarget).toBe(true);
        const s = countdownTask.score(countdownTask.rationale!(ex), ex);
        expect(s.correct, `${preset} ${index}: ${s.reason}`).toBe(true);
        expect(s.reward).toBeGreaterThan(0);
      }
    }
  });

  it("builds the preset prompts", () => {
    const tz = example("tinyzero", [44, 19, 35], 98);
    expect(countdownTask.prompt(tz)).toBe(
      "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer.\nUser: Using the numbers [44, 19, 35], create an equation that equals 98. You can use basic arithmetic operations (+, -, *, /) and each number can only be used once. Show your work in <think> </think> tags. And return the final answer in <answer> </answer> tags, for example <answer> (1 + 2) / 3 </answer>.\nAssistant: Let me solve this step by step.\n<think>",
    );
    expect(countdownTask.prompt(example("sos", [42, 61, 66], 47))).toBe("Current State: 47:[42, 61, 66], Operations: []");
    expect(countdownTask.prompt(example("reasoning-gym", [2, 3, 4, 5], 120))).toMatch(/^Using all of the numbers 2, 3, 4, 5, create an expression that equals 120\.\n/);
    expect(countdownTask.prompt(tz, { name: "t", render: (q) => `<<${q}>>` })).toBe(`<<${tz.question}>>`);
  });

  it("validates options with one-line messages", () => {
    expect(() => countdownTask.generate({ seed: 0, index: 0, preset: "sos", maxNumbers: 6 })).toThrow(/option "maxNumbers"/);
    expect(() => countdownTask.generate({ seed: 0, index: 0, minTarget: 50, maxTarget: 40 })).toThrow(/option "maxTarget"/);
    expect(() => countdownTask.generate({ seed: 0, index: -1 })).toThrow(/index/);
    expect(() => countdownTask.generate({ seed: 0, index: 0, preset: "sos", maxValue: 5000 })).toThrow(/option "maxValue"/);
    expect(() => countdownTask.fromFields({ numbers: [1], target: 2 })).toThrow(/field "numbers"/);
    expect(() => countdownTask.fromFields({ numbers: [1, 2], target: "3" })).toThrow(/field "target"/);
  });

  it("supports 2–5 numbers for sos and up to 6 for the expression presets", () => {
    const sos5 = countdownTask.generate({ seed: 2, index: 0, preset: "sos", minNumbers: 2, maxNumbers: 2 });
    expect((sos5.metadata.numbers as number[]).length).toBe(2);
    expect(countdownTask.score(countdownTask.rationale!(sos5), sos5).correct).toBe(true);
    const rg6 = countdownTask.generate({ seed: 2, index: 0, preset: "reasoning-gym", minNumbers: 6, maxNumbers: 6 });
    expect((rg6.metadata.numbers as number[]).length).toBe(6);
    expect(countdownTask.score(countdownTask.rationale!(rg6), rg6).correct).toBe(true);
  });
});

describe("countdown solver", () => {
  it("finds solutions and proves none", () => {
    const r = solveCountdown([44, 19, 35], 98, "rational");
    expect(r.status).toBe("solved");
    expect(solveCountdown([1, 1, 1], 100, "rational").status).toBe("unsolvable");
    expect(solveCountdown([2, 3], 6, "sos-integer")).toMatchObject({ status: "solved", expression: "2 * 3" });
    // Reaching 24 from 5, 5, 5, 1 needs a fraction: 5 · (5 − 1/5). SoS integer rules cannot.
    expect(solveCountdown([5, 5, 5, 1], 24, "rational").status).toBe("solved"); // (5 − 1/5) · 5
    expect(solveCountdown([5, 5, 5, 1], 24, "sos-integer").status).toBe("unsolvable");
    expect(solveCountdown([3, 7, 11, 13, 17, 19], 999, "rational", 10).status).toBe("gave-up");
  });

  it("every solver solution scores correct under each preset (property)", () => {
    for (const preset of COUNTDOWN_PRESETS) {
      const count = preset === "reasoning-gym" ? fc.integer({ min: 2, max: 4 }) : fc.integer({ min: 2, max: 4 });
      fc.assert(
        fc.property(count.chain((n) => fc.tuple(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: n, maxLength: n }), fc.integer({ min: 1, max: 200 }))), ([numbers, target]) => {
          const answer = answerFor(preset, numbers, target);
          if (answer === null) return true;
          const ex = example(preset, numbers, target);
          const s = countdownTask.score(answer, ex);
          return s.correct && s.reward > 0;
        }),
        { numRuns: 60 },
      );
    }
  });

  it("no mutation of the numbers in a correct answer scores correct (property)", () => {
    const problem = fc.tuple(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 3, maxLength: 4 }), fc.integer({ min: 1, max: 120 }));
    fc.assert(
      fc.property(problem, fc.nat(), fc.integer({ min: 1, max: 50 }), fc.constantFrom("change", "drop", "duplicate"), ([numbers, target], pick, delta, kind) => {
        const solved = solveCountdown(numbers, target, "rational");
        if (solved.status !== "solved") return true;
        const literals = [...solved.expression.matchAll(/\d+/g)];
        const m = literals[pick % literals.length];
        const at = m.index ?? 0;
        const before = solved.expression.slice(0, at);
        const after = solved.expression.slice(at + m[0].length);
        const mutated =
          kind === "change" ? `${before}${Number(m[0]) + delta}${after}` : kind === "drop" ? `${before}0${after}` : `${solved.expression} + ${m[0]} - ${m[0]}`;
        for (const preset of ["tinyzero", "reasoning-gym"] as const) {
          const ex = example(preset, numbers, target);
          const completion = preset === "tinyzero" ? `<answer>${mutated}</answer>` : mutated;
          if (countdownTask.score(completion, ex).correct) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe("TinyZero scorer", () => {
  const p = { numbers: [44, 19, 35], target: 98 };
  it("rewards 1.0 / 0.1 / 0 like verl countdown.py", () => {
    expect(scoreTinyZero("<think>…</think>\n<answer>(44 + 19) + 35</answer>", p)).toMatchObject({ reward: 1, correct: true, extracted: "(44 + 19) + 35" });
    expect(scoreTinyZero("<answer>44 + 19 + 35</answer>\n", p).reward).toBe(1); // trailing newline ignored
    expect(scoreTinyZero("<answer>44 + 19 + 36</answer>", p)).toMatchObject({ reward: 0.1, correct: false });
    expect(scoreTinyZero("<answer>44 + 19 + 35 + 0</answer>", p).reward).toBe(0.1);
    expect(scoreTinyZero("<answer>44 + 54</answer>", p).reward).toBe(0.1);
    expect(scoreTinyZero("<answer>44 × 19 + 35</answer>", p).reward).toBe(0.1); // outside TinyZero's charset
    expect(scoreTinyZero("<answer>98</answer>", p).reward).toBe(0.1);
    expect(scoreTinyZero("<answer>44 + 19 + 35</answer>\nsome trailing line", p).reward).toBe(0);
    expect(scoreTinyZero("the answer is 44 + 19 + 35", p).reward).toBe(0);
    expect(scoreTinyZero("User: x\nAssistant: <answer>1</answer> … \n<answer>35 + 19 + 44</answer>", p).reward).toBe(1);
  });
  it("compares within 1e-5 exactly", () => {
    expect(scoreTinyZero("<answer>(1 + 2) / 3</answer>", { numbers: [1, 2, 3], target: 1 }).reward).toBe(1);
    expect(scoreTinyZero("<answer>1000000 / 999999</answer>", { numbers: [1000000, 999999], target: 1 }).reward).toBe(1); // 1.000001 − 1 < 1e-5
    expect(scoreTinyZero("<answer>100000 / 99999</answer>", { numbers: [100000, 99999], target: 1 }).reward).toBe(0.1); // 1/99999 > 1e-5
    expect(scoreTinyZero("<answer>10000 / 9999</answer>", { numbers: [10000, 9999], target: 1 }).reward).toBe(0.1);
  });
});

describe("reasoning-gym scorer", () => {
  const p = { numbers: [2, 3, 4, 5], target: 120 };
  it("rewards 1.0 / 0.05 / 0.01 / 0", () => {
    expect(scoreReasoningGym("2 * 3 * 4 * 5", p)).toMatchObject({ reward: 1, correct: true });
    expect(scoreReasoningGym("thinking…\n<answer>5 * 4 * 3 * 2</answer>", p).reward).toBe(1);
    expect(scoreReasoningGym("work\n2 * 3 * 4 * 5", p).reward).toBe(1);
    expect(scoreReasoningGym("2 * 3 * 4 * 5 + 0", p).reward).toBe(0.05);
    expect(scoreReasoningGym("2 * 3 * 4 + 5", p).reward).toBe(0.05);
    expect(scoreReasoningGym("2 * 3 * 4 * 5 = 120", p).reward).toBe(0.01);
    expect(scoreReasoningGym("", p).reward).toBe(0);
  });
});

describe("parsed expressions", () => {
  it("accepts the documented operators", () => {
    expect(parseExpression("(1 + 2) × 3 ÷ 4 − 5 * 6 / 7").ok).toBe(true);
  });
});
