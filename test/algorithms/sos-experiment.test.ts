// `ratio experiment sos --quick`: both arms trained with the same steps and token budget on the same problems, the
// held-out-target table and the plot.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { experiments } from "../../src/experiments/index.js";
import { QUICK_SOS_BUDGET, sosTokenizer, tokenBudgetBatches, type SosArmResult } from "../../src/experiments/sos.js";
import { generateSos } from "../../src/datagen/sos.js";
import { freshDir } from "../fixtures/tmp.js";

describe("SoS experiment pieces", () => {
  it("token-budget batches: whole sequences up to the budget, the same problem order whatever the lengths", () => {
    const long = Array.from({ length: 50 }, (_, i) => 100 + ((i * 37) % 400));
    const short = long.map(() => 60);
    const a = tokenBudgetBatches(long, 1000, 30, 7);
    const b = tokenBudgetBatches(short, 1000, 30, 7);
    expect(a).toHaveLength(30);
    for (const batch of a) expect(batch.length === 1 || batch.reduce((s, i) => s + long[i], 0) <= 1000).toBe(true);
    for (const batch of b) expect(batch.reduce((s, i) => s + short[i], 0)).toBeLessThanOrEqual(1000);
    // both walk one sequence of problems: the short arm is further along it
    const flatA = a.flat();
    const flatB = b.flat();
    expect(flatB.length).toBeGreaterThan(flatA.length);
    expect(flatB.slice(0, flatA.length)).toEqual(flatA);
    expect(tokenBudgetBatches(long, 1000, 30, 7)).toEqual(a);
  });

  it("the tokenizer covers every character of the traces", () => {
    const tok = sosTokenizer();
    for (const r of generateSos(50, 0, { numbers: 3 }).rows) {
      for (const text of [r.search_path, r.optimal_path]) expect(tok.decode(tok.encode(text))).toBe(text);
    }
    const bfsMiss = generateSos(20, 0, { numbers: 3, strategy: "bfs_1/sum_heuristic" }).rows.find((r) => r.search_path.endsWith("No solution found."));
    expect(bfsMiss).toBeDefined();
    expect(tok.decode(tok.encode(bfsMiss!.search_path))).toBe(bfsMiss!.search_path);
  });
});

describe("experiment sos", () => {
  it("--quick trains both arms with equal steps and token budget and writes the table and the plot", async () => {
    const e = experiments.find((x) => x.name === "sos")!;
    const out = freshDir();
    const t0 = performance.now();
    const r = await e.run({ out, seed: 0, quick: true, json: true, say: () => undefined, progress: false });
    expect((performance.now() - t0) / 1000).toBeLessThan(20);
    expect(r.markdown).toMatch(/\| search streams \| 3 \|/);
    expect(r.markdown).toMatch(/\| optimal paths \| 3 \|/);
    expect(r.markdown).toMatch(/held-out targets 16, 25, 29, 52, 56, 72, 75, 80, 91/);
    expect(r.plots).toHaveLength(1);
    expect(readFileSync(r.plots[0], "utf8")).toMatch(/^<svg/);
    for (const d of ["search", "optimal"]) {
      expect(existsSync(path.join(out, d, "manifest.json"))).toBe(true);
      expect(existsSync(path.join(out, d, "checkpoints", "sft", "final"))).toBe(true);
    }
    const arms = r.data.arms as SosArmResult[];
    expect(arms.map((a) => a.steps)).toEqual([QUICK_SOS_BUDGET.steps, QUICK_SOS_BUDGET.steps]);
    for (const a of arms) {
      expect(a.tokens).toBeLessThanOrEqual(QUICK_SOS_BUDGET.steps * QUICK_SOS_BUDGET.tokensPerStep);
      expect(a.tokens).toBeGreaterThan(0.5 * QUICK_SOS_BUDGET.steps * QUICK_SOS_BUDGET.tokensPerStep);
      expect(a.valTarget.problems).toBe(QUICK_SOS_BUDGET.evalProblems);
      expect(a.valTarget.solved).toBeGreaterThanOrEqual(0);
    }
  });
});
