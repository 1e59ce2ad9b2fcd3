// `ratio experiment apr --quick`: both arms trained with the same steps, evaluated through the scheduler across
// budgets, with the generator's traces alongside; the table and the plots.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { experiments } from "../../src/experiments/index.js";
import type { CurvePoint } from "../../src/experiments/apr-eval.js";
import { freshDir } from "../fixtures/tmp.js";

describe("experiment apr", () => {
  it("--quick trains both arms, sweeps the budgets and writes the table and the plots", async () => {
    const e = experiments.find((x) => x.name === "apr")!;
    const out = freshDir("apr-experiment");
    const r = await e.run({ out, seed: 0, quick: true, json: true, say: () => {}, progress: false });
    expect(r.plots).toHaveLength(3);
    for (const p of r.plots) expect(readFileSync(p, "utf8")).toContain("<svg");
    const curves = r.data.curves as CurvePoint[];
    const arms = new Set(curves.map((c) => c.arm));
    expect([...arms]).toEqual(expect.arrayContaining(["serial (SoS)", "parallel (APR)", "oracle serial", "oracle parallel"]));
    for (const c of curves) {
      expect(c.solveRate).toBeGreaterThanOrEqual(0);
      expect(c.solveRate).toBeLessThanOrEqual(1);
      // the critical path never exceeds the total, and no arm spends more than its budget
      expect(c.meanCriticalTokens).toBeLessThanOrEqual(c.meanTotalTokens + 1e-9);
      if (!c.arm.includes("latency")) expect(c.meanTotalTokens).toBeLessThanOrEqual(c.budget);
    }
    expect(r.markdown).toContain("| serial (SoS) | 96 |");
    expect(existsSync(`${out}/serial/checkpoints/sft/final`)).toBe(true);
    expect(existsSync(`${out}/parallel/checkpoints/sft/final`)).toBe(true);
  }, 60_000);
});
