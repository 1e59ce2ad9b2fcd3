import { afterAll, describe, expect, it } from "vitest";
import { MathVerifierPool, verifyMath } from "../../../src/tasks/math/index.js";

const SCRIPTED_WORKER = new URL("./fixtures/scripted-worker.mjs", import.meta.url);

describe("MathVerifierPool (real worker, TypeScript sources)", () => {
  const pool = new MathVerifierPool({ workers: 2, timeoutMs: 30_000 });
  afterAll(() => pool.close());

  it("gives the same results as verifyMath in the main thread, in input order", async () => {
    const items = [
      { gold: "5", completion: "so \\boxed{5}" },
      { gold: "x+1", completion: "\\boxed{1+x}" },
      { gold: "2", completion: "\\boxed{3}" },
      { gold: "\\frac{1}{2}", completion: "The answer is 0.5." },
      { gold: "[1,2)", completion: "\\boxed{[1,2]}" },
      { gold: "50\\%", completion: "\\boxed{0.5}" },
      { gold: "2\\sqrt{2}", completion: "\\boxed{\\sqrt{8}}" },
      { gold: "7", completion: "" },
      { gold: "1000", completion: "1.000", opts: { extract: false } },
    ];
    const results = await pool.verifyBatch(items);
    expect(results).toEqual(items.map((it) => verifyMath(it.gold, it.completion, it.opts)));
    expect(results.map((r) => r.correct)).toEqual([true, true, false, true, false, true, true, false, false]);
  });

  it("verify() resolves a single check", async () => {
    await expect(pool.verify("\\{1,2\\}", "\\boxed{\\{2,1\\}}")).resolves.toMatchObject({ correct: true });
  });
});

describe("MathVerifierPool time limit and crashes (scripted worker)", () => {
  it("terminates a hanging check, answers timeout, and keeps serving with a fresh worker", async () => {
    const pool = new MathVerifierPool({ workers: 1, timeoutMs: 1500, workerUrl: SCRIPTED_WORKER });
    try {
      const hung = await pool.verify("hang", "anything");
      expect(hung).toEqual({ correct: false, extracted: null, reason: "timeout" });
      await expect(pool.verify("a", "a")).resolves.toMatchObject({ correct: true, reason: "scripted" });
    } finally {
      await pool.close();
    }
  });

  it("a hang in one check does not disturb the others in a batch", async () => {
    const pool = new MathVerifierPool({ workers: 2, timeoutMs: 1500, workerUrl: SCRIPTED_WORKER });
    try {
      const results = await pool.verifyBatch([
        { gold: "a", completion: "a" },
        { gold: "hang", completion: "x" },
        { gold: "b", completion: "c" },
        { gold: "d", completion: "d" },
      ]);
      expect(results.map((r) => r.reason)).toEqual(["scripted", "timeout", "scripted", "scripted"]);
      expect(results.map((r) => r.correct)).toEqual([true, false, false, true]);
    } finally {
      await pool.close();
    }
  });

  it("a worker that dies mid-check yields a failed check and a replacement worker", async () => {
    const pool = new MathVerifierPool({ workers: 1, timeoutMs: 5000, workerUrl: SCRIPTED_WORKER });
    try {
      const crashed = await pool.verify("crash", "x");
      expect(crashed.correct).toBe(false);
      expect(crashed.reason).toMatch(/^worker-exit: code 3/);
      await expect(pool.verify("z", "z")).resolves.toMatchObject({ correct: true });
    } finally {
      await pool.close();
    }
  });

  it("rejects bad options and use after close", async () => {
    expect(() => new MathVerifierPool({ workers: 0 })).toThrow(/workers must be an integer >= 1/);
    expect(() => new MathVerifierPool({ timeoutMs: -5 })).toThrow(/timeoutMs must be a number > 0/);
    const pool = new MathVerifierPool({ workers: 1, workerUrl: SCRIPTED_WORKER });
    await pool.close();
    await expect(pool.verify("a", "a")).rejects.toThrow(/after close/);
  });
});
