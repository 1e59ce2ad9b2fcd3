// Records that fit together: ratio score's output carries problem_id and sample_index, ratio metrics reads it and
// ratio eval's results.jsonl as they are (samples ordered by sample_index, duplicates refused), and ratio metrics on
// an eval's results gives the eval's own summary.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { register } from "../../src/cli/metrics.js";
import { runEval } from "../../src/eval/index.js";
import { freshDir } from "../fixtures/tmp.js";
import { ScriptedBackend } from "../inference/scripted.js";

const root = path.resolve(import.meta.dirname, "../..");

async function metrics(args: string[]): Promise<{ out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => { out += String(c); return true; });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => { err += String(c); return true; });
  try {
    const program = new Command("ratio").exitOverride();
    register(program);
    await program.parseAsync(["node", "ratio", "metrics", ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { out, err };
}

describe("per-sample records fit together", () => {
  it("ratio score output has problem_id and sample_index and feeds ratio metrics", async () => {
    const lines = [
      { id: "p1", answer: "\\frac{1}{2}", completion: "\\boxed{0.5}" },
      { id: "p1", answer: "\\frac{1}{2}", completion: "\\boxed{1/3}" },
      { id: "p2", answer: "7", completion: "\\boxed{7}", sample_index: 1 },
      { id: "p2", answer: "7", completion: "\\boxed{8}", sample_index: 0 },
    ].map((x) => JSON.stringify(x)).join("\n");
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), "score", "--task", "math", "--workers", "0"], { cwd: root, input: lines, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => [o.problem_id, o.sample_index, o.correct])).toEqual([["p1", 0, true], ["p1", 1, false], ["p2", 1, true], ["p2", 0, false]]);
    const file = path.join(freshDir(), "scored.jsonl");
    writeFileSync(file, r.stdout);
    const m = JSON.parse((await metrics(["--input", file, "--k", "1", "--json"])).out);
    expect(m.problems).toBe(2);
    expect(m.summary["avg@n"]).toBe(0.5);
    // p2's first sample (sample_index 0) is the wrong one: cov@1 = (1 + 0) / 2
    expect(m.summary["cov@1"]).toBe(0.5);
  });

  it("ratio metrics on an eval's results.jsonl gives the eval's summary; duplicates are named", async () => {
    const out = freshDir();
    const script = (prompt: string, _s: number, seed: number | undefined) => {
      const m = /Input:\n([\d ]+) \+ ([\d ]+)\n/.exec(prompt)!;
      const sum = Number(m[1].replace(/ /g, "")) + Number(m[2].replace(/ /g, "")) + ((seed ?? 0) % 2);
      return `<scratch>\nok\n</scratch>\n${String(sum).split("").join(" ")}\n`;
    };
    const s = await runEval({
      backend: new ScriptedBackend(script), source: { kind: "task", task: "addition", options: {}, count: 5, seed: 1 }, n: 4, ks: [1, 2, 4],
      temperature: 1, maxTokens: 64, seed: 3, out, scoreWorkers: 0,
    });
    const file = path.join(out, "results.jsonl");
    const m = JSON.parse((await metrics(["--input", file, "--k", "1,2,4", "--json"])).out);
    expect(m.equal).toBe("task addition");
    expect(m.summary).toEqual(Object.fromEntries(Object.entries(s.metrics).filter(([k]) => !k.startsWith("weighted"))));
    const lines = readFileSync(file, "utf8").trim().split("\n");
    writeFileSync(file, [...lines, lines[2]].join("\n") + "\n");
    const dup = await metrics(["--input", file]);
    expect(dup.err).toMatch(/results\.jsonl:21: problem "addition-1-0" sample_index 2 appears twice \(first on line 3\)/);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  });
});
