// Failures are visible: an unexpected exception inside the verifier is reported as "internal-error", never as a
// silent "not correct", and no case of the corpora meets one.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getTask, isInternalError, TaskScorer } from "../../../src/tasks/index.js";
import { safeScore } from "../../../src/tasks/safe-score.js";
import { parseConformanceCases, presentPrediction } from "../../../src/tasks/math/conformance.js";
import { mathEqual, MathVerifyInternalError, verifyMath, type MathVerifyOptions } from "../../../src/tasks/math/index.js";

/** Options whose `extract` getter throws a TypeError: a stand-in for a bug inside the verifier. */
function buggyOptions(afterReads = 0): MathVerifyOptions {
  let reads = 0;
  return {
    get extract(): boolean {
      if (reads++ >= afterReads) throw new TypeError("cannot read properties of undefined (reading 'kind')");
      return true;
    },
  };
}

/** Options whose `decimalComma` getter throws on the n-th read (validation reads it first). */
function buggyCompare(): MathVerifyOptions {
  let reads = 0;
  return {
    get decimalComma(): boolean {
      if (++reads > 2) throw new TypeError("boom in compare");
      return false;
    },
  };
}

describe("internal errors", () => {
  it("verifyMath reports an unexpected exception as internal-error with its message", () => {
    const r = verifyMath("1", "\\boxed{1}", buggyOptions());
    expect(r).toEqual({ correct: false, extracted: null, reason: "internal-error: cannot read properties of undefined (reading 'kind')" });
  });

  it("mathEqual throws MathVerifyInternalError instead of answering false", () => {
    expect(() => mathEqual("1", "1", buggyCompare())).toThrow(MathVerifyInternalError);
    expect(() => mathEqual("1", "1", buggyCompare())).toThrow("math verify: internal-error: boom in compare");
  });

  it("deep recursion is an expected limit (too-deep), not an internal error", () => {
    const deep = `\\boxed{${"\\sqrt{".repeat(20_000)}7${"}".repeat(20_000)}}`;
    expect(verifyMath("7", deep).reason).not.toMatch(/^internal-error/);
  });

  it("no case of the equivalence corpus or the conformance suite meets an internal error", () => {
    const corpus = readFileSync(new URL("./corpus.jsonl", import.meta.url), "utf8").split("\n").filter((l) => l.trim() !== "");
    const hits: string[] = [];
    for (const line of corpus) {
      const c = JSON.parse(line) as { gold: string; pred: string };
      for (const r of [verifyMath(c.gold, `\\boxed{${c.pred}}`), verifyMath(c.gold, c.pred, { extract: false }), verifyMath(c.pred, c.gold)]) {
        if (r.reason.startsWith("internal-error")) hits.push(`${c.gold} | ${c.pred}: ${r.reason}`);
      }
    }
    const suite = parseConformanceCases(readFileSync(new URL("../../../conformance/math-verify/math-verify-tests.jsonl", import.meta.url), "utf8"), "suite");
    for (const c of suite) {
      const r = verifyMath(c.gold, presentPrediction(c));
      if (r.reason.startsWith("internal-error")) hits.push(`${c.id}: ${r.reason}`);
    }
    expect(hits).toEqual([]);
  });

  it("a scorer exception becomes an internal-error score (safeScore), not a plain zero", () => {
    const s = safeScore("anything", 100, () => {
      throw new TypeError("x is undefined");
    });
    expect(s).toEqual({ reward: 0, correct: false, extracted: null, reason: "internal-error: x is undefined" });
    expect(isInternalError(s.reason)).toBe(true);
    expect(isInternalError("numeric-mismatch")).toBe(false);
  });
});

describe("TaskScorer: the bounded scoring path", () => {
  const example = { id: "m", question: "", answer: "\\frac{1}{2}", metadata: {} };

  it("math through the worker pool gives the scores task.score gives, in input order", async () => {
    const scorer = TaskScorer.create("math", { workers: 1, timeoutMs: 30_000 });
    try {
      const completions = ["so \\boxed{0.5}", "\\boxed{2}", "", "x".repeat((1 << 20) + 1)];
      const got = await scorer.scoreBatch(completions.map((completion) => ({ completion, example })));
      expect(got).toEqual(completions.map((c) => getTask("math").score(c, example)));
      expect(got.map((s) => s.correct)).toEqual([true, false, false, false]);
      await expect(scorer.score("\\boxed{1}", { ...example, answer: " " })).resolves.toMatchObject({ correct: false, reason: "example m has no gold answer" });
    } finally {
      await scorer.close();
    }
  });

  it("workers: 0 and non-math tasks score on the calling thread", async () => {
    const scorer = TaskScorer.create("math", { workers: 0 });
    await expect(scorer.score("\\boxed{1/2}", example)).resolves.toMatchObject({ correct: true });
    await scorer.close();
    const add = TaskScorer.create("addition");
    const ex = getTask("addition").fromFields({ a: 12, b: 30 });
    await expect(add.score(getTask("addition").rationale?.(ex) ?? "", ex)).resolves.toMatchObject({ correct: true });
    await add.close();
    expect(() => TaskScorer.create("math", { workers: -1 })).toThrow(/workers must be an integer >= 0/);
  });
});
