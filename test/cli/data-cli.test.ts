// End to end: `ratio data list|generate` writes deterministic JSONL with a lineage sidecar; bad options name the key.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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
    expect(bad.stderr).toMatch(/--option numbers: /);
    expect(ratio(["data", "generate", "sos", "--out", out, "--n", "0"]).stderr).toMatch(/--n expects an integer ≥ 1/);
  });
});
