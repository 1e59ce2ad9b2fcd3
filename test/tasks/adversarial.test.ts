import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { getTask } from "../../src/tasks/registry.js";
import { MAX_COMPLETION_CHARS, lastTagContent } from "../../src/tasks/safe-score.js";
import { extractAdditionAnswer } from "../../src/tasks/addition.js";
import { extractBareExpression } from "../../src/tasks/countdown/score.js";
import { checkSosTrace } from "../../src/tasks/countdown/sos-check.js";
import { parseExpression } from "../../src/tasks/expression.js";
import { extractChoice } from "../../src/tasks/multiple-choice.js";
import type { Example } from "../../src/tasks/types.js";

/** Generous per-call bound: the real bound is structural (input caps, linear scans), this only catches blow-ups. */
const PER_CHECK_MS = 2000;
const MB = 1_000_000;

const CORPUS: [string, string][] = [
  ["empty", ""],
  ["whitespace", " \n\t\r\n "],
  ["1 MB of letters", "a".repeat(MB)],
  ["1 MB of digits", "9".repeat(MB)],
  ["1 MB of newlines", "\n".repeat(MB)],
  ["<answer> spam", "<answer>".repeat(MB / 8)],
  ["</answer> spam", "</answer>".repeat(MB / 9)],
  ["answer tag pairs spam", "<answer>1</answer>".repeat(50_000)],
  ["\\boxed spam", "\\boxed{".repeat(MB / 7)],
  ["\\boxed letter spam", "\\boxed{A}\\boxed{B}\\boxed{C}\\boxed{D}\\boxed{E}".repeat(1000)],
  ["process.exit", "<answer>process.exit()</answer>"],
  ["process.exit bare", "process.exit(1)"],
  ["constructor", "<answer>constructor</answer>"],
  ["proto", "__proto__"],
  ["function call", "<answer>(() => 98)()</answer>"],
  ["huge exponent ^", "<answer>9^9^9</answer>"],
  ["huge exponent **", "<answer>9**9**9</answer>"],
  ["huge boxed exponent", "\\boxed{9^{9^{9^{9}}}}"],
  ["deep parentheses", `<answer>${"(".repeat(100_000)}1${")".repeat(100_000)}</answer>`],
  ["deep braces", `\\boxed{${"{".repeat(100_000)}}`],
  ["unicode digits", "<answer>４４ + １９ + ３５</answer>\n</scratch>\n８ ８ ３\nThe answer is Ｅ"],
  ["arabic-indic digits", "<answer>٤٤ + ١٩ + ٣٥</answer>"],
  ["huge literal", `<answer>${"1".repeat(5000)} + 1</answer>`],
  ["floats", "<answer>97.99999999 + 0.00000001</answer>"],
  ["NaN and Infinity", "<answer>NaN</answer> <answer>Infinity</answer> \\boxed{Infinity}"],
  ["lone surrogate", "\uD800<answer>\uDFFF</answer>"],
  ["null bytes", "\u0000".repeat(1000)],
  ["RTL override", "\u202E<answer>53 + 91 + 44</answer>"],
  ["goal spam", "98,98 equal: Goal Reached\n".repeat(10_000)],
  ["state spam", `Current State: 98:[${"1, ".repeat(100_000)}1], Operations: [${"'1+1=2', ".repeat(50_000)}]\n47,47 equal: Goal Reached`],
  ["scratch spam", "</scratch>\n".repeat(90_000)],
  ["chat markers", "<|im_start|>answer<|im_end|><|endoftext|>Assistant:"],
];

function goldExamples(): [string, Example][] {
  return [
    ["addition", getTask("addition").fromFields({ a: 624, b: 259 })],
    ["countdown/tinyzero", getTask("countdown").fromFields({ preset: "tinyzero", numbers: [44, 19, 35], target: 98 })],
    ["countdown/reasoning-gym", getTask("countdown").fromFields({ preset: "reasoning-gym", numbers: [44, 19, 35], target: 98 })],
    ["countdown/sos", getTask("countdown").fromFields({ preset: "sos", numbers: [42, 61, 66], target: 47 })],
    ["multiple-choice", getTask("multiple-choice").fromFields({ question: "q", choices: ["w", "x", "y", "z", "v"], answer: "E" })],
    ["math", getTask("math").fromFields({ question: "What is 48 + 24?", answer: "72" })],
  ];
}

const taskOf = (name: string) => getTask(name.split("/")[0]);

describe("adversarial completions", () => {
  for (const [name, example] of goldExamples()) {
    it(`${name}: no false correct, no throw, bounded work`, () => {
      const task = taskOf(name);
      for (const [label, completion] of CORPUS) {
        const t0 = performance.now();
        const s = task.score(completion, example);
        const ms = performance.now() - t0;
        expect(s.correct, `${name} / ${label}: ${s.reason}`).toBe(false);
        expect(Number.isFinite(s.reward)).toBe(true);
        expect(s.reason, `${name} / ${label}`).not.toMatch(/^internal-error/); // no exception was swallowed
        expect(ms, `${name} / ${label}`).toBeLessThan(PER_CHECK_MS);
      }
    });
  }

  it("rejects completions over the size cap and non-strings without looking at them", () => {
    for (const [name, example] of goldExamples()) {
      const task = taskOf(name);
      if (name !== "countdown/sos") {
        const s = task.score("x".repeat(MAX_COMPLETION_CHARS + 1), example);
        expect(s).toMatchObject({ correct: false, reward: 0 });
        expect(s.reason).toMatch(/more than/);
      }
      for (const bad of [null, undefined, 42, { toString: () => "883" }]) {
        const s = task.score(bad as unknown as string, example);
        expect(s.correct).toBe(false);
        expect(s.reason).toMatch(/not a string/);
      }
    }
  });

  it("never throws on arbitrary strings (property, every scorer)", () => {
    const examples = goldExamples();
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(examples.length - 1), (s, k) => {
        const [name, example] = examples[k];
        const r = taskOf(name).score(s, example);
        return typeof r.correct === "boolean" && Number.isFinite(r.reward) && !r.reason.startsWith("internal-error");
      }),
      { numRuns: 400 },
    );
  });

  it("survives broken examples", () => {
    for (const name of ["addition", "countdown", "multiple-choice", "math"]) {
      const s = getTask(name).score("anything", { id: "broken", question: "", answer: "", metadata: {} });
      expect(s.correct).toBe(false);
      expect(s.reason.length).toBeGreaterThan(0);
    }
  });

  it("extractors and parsers never throw on arbitrary strings (property, called directly)", () => {
    const choices = ["w", "x", "y", "z", "v"].map((text, i) => ({ label: "ABCDE"[i], text }));
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 100 }),
      fc.array(fc.constantFrom("<answer>", "</answer>", "\\boxed{", "}", "(", ")", "A", "E", " ", "\n", "</scratch>", "Current State: 47:[42, 61, 66], Operations: []", "Exploring Operation: 66-19=47, Resulting Numbers: [47]", "47,47 equal: Goal Reached", "1", "+", "÷", "9"), { maxLength: 60 }).map((xs) => xs.join("")),
    );
    fc.assert(
      fc.property(text, (s) => {
        extractAdditionAnswer(s);
        extractBareExpression(s);
        extractChoice(s, choices);
        lastTagContent(s, "answer");
        parseExpression(s);
        const c = checkSosTrace(s, 47, [42, 61, 66]);
        return c.valid === false || c.rating > 0 || c.rating === 0;
      }),
      { numRuns: 600 },
    );
  });
});
