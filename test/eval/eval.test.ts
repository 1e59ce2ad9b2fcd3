// The evaluation harness on a scripted backend: one record per sample with problem id and sample index, a summary
// consistent with the records, resume after a crash (finished problems are not sampled again, a torn line is dropped,
// the result equals an uninterrupted run), settings checked on resume, budget forcing records, and the budget sweep.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runEval, runSweep, scalingNumbers, type EvalOptions, type EvalRecord } from "../../src/eval/index.js";
import { freshDir } from "../fixtures/tmp.js";
import { ScriptedBackend } from "../inference/scripted.js";

/** Writes the right scratchpad answer unless the round's seed is ≡ 0 mod 3; thinks ~30 characters. */
function additionScript(prompt: string, _sample: number, seed: number | undefined): string {
  const m = /Input:\n([\d ]+) \+ ([\d ]+)\nTarget:\n/.exec(prompt);
  if (!m) throw new Error(`unexpected prompt ${JSON.stringify(prompt)}`);
  const a = Number(m[1].replace(/ /g, "")), b = Number(m[2].replace(/ /g, ""));
  const after = prompt.slice(m.index + m[0].length);
  const sum = (seed ?? 1) % 3 === 0 ? a + b + 1 : a + b;
  const answer = String(sum).split("").join(" ");
  if (after.includes("</scratch>")) return `${after.endsWith("\n") ? "" : "\n"}${answer}\n`;
  return `${after.startsWith("<scratch>") ? "" : "<scratch>\n"}carry the ones, then the tens\n</scratch>\n${answer}\n`;
}

function options(out: string, backend = new ScriptedBackend(additionScript), extra: Partial<EvalOptions> = {}): EvalOptions {
  return {
    backend, source: { kind: "task", task: "addition", options: { maxDigits: 2 }, count: 6, seed: 5 }, n: 3, ks: [1, 3], template: "star",
    temperature: 1, maxTokens: 64, seed: 7, out, batchProblems: 2, scoreWorkers: 0, ...extra,
  };
}

const read = (dir: string): EvalRecord[] => readFileSync(path.join(dir, "results.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EvalRecord);

describe("ratio eval harness", () => {
  it("writes one record per sample and a summary that agrees with them", async () => {
    const out = freshDir();
    const s = await runEval(options(out));
    const recs = read(out);
    expect(recs).toHaveLength(18);
    expect(recs.slice(0, 3).map((r) => [r.problem_id, r.sample_index])).toEqual([["addition-5-0", 0], ["addition-5-0", 1], ["addition-5-0", 2]]);
    const r = recs[0];
    expect(r.completion.startsWith("<scratch>\ncarry the ones")).toBe(true); // the model opens thinking itself
    expect(r.thinking_tokens).toBe("carry the ones, then the tens\n".length);
    expect(r.answer_tokens).toBe(r.completion.length - r.completion.indexOf("</scratch>") - "</scratch>".length);
    expect(r.finish_reason).toBe("stop");
    expect(r.extracted).toMatch(/^[\d ]+$/);
    expect(r.gold).toBe(recs[0].correct ? r.extracted : expect.any(String));
    const acc = recs.filter((x) => x.correct).length / recs.length;
    expect(s.metrics["avg@n"]).toBeCloseTo(acc, 12);
    expect(s.metrics["pass@1"]).toBeCloseTo(acc, 12);
    expect(acc).toBeGreaterThan(0.3);
    expect(acc).toBeLessThan(1);
    expect(s.token_counting).toBe("tokenizer");
    expect(s.vote_equivalence).toBe("digits of the sum");
    expect(s.truncated_fraction).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, "summary.json"), "utf8")).metrics).toEqual(s.metrics);
  });

  it("resumes after a crash without re-sampling finished problems, and ends as an uninterrupted run", async () => {
    const whole = freshDir();
    await runEval(options(whole));
    const out = freshDir();
    let sessions = 0;
    const crashing = new ScriptedBackend(additionScript);
    const open = crashing.session.bind(crashing);
    crashing.session = async (prompts, o) => {
      if (++sessions === 3) throw new Error("power cut");
      return open(prompts, o);
    };
    await expect(runEval(options(out, crashing))).rejects.toThrow(/power cut/);
    expect(read(out)).toHaveLength(12); // batches 1 and 2 (4 problems) were written
    appendFileSync(path.join(out, "results.jsonl"), '{"problem_id": "addition-5-4", "sample_ind'); // a torn write
    const again = new ScriptedBackend(additionScript);
    const s = await runEval(options(out, again));
    expect(new Set(again.prompts.map((p) => p.split("\nTarget")[0]))).toHaveProperty("size", 2); // only problems 4 and 5
    expect(s.timing.resumed_problems).toBe(4);
    expect(read(out)).toEqual(read(whole));
  });

  it("refuses to resume with other settings, naming the setting", async () => {
    const out = freshDir();
    await runEval(options(out, undefined, { source: { kind: "task", task: "addition", options: { maxDigits: 2 }, count: 2, seed: 5 } }));
    await expect(runEval(options(out, undefined, { temperature: 0.5, source: { kind: "task", task: "addition", options: { maxDigits: 2 }, count: 2, seed: 5 } })))
      .rejects.toThrow(/other settings \(temperature: 1 before, 0\.5 now\)/);
    await expect(runEval(options(freshDir(), undefined, { ks: [4] }))).rejects.toThrow(/--k 4 exceeds --n 3/);
  });

  it("budget forcing: records carry the forced segments, thinking within the budget", async () => {
    const out = freshDir();
    const bf = { min: 1, max: 20, ext: "and", accounting: "truncate" as const, preset: null, answer: null, minTokens: null };
    const s = await runEval(options(out, undefined, { budgetForcing: bf }));
    const recs = read(out);
    for (const r of recs) {
      expect(r.thinking_tokens).toBeLessThanOrEqual(20);
      expect(r.budget).toBe(20);
      expect(r.forced_end).toBe(true); // 20 < 30 characters of thinking
      const end = r.forced_segments.find((f) => f.kind === "forced-end")!;
      expect(r.completion.slice(end.offset, end.offset + end.text.length)).toBe(end.text);
      expect(end.text).toBe("\n</scratch>\n");
    }
    expect(s.forced_end_fraction).toBe(1);
  });

  it("sweep: one directory per budget, the curve, s1's numbers, table and plot", async () => {
    const out = freshDir();
    const r = await runSweep({ ...options(out, undefined, { source: { kind: "task", task: "addition", options: { maxDigits: 2 }, count: 3, seed: 5 } }), budgets: [8, 40] });
    expect(r.points.map((p) => p.budget)).toEqual([8, 40]);
    expect(r.points[0].mean_thinking_tokens).toBeLessThanOrEqual(8);
    expect(r.points[1].mean_thinking_tokens).toBe("carry the ones, then the tens\n".length);
    expect(r.s1.control).toBe(1);
    expect(r.s1.performance).toBe(Math.max(...r.points.map((p) => p.accuracy)));
    for (const f of ["budget-8/results.jsonl", "budget-40/summary.json", "sweep.json", "sweep.md", "test-time-scaling.svg"]) expect(existsSync(path.join(out, f)), f).toBe(true);
    expect(readFileSync(path.join(out, "sweep.md"), "utf8")).toMatch(/\| 40 \| 30\.0 \|/);
  });

  it("L1 prompts: the summary reports the length error against the asked N", async () => {
    const script = (prompt: string) => {
      expect(prompt).toMatch(/Think for 100 tokens\.$/);
      return `<think>${"x".repeat(70)}</think> \\boxed{5}`; // 7 + 70 + 8 + 10 = 95 characters = 95 tokens
    };
    const s = await runEval({
      ...options(freshDir(), new ScriptedBackend(script)), source: { kind: "task", task: "math", options: {}, count: 2, seed: 1 }, n: 2, ks: [1],
      template: "l1-exact", lengthBudget: 100, maxTokens: 200,
    });
    expect(s.length_error).toEqual({ mode: "exact", samples: 4, meanAbsError: 5, meanRelError: 0.05, meanOverrun: 0, overBudgetFraction: 0 });
    await expect(runEval({ ...options(freshDir()), template: "l1-max" })).rejects.toThrow(/needs --length-budget N/);
  });

  it("s1 numbers: Control counts samples within budget, Scaling is the mean pairwise slope, Performance the best", () => {
    const p = (budget: number, x: number, y: number, control = 1) => ({ budget, accuracy: y, mean_thinking_tokens: x, control, forced_end_fraction: 0, mean_extensions: 0, metrics: {} });
    const n = scalingNumbers([p(100, 100, 0.2), p(200, 200, 0.4, 0.5), p(400, 300, 0.5)], [10, 10, 10]);
    // slopes in points per 1k tokens: (20/0.1, 30/0.2, 10/0.1) = (200, 150, 100) → 150
    expect(n.scaling).toBeCloseTo(150, 9);
    expect(n.performance).toBe(0.5);
    expect(n.control).toBeCloseTo(25 / 30, 12);
    expect(n.control_runs).toBe(1);
  });
});
