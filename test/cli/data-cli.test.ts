// End to end: `ratio data list|generate` writes deterministic JSONL with a lineage sidecar; bad options name the key;
// an output path in the way names --out (data generate, data export, experiment) or the run directory (report).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { freshDir as tmpDir } from "../fixtures/tmp.js";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ratio data", () => {
  it("lists the generators and writes the same rows for the same seed, with lineage", () => {
    const list = ratio(["data", "list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).generators.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(["sos", "apr", "priming"]));
    const dir = tmpDir("ratio-data-");
    const a = path.join(dir, "a.jsonl");
    const b = path.join(dir, "b.jsonl");
    for (const out of [a, b]) {
      const r = ratio(["data", "generate", "sos", "--n", "4", "--seed", "3", "--out", out, "--option", "numbers=3", "--option", "trace=optimal", "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ generator: "sos", rows: 4 });
    }
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    const rows = readFileSync(a, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { prompt: string; completion: string });
    expect(rows).toHaveLength(4);
    expect(rows[0].prompt).toMatch(/^Current State: \d+:\[/);
    const meta = JSON.parse(readFileSync(`${a}.meta.json`, "utf8")) as Record<string, unknown>;
    expect(meta).toMatchObject({ rows: 4, seed: 3, generator: "sos", options: { numbers: 3, trace: "optimal" } });
  });

  it("names an unknown generator, an unknown option and a bad value", () => {
    const dir = tmpDir("ratio-data-bad-");
    const out = path.join(dir, "x.jsonl");
    expect(ratio(["data", "generate", "nope", "--out", out]).stderr).toMatch(/unknown dataset generator "nope" \(expected one of: .*sos/);
    expect(ratio(["data", "generate", "sos", "--out", out, "--option", "bogus=1"]).stderr).toMatch(/--option bogus: unknown option of generator sos \(expected one of: numbers/);
    const bad = ratio(["data", "generate", "sos", "--out", out, "--option", "numbers=9"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--option numbers: expected number to be <=5, got 9/);
    expect(ratio(["data", "generate", "priming", "--out", out, "--option", "condition=bogus"]).stderr).toMatch(/--option condition: expected one of "all_strategies", .*, got "bogus"\n$/);
    expect(ratio(["data", "generate", "sos", "--out", out, "--n", "0"]).stderr).toMatch(/--n expects an integer ≥ 1/);
  });

  it("creates the --out file's directories, and names --out (not a temp file or an errno) when a path is in the way", () => {
    const dir = tmpDir("ratio-data-out-");
    const nested = path.join(dir, "data", "sos.jsonl");
    const ok = ratio(["data", "generate", "sos", "--n", "2", "--out", nested]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(`${nested}.meta.json`)).toBe(true);
    const file = path.join(dir, "file");
    writeFileSync(file, "x");
    const under = ratio(["data", "generate", "sos", "--n", "2", "--out", path.join(file, "x.jsonl")]);
    expect(under.code).toBe(1);
    expect(under.stderr).toBe(`ratio: --out ${path.join(file, "x.jsonl")}: ${file} is a file, not a directory\n`);
    expect(ratio(["data", "generate", "sos", "--n", "2", "--out", dir]).stderr).toBe(`ratio: --out ${dir}: is a directory, expected a file\n`);
    const exp = ratio(["data", "export", "--task", "countdown", "--format", "trl", "--n", "2", "--out", path.join(file, "e.jsonl")]);
    expect(exp.code).toBe(1);
    expect(exp.stderr).toBe(`ratio: --out ${path.join(file, "e.jsonl")}: ${file} is a file, not a directory\n`);
    const e = ratio(["experiment", "sos", "--quick", "--out", file]);
    expect(e.code).toBe(1);
    expect(e.stderr).toBe(`ratio: --out ${file}: ${file} is a file, not a directory\n`);
    const r = ratio(["report", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a ratio run directory .*: not a directory\)\n$/);
    expect(r.stderr).not.toMatch(/ENOTDIR|invalid JSON/);
  });

  it("lists the experiments as JSON with --json", () => {
    const r = ratio(["experiment", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { experiments: { name: string }[] }).experiments.map((e) => e.name)).toEqual(expect.arrayContaining(["sos", "star-rationalization"]));
  });

  it("gives examples in --help that name a real generator", () => {
    const help = ratio(["data", "generate", "--help"]).stdout;
    const examples = help.slice(help.indexOf("Examples:")).split("\n").filter((l) => l.includes("ratio data generate"));
    expect(examples.length).toBeGreaterThan(0);
    for (const line of examples) expect(line).not.toMatch(/<name>|key=value/);
  });
});
