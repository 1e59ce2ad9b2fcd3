// DAPO dynamic sampling: groups whose rewards are all equal are dropped and more batches sampled until B groups
// with signal are collected (or the batch limit is reached); the step's metrics count what was generated and kept.
import { describe, expect, it } from "vitest";
import { collectGroups, hasSignal } from "../../src/algorithms/grpo/dynamic-filtering.js";
import { runGrpo } from "../../src/algorithms/grpo/grpo.js";
import { freshContext, model, TINY_GRPO } from "./grpo-model.js";

/** Batches of groups given as reward lists; records which batches were sampled. */
function sampler(batches: number[][][]) {
  const calls: number[] = [];
  const sample = async (b: number) => {
    calls.push(b);
    return batches[b].map((g) => g.map((r) => ({ r, batch: b })));
  };
  return { sample, calls };
}

describe("collectGroups", () => {
  it("drops all-equal groups and resamples until B groups have signal; the first B kept train", async () => {
    const { sample, calls } = sampler([
      [[1, 1], [0, 1], [0, 0]], // one with signal
      [[0, 0], [1, 0], [1, 1]], // one more
      [[0, 1], [1, 0], [0, 1]], // three more: only one is needed
      [[0, 1], [1, 0], [0, 1]], // never sampled
    ]);
    const out = await collectGroups(sample, (x) => x.r, { batchSize: 3, dynamic: true, maxBatches: 4 });
    expect(calls).toEqual([0, 1, 2]);
    expect(out.batches).toBe(3);
    expect(out.generated).toHaveLength(9);
    expect(out.kept.map((g) => g.map((x) => x.r))).toEqual([[0, 1], [1, 0], [0, 1]]);
    expect(out.kept.map((g) => g[0].batch)).toEqual([0, 1, 2]);
  });

  it("stops at maxBatches with fewer than B groups (possibly none)", async () => {
    const { sample, calls } = sampler([[[1, 1]], [[0, 0]], [[0, 0]]]);
    const out = await collectGroups(sample, (x) => x.r, { batchSize: 1, dynamic: true, maxBatches: 2 });
    expect(calls).toEqual([0, 1]);
    expect(out.kept).toEqual([]);
    expect(out.generated).toHaveLength(2);
  });

  it("without dynamic filtering: one batch, every group trains (equal rewards included)", async () => {
    const { sample, calls } = sampler([[[1, 1], [0, 1]], [[0, 1]]]);
    const out = await collectGroups(sample, (x) => x.r, { batchSize: 2, dynamic: false, maxBatches: 1 });
    expect(calls).toEqual([0]);
    expect(out.kept).toHaveLength(2);
  });

  it("hasSignal: some reward differs", () => {
    expect(hasSignal([0.5, 0.5, 0.5])).toBe(false);
    expect(hasSignal([0.5, 0.5, 0.25])).toBe(true);
  });
});

describe("runGrpo with dynamic_filtering", () => {
  it("logs generated / kept groups and batches; kept ≤ batch_size, generated = batches · batch_size", async () => {
    const ctx = freshContext();
    await runGrpo(ctx, model(), { ...TINY_GRPO, steps: 3, num_generations: 4, dynamic_filtering: true, max_resample_batches: 2 });
    const rows = ctx.run.metrics("grpo");
    expect(rows).toHaveLength(3);
    let dropped = 0;
    for (const r of rows) {
      const generated = r["dynamic_filtering/groups_generated"] as number, kept = r["dynamic_filtering/groups_kept"] as number;
      const batches = r["dynamic_filtering/batches"] as number;
      expect(generated).toBe(batches * TINY_GRPO.batch_size);
      expect(kept).toBeLessThanOrEqual(TINY_GRPO.batch_size);
      expect(batches).toBeLessThanOrEqual(3);
      // groups without signal among those generated: every one was dropped
      const zero = Math.round((r.frac_reward_zero_std as number) * generated);
      expect(kept).toBeLessThanOrEqual(generated - zero);
      if (kept < TINY_GRPO.batch_size) expect(batches).toBe(3); // short of B only when the limit was reached
      dropped += zero;
    }
    expect(dropped).toBeGreaterThan(0); // one-token answers at G = 4: many groups are all wrong
  });
});
