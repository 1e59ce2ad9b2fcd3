// End-to-end test of `ratio conformance` (the math verifier against Math-Verify's own test cases).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ratio conformance", () => {
  it("prints agreement per category and exits 0 without false positives", () => {
    const r = ratio(["conformance", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { counted: number; agreement: number; falsePositives: unknown[]; categories: Array<{ category: string }> };
    expect(report.counted).toBe(251);
    expect(report.falsePositives).toEqual([]);
    expect(report.agreement).toBeGreaterThanOrEqual(0.95);
    expect(report.categories.map((c) => c.category)).toContain("matrices");
    const table = ratio(["conformance"]);
    expect(table.stdout).toMatch(/^category\s+agree/);
    expect(table.stdout).toMatch(/\ntotal\s+\d+\/251/);
  });

  it("names the file when the cases cannot be read", () => {
    const r = ratio(["conformance", "--input", "no-such-file.jsonl"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ratio: no-such-file.jsonl: cannot read (ENOENT); pass the cases with --input\n");
  });

  it("refuses an input without cases instead of reporting 0/0 as a pass", () => {
    const empty = path.join(mkdtempSync(path.join(tmpdir(), "ratio-conf-")), "empty.jsonl");
    writeFileSync(empty, "\n");
    const r = ratio(["conformance", "--input", empty, "--json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`ratio: ${empty}: no cases (expected JSONL lines with id, gold, prediction, expected, category, pred_form)\n`);
  });
});
