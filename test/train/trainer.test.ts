// The training step: bit-reproducible, gradient accumulation over micro-batches equal to one batch for every
// aggregation mode, SFT loss going down.
import { describe, expect, it } from "vitest";
import type { AggregationSettings } from "../../src/train/aggregation.js";
import type { TrainSequence } from "../../src/train/batch.js";
import { Trainer, type StepStats } from "../../src/train/trainer.js";
import type { ObjectiveOptions } from "../../src/model/objective.js";
import {
  freshParams, GRPO_OBJECTIVE, relDiff, rlData, sameBits, sftData, trainerOptions, withLogprobs,
} from "../llama/train-data.js";

/** float32 sums in a different grouping (micro-batches pad to different lengths): measured ≈ 1e-7 */
const ACCUM_TOL = 1e-5;

const withoutTime = (s: StepStats) => ({ ...s, ms: 0 });

describe("Trainer", () => {
  it("is reproducible to the last bit: two trainers, same init and data, 3 steps (SFT and GRPO)", async () => {
    const cases: [Partial<ObjectiveOptions>, TrainSequence[]][] = [
      [{}, sftData(7, 1)],
      [GRPO_OBJECTIVE, await withLogprobs(rlData(7, 2), freshParams(), 2)],
    ];
    for (const [objective, data] of cases) {
      const run = async () => {
        const params = freshParams();
        const trainer = await Trainer.create(trainerOptions(params, { objective, microBatchSize: 3 }));
        const stats: StepStats[] = [];
        for (let s = 0; s < 3; s++) stats.push(withoutTime(await trainer.train(data)));
        return { params, stats, trainer };
      };
      const a = await run();
      const b = await run();
      expect(a.trainer.step).toBe(3);
      expect(sameBits(a.params.flat, freshParams().flat)).toBe(false);
      expect(sameBits(a.params.flat, b.params.flat)).toBe(true);
      expect(sameBits(a.trainer.optimizer.m.flat, b.trainer.optimizer.m.flat)).toBe(true);
      expect(sameBits(a.trainer.optimizer.v.flat, b.trainer.optimizer.v.flat)).toBe(true);
      expect(b.stats).toEqual(a.stats);
    }
  });

  it("gradient accumulation: micro-batches of 2 = one batch of 4, for every global aggregation mode", async () => {
    const data = await withLogprobs(rlData(4, 3), freshParams(), 3);
    expect(new Set(data.map((s) => s.tokens.length)).size).toBeGreaterThan(2); // micro-batches pad differently
    const losses: number[] = [];
    const modes: AggregationSettings[] = [
      { aggregation: "token-mean" }, { aggregation: "seq-mean-token-mean" }, { aggregation: "seq-mean-token-sum-norm", maxCompletionLength: 16 },
    ];
    for (const settings of modes) {
      const aggregation = settings.aggregation;
      const make = (microBatchSize: number) => {
        const params = freshParams();
        // a constant LR without warm-up, so the compared step moves the parameters
        const opts = trainerOptions(params, { objective: GRPO_OBJECTIVE, ...settings, microBatchSize, schedule: { type: "constant", lr: 1e-3, warmupSteps: 0 } });
        return Trainer.create(opts).then((trainer) => ({ trainer, params }));
      };
      const one = await make(4);
      const two = await make(2);
      const s1 = await one.trainer.accumulate(data);
      const s2 = await two.trainer.accumulate(data);
      expect(relDiff(two.trainer.grads, one.trainer.grads), aggregation).toBeLessThan(ACCUM_TOL);
      expect(s2.tokens).toBe(s1.tokens);
      for (const k of ["loss", "entropy", "nll", "kl", "clipFraction"] as const) expect(s2[k], `${aggregation} ${k}`).toBeCloseTo(s1[k]!, 5);
      losses.push(s1.loss);
      // the update: the same within float32 tolerance, as ‖Δ₂ − Δ₄‖ / ‖Δ₄‖ (Adam's first step g/(|g| + ε) amplifies
      // rounding on entries whose gradient is ≈ ε, so single entries may differ by a fraction of the learning rate)
      const before = freshParams().flat;
      await one.trainer.train(data);
      await two.trainer.train(data);
      let diff = 0;
      let step = 0;
      for (let i = 0; i < before.length; i++) {
        diff += (two.params.flat[i] - one.params.flat[i]) ** 2;
        step += (one.params.flat[i] - before[i]) ** 2;
      }
      expect(Math.sqrt(step / before.length)).toBeGreaterThan(5e-4);
      expect(Math.sqrt(diff / step), aggregation).toBeLessThan(1e-4);
    }
    // the modes really weight tokens differently
    expect(new Set(losses.map((l) => l.toPrecision(6))).size).toBe(3);
  });

  it("SFT lowers the loss on its data", async () => {
    const data = sftData(8, 4);
    const trainer = await Trainer.create(trainerOptions(freshParams(), { schedule: { type: "constant", lr: 1e-2, warmupSteps: 0 } }));
    const nll: number[] = [];
    for (let s = 0; s < 12; s++) nll.push((await trainer.train(data)).nll);
    expect(nll[0]).toBeGreaterThan(2); // ≈ ln 12 at init
    expect(nll[11]).toBeLessThan(0.8 * nll[0]);
    for (let s = 1; s < 12; s++) expect(nll[s]).toBeLessThan(nll[s - 1] + 0.05);
  });
});
