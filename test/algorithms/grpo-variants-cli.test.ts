// `ratio experiment grpo-variants --quick`: the whole experiment end to end on a small budget (the numbers mean
// little): a run directory per arm, both plots, a report with one row per model.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { freshDir } from "../fixtures/tmp.js";

const root = path.resolve(import.meta.dirname, "../..");

describe("ratio experiment grpo-variants", () => {
  it("--quick writes the arms, the plots and the report", () => {
    const out = freshDir("ratio-exp-grpo-");
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), "experiment", "grpo-variants", "--quick", "--json", "--out", out], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as { arms: { name: string; greedy: number }[]; plots: string[]; report: string };
    expect(data.arms.map((a) => a.name)).toEqual(["SFT warm start", "grpo", "dr_grpo", "dapo"]);
    for (const a of data.arms) expect(a.greedy).toBeGreaterThanOrEqual(0);
    for (const p of data.plots) expect(existsSync(p)).toBe(true);
    for (const arm of ["sft", "grpo", "dr_grpo", "dapo"]) expect(existsSync(path.join(out, arm, "manifest.json"))).toBe(true);
    expect(existsSync(path.join(out, "dapo", "checkpoints", "dapo", "final", "model.safetensors"))).toBe(true);
    expect(existsSync(data.report)).toBe(true);
  });
});
