import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Command } from "commander";
import { register } from "../../src/cli/metrics.js";

const dir = mkdtempSync(join(tmpdir(), "ratio-metrics-"));
const input = join(dir, "results.jsonl");
writeFileSync(
  input,
  [
    { id: "a", correct: true, answer: "1" },
    { id: "a", correct: false, answer: "2" },
    { id: "a", correct: false, answer: "2" },
    { id: "a", correct: true, answer: "1" },
    { problem_id: "b", correct: false, extracted: null },
    { problem_id: "b", correct: true, extracted: "7" },
    { problem_id: "b", correct: false, extracted: "3" },
    { problem_id: "b", correct: false, extracted: "3" },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n") + "\n",
);

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = "";
  let err = "";
  const outSpy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  const program = new Command("ratio").exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  register(program);
  let code = 0;
  try {
    await program.parseAsync(args, { from: "user" });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
    process.exitCode = undefined;
  }
  return { out, err, code };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("ratio metrics", () => {
  it("prints one JSON object with --json and writes per-problem JSONL", async () => {
    const perProblem = join(dir, "problems.jsonl");
    const r = await run(["metrics", "--input", input, "--k", "1,2,4", "--json", "--per-problem", perProblem]);
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.out);
    expect(obj.problems).toBe(2);
    expect(obj.samples).toBe(8);
    expect(obj.ks).toEqual([1, 2, 4]);
    expect(obj.maj_mode).toBe("both");
    expect(obj.summary["pass@1"]).toBeCloseTo(0.375, 14);
    expect(obj.summary["maj@4"]).toBe(0.5);
    expect(obj.summary["maj@1_unbiased"]).toBeCloseTo((0.5 + 0.25) / 2, 14);
    const lines = readFileSync(perProblem, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((p) => [p.id, p.n, p.c, p.majority_answer])).toEqual([
      ["a", 4, 2, "1"],
      ["b", 4, 1, "3"],
    ]);
  });

  it("prints a table by default", async () => {
    const r = await run(["metrics", "--input", input, "--k", "2", "--maj-mode", "first"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("2 problems, 8 samples (n = 4 per problem)");
    expect(r.out).toMatch(/pass@2\s+0\.\d{4}/);
    expect(r.out).toMatch(/maj@2\s+1\.0000/);
    expect(r.out).not.toContain("unbiased");
  });

  it("names file and line for a malformed line and exits non-zero", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"id":"a","correct":true}\n{"id":"a","correct":maybe}\n');
    const r = await run(["metrics", "--input", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^ratio: ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: malformed JSON`));
    const missing = join(dir, "missing.jsonl");
    writeFileSync(missing, '{"id":"a"}\n');
    const r2 = await run(["metrics", "--input", missing]);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain(`${missing}:1: missing field "correct"`);
  });

  it("rejects k larger than a problem's sample count, a bad --k and a missing file", async () => {
    const r = await run(["metrics", "--input", input, "--k", "8"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('problem "a" has n=4 samples, fewer than k=8');
    const r2 = await run(["metrics", "--input", input, "--k", "1,x"]);
    expect(r2.code).not.toBe(0);
    expect(r2.err).toContain("--k expects a comma-separated list of positive integers");
    const r3 = await run(["metrics", "--input", join(dir, "nope.jsonl")]);
    expect(r3.code).toBe(1);
    expect(r3.err).toContain("nope.jsonl: cannot read (ENOENT)");
  });

  it("groups votes by math equivalence by default (0.5 and \\frac12 are one vote), by strings with --equal exact", async () => {
    const file = join(dir, "math.jsonl");
    writeFileSync(file, [
      { id: 1, correct: true, answer: "0.5" },
      { id: 1, correct: false, answer: "3" },
      { id: 1, correct: true, answer: "\\frac12" },
      { id: 1, correct: false, answer: "3" },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n");
    const math = JSON.parse((await run(["metrics", "--input", file, "--k", "4", "--json"])).out);
    expect(math.summary["maj@4"]).toBe(1); // 2 votes each; the tie goes to the answer voted first (0.5)
    const exact = JSON.parse((await run(["metrics", "--input", file, "--k", "4", "--json", "--equal", "exact"])).out);
    expect(exact.summary["maj@4"]).toBe(0);
  });

  it("rejects a sample_index that is not an integer ≥ 0, naming file and line", async () => {
    const file = join(dir, "bad-index.jsonl");
    writeFileSync(file, '{"id":"a","correct":true,"sample_index":0}\n{"id":"a","correct":true,"sample_index":-3}\n');
    const r = await run(["metrics", "--input", file]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`ratio: ${file}:2: field "sample_index" must be an integer ≥ 0 (or absent), got -3\n`);
    writeFileSync(file, '{"id":"a","correct":true,"sample_index":"1"}\n');
    expect((await run(["metrics", "--input", file])).err).toContain(`${file}:1: field "sample_index" must be an integer ≥ 0`);
  });

  it("reads a file that starts with a byte order mark and has CRLF line ends", async () => {
    const file = join(dir, "bom.jsonl");
    writeFileSync(file, '\uFEFF{"id":"a","correct":true,"sample_index":0}\r\n{"id":"a","correct":false,"sample_index":1}\r\n');
    const r = await run(["metrics", "--input", file, "--k", "2", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ problems: 1, samples: 2, summary: { "pass@2": 1 } });
  });

  it("names --per-problem when it cannot be written, and explains ratio score's error lines", async () => {
    const r = await run(["metrics", "--input", input, "--per-problem", join(dir, "no-such-dir", "p.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`ratio: --per-problem ${join(dir, "no-such-dir", "p.jsonl")}: cannot write (ENOENT)\n`);
    const scored = join(dir, "scored.jsonl");
    writeFileSync(scored, '{"problem_id":"a","sample_index":0,"correct":true,"extracted":"1"}\n{"line":2,"error":"in.jsonl:2: invalid JSON"}\n');
    const e = await run(["metrics", "--input", scored]);
    expect(e.code).toBe(1);
    expect(e.err).toContain(`${scored}:2: an error line of ratio score, not a sample (in.jsonl:2: invalid JSON)`);
  });

  it("has an example in --help", async () => {
    const r = await run(["metrics", "--help"]);
    expect(r.out).toContain("Examples:\n  ratio metrics --input results.jsonl");
    expect(r.out).toContain("--maj-mode <mode>");
  });
});
