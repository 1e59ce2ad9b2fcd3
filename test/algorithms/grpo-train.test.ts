// GRPO on a tiny model: the rewarded completion becomes more likely; β > 0 keeps the input model as the KL
// reference (logging kl) and μ > 1 clips against the old log-probs; the input model is never modified.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runGrpo } from "../../src/algorithms/grpo/grpo.js";
import { paramsHash } from "../../src/algorithms/grpo/state.js";
import { loadCheckpoint } from "../../src/model/checkpoint.js";
import type { ParamStore } from "../../src/model/params.js";
import { getTask } from "../../src/tasks/registry.js";
import { tokenLogprobs } from "../../src/train/score.js";
import { config, freshContext, model, TINY_GRPO, tokenizer } from "./grpo-model.js";

const task = getTask("multiple-choice");

/** Mean log π(gold label | prompt) over the problems GRPO trains on (seed 0, indices 0…n−1). */
async function goldLogprob(params: ParamStore, n: number): Promise<number> {
  const seqs = Array.from({ length: n }, (_, i) => {
    const e = task.generate({ seed: 0, index: i, ...TINY_GRPO.task_options });
    const prompt = [tokenizer.bosId!, ...tokenizer.encode(task.prompt(e))];
    return { tokens: [...prompt, ...tokenizer.encode(e.answer)], start: prompt.length };
  });
  const { logp } = await tokenLogprobs(seqs, { config, params, padId: tokenizer.padId });
  return logp.reduce((a, l) => a + l[l.length - 1], 0) / n;
}

describe("runGrpo", () => {
  it("raises the probability of the rewarded completion", async () => {
    const m = model();
    const steps = 6;
    const before = await goldLogprob(m.params, steps * TINY_GRPO.batch_size);
    const ctx = freshContext();
    const r = await runGrpo(ctx, m, { ...TINY_GRPO, steps });
    const after = await goldLogprob((await loadCheckpoint(r.checkpoint!)).params, steps * TINY_GRPO.batch_size);
    expect(after).toBeGreaterThan(before + 1); // measured: −3.0 → −1.2 nats
    const rows = ctx.run.metrics("grpo");
    expect(rows.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.every((x) => x.kl === undefined)).toBe(true); // β = 0: no reference, no kl
    expect(ctx.run.stage("grpo")).toMatchObject({ status: "complete", kind: "grpo", outputs: { checkpoint: "checkpoints/grpo/final" } });
    expect(r.summary).toMatchObject({ steps: 6 });
  });

  it("β > 0 keeps the input model as reference and logs kl; μ = 2 logs clip ratios; the input stays unchanged", async () => {
    const m = model();
    const input = paramsHash(m.params);
    const ctx = freshContext();
    await runGrpo(ctx, m, { ...TINY_GRPO, steps: 3, beta: 0.1, num_iterations: 2, epsilon_low: 0.05, epsilon_high: 0.05, learning_rate: 0.05 });
    expect(paramsHash(m.params)).toBe(input);
    const rows = ctx.run.metrics("grpo");
    // step 1 starts at the reference: its first update sees KL 0, its second a little; later steps more
    expect(rows[0].kl).toBeGreaterThan(0);
    expect(rows[2].kl).toBeGreaterThan(rows[0].kl as number);
    for (const row of rows) {
      const low = row["clip_ratio/low_mean"] as number, high = row["clip_ratio/high_mean"] as number;
      expect(row["clip_ratio/region_mean"]).toBeCloseTo(low + high, 12);
    }
    expect(rows.some((x) => (x["clip_ratio/region_mean"] as number) > 0)).toBe(true);
    const samples = readFileSync(ctx.run.samplesFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(samples).toHaveLength(3 * TINY_GRPO.log_samples);
    expect(Object.keys(samples[0])).toEqual(expect.arrayContaining(["prompt", "completion", "reward", "rewards", "advantage"]));
  });

  it("a rejected option names the field", async () => {
    await expect(runGrpo(freshContext(), model(), { ...TINY_GRPO, num_generation: 4 } as never)).rejects.toThrow(/unknown field num_generation/);
    await expect(runGrpo(freshContext(), model(), { ...TINY_GRPO, num_generations: 1 })).rejects.toThrow(/field num_generations: .*>=2/);
    await expect(runGrpo(freshContext(), model(), { ...TINY_GRPO, budget_range: [8, 16] })).rejects.toThrow(/field budget_range: only the l1-exact and l1-max templates/);
    await expect(runGrpo(freshContext(), model(), { ...TINY_GRPO, rewards: [{ name: "corectness" }] })).rejects.toThrow(/unknown reward "corectness"/);
  });
});
