import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareAnswers, mathEqual, verifyMath } from "../../../src/tasks/math/index.js";

interface CorpusCase {
  gold: string;
  pred: string;
  equal: boolean;
  category: string;
}

const CORPUS_FILE = new URL("./corpus.jsonl", import.meta.url);
const cases: CorpusCase[] = readFileSync(CORPUS_FILE, "utf8")
  .split("\n")
  .filter((line) => line.trim().length > 0)
  .map((line, i) => {
    const row = JSON.parse(line) as CorpusCase;
    if (typeof row.gold !== "string" || typeof row.pred !== "string" || typeof row.equal !== "boolean") {
      throw new Error(`corpus.jsonl line ${i + 1}: expected {gold: string, pred: string, equal: boolean, category}`);
    }
    return row;
  });

describe("equivalence corpus", () => {
  it("has at least 200 cases covering positives and negatives", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.filter((c) => c.equal).length).toBeGreaterThan(50);
    expect(cases.filter((c) => !c.equal).length).toBeGreaterThan(50);
    const categories = new Set(cases.map((c) => c.category));
    for (const required of ["integer", "decimal", "thousands", "fraction", "malformed-frac", "mixed-number", "percent",
      "scientific", "sqrt", "pi", "symbolic", "trap", "relation", "equation", "units-text", "degrees", "latex-spacing",
      "delimiters", "tuple", "set", "interval", "multiple-answers", "tolerance"]) {
      expect(categories.has(required), required).toBe(true);
    }
  });

  const failures = (): string[] => {
    const out: string[] = [];
    for (const c of cases) {
      const v = compareAnswers(c.gold, c.pred);
      if (v.equal !== c.equal) out.push(`[${c.category}] ${c.gold} vs ${c.pred}: expected ${c.equal}, got ${v.equal} (${v.reason})`);
    }
    return out;
  };

  it("decides every case as expected", () => {
    expect(failures()).toEqual([]);
  });

  it("agrees through mathEqual and through verifyMath on a boxed completion", () => {
    for (const c of cases) {
      expect(mathEqual(c.gold, c.pred), `${c.gold} vs ${c.pred}`).toBe(c.equal);
      const r = verifyMath(c.gold, `Working... so the result is $\\boxed{${c.pred}}$.`);
      expect(r.correct, `${c.gold} vs boxed ${c.pred}`).toBe(c.equal);
    }
  });

  it("is stable when the cache is warm (second pass gives the same verdicts)", () => {
    expect(failures()).toEqual([]);
  });
});

describe("options", () => {
  it("relTol widens or narrows numeric tolerance", () => {
    expect(mathEqual("0.3333", "\\frac{1}{3}")).toBe(false);
    expect(mathEqual("0.3333", "\\frac{1}{3}", { relTol: 1e-3 })).toBe(true);
    expect(mathEqual("\\pi", "3.1416", { relTol: 1e-4 })).toBe(true);
    expect(mathEqual("\\pi", "3.1416")).toBe(false);
  });

  it("percent: marked (default) / always (Qwen) / never", () => {
    expect(mathEqual("50", "0.5")).toBe(false);
    expect(mathEqual("50", "0.5", { percent: "always" })).toBe(true);
    expect(mathEqual("500", "5", { percent: "always" })).toBe(true);
    expect(mathEqual("50\\%", "0.5", { percent: "never" })).toBe(false);
    expect(mathEqual("50\\%", "50", { percent: "never" })).toBe(true);
  });

  it("extract: false compares the text as given", () => {
    expect(verifyMath("5", "the answer is 5", { extract: false }).correct).toBe(false);
    expect(verifyMath("5", "the answer is 5").correct).toBe(true);
    expect(verifyMath("5", "5", { extract: false })).toEqual({ correct: true, extracted: "5", reason: "exact-string" });
  });

  it("rejects invalid options with a one-line error", () => {
    expect(() => verifyMath("1", "1", { relTol: -1 })).toThrow(/relTol must be a finite number >= 0/);
    expect(() => mathEqual("1", "1", { relTol: Number.NaN })).toThrow(/relTol/);
  });

  it("reports what was extracted and why", () => {
    expect(verifyMath("\\frac{1}{2}", "so \\boxed{0.5}")).toEqual({ correct: true, extracted: "0.5", reason: "numeric-equal" });
    expect(verifyMath("x+1", "\\boxed{1+x}").reason).toBe("symbolic-equal");
    expect(verifyMath("2", "nothing here")).toEqual({ correct: false, extracted: null, reason: "no-answer" });
  });
});
