// `ratio experiment priming --quick`: two conditions, each SFT from the same initialization then GRPO; a table,
// an accuracy plot and one behavior-frequency plot per behavior.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BEHAVIORS } from "../../src/analysis/behaviors/detect.js";
import { experiments } from "../../src/experiments/index.js";
import { behaviorFrequency, primingTokenizer, thinkingOf } from "../../src/experiments/priming.js";
import type { ConditionResult } from "../../src/experiments/priming-report.js";
import { generatePriming } from "../../src/datagen/priming.js";
import { freshDir } from "../fixtures/tmp.js";

describe("experiment priming", () => {
  it("--quick primes two conditions from the same initialization, runs GRPO and writes the table and plots", async () => {
    const e = experiments.find((x) => x.name === "priming")!;
    const out = freshDir();
    const r = await e.run({ out, seed: 0, quick: true, json: true, say: () => undefined, progress: false });
    const results = r.data.conditions as ConditionResult[];
    expect(results.map((c) => c.condition)).toEqual(["all_strategies", "empty_cot"]);
    for (const c of results) {
      expect(r.markdown).toContain(`| ${c.condition} |`);
      expect(c.steps.map((s) => s.step)).toEqual([1, 2]);
      expect(c.behaviorsPerStep.map((s) => s.step)).toEqual([1, 2]);
      for (const s of c.behaviorsPerStep) for (const b of BEHAVIORS) expect(s.freq[b]).toBeGreaterThanOrEqual(0);
      expect(existsSync(path.join(out, c.condition, "manifest.json"))).toBe(true);
      const manifest = JSON.parse(readFileSync(path.join(out, c.condition, "manifest.json"), "utf8")) as { stages: Record<string, { status: string }> | { name: string; status: string }[] };
      expect(JSON.stringify(manifest.stages)).toContain("grpo");
    }
    // same seed, same initialization: the first SFT step sees different data, so losses differ but both are finite
    expect(results.every((c) => c.sftLoss !== null && Number.isFinite(c.sftLoss))).toBe(true);
    expect(r.plots).toHaveLength(1 + BEHAVIORS.length);
    for (const p of r.plots) expect(readFileSync(p, "utf8")).toContain("<svg");
  }, 60_000);

  it("counts behaviors in the thinking part only and tokenizes priming phrases as single tokens", () => {
    expect(thinkingOf("Let me verify: 2 = 2.\n</think>\n<answer>1 + 1</answer>")).toBe("Let me verify: 2 = 2.\n");
    const f = behaviorFrequency(["\nDead end, so I backtrack to the original numbers.\n</think>", " </think>\n<answer>1</answer>"]);
    expect(f.backtracking).toBe(0.5);
    expect(f.verification).toBe(0);
    const rows = generatePriming(5, 1, { condition: "all_strategies" }).rows;
    const tok = primingTokenizer(rows);
    for (const r of rows) {
      expect(tok.decode(tok.encode(r.prompt + r.completion))).toBe(r.prompt + r.completion);
      expect(tok.encode(r.completion).length).toBeLessThan(r.completion.length / 2);
    }
  });
});
