// The step's clip ratios against hand-set old log-probs: ρ = 2 on a sequence with A > 0 clips above
// (ρ > 1 + ε_high), ρ = 1/2 on one with A < 0 clips below (ρ < 1 − ε_low), ρ = 1 never clips.
import { describe, expect, it } from "vitest";
import type { TrainSequence } from "../../src/train/batch.js";
import { tokenLogprobs } from "../../src/train/score.js";
import { Trainer } from "../../src/train/trainer.js";
import { config, freshParams, trainerOptions } from "../llama/train-data.js";

describe("clip ratios of a step", () => {
  it("splits the clipped tokens into low and high as TRL's clip_ratio/low and /high", async () => {
    const params = freshParams();
    const seqs: TrainSequence[] = [
      { tokens: [1, 2, 3, 4, 5], start: 1, advantage: 1 }, // 4 trained tokens, ρ = 2 → high
      { tokens: [2, 3, 4], start: 1, advantage: -1 }, //        2 trained tokens, ρ = 1/2 → low
      { tokens: [3, 4, 5, 6], start: 1, advantage: 1 }, //     3 trained tokens, ρ = 1 → not clipped
    ];
    const logp = (await tokenLogprobs(seqs, { config, params })).logp;
    const shift = [Math.log(2), -Math.log(2), 0];
    const withOld = seqs.map((s, i) => ({ ...s, oldLogp: Array.from(logp[i], (x) => x - shift[i]) }));
    const trainer = await Trainer.create(trainerOptions(params, { objective: { oldLogp: "input", epsLow: 0.2, epsHigh: 0.28, beta: 0 } }));
    const s = await trainer.train(withOld);
    expect(s.tokens).toBe(9);
    expect(s.clipHigh).toBeCloseTo(4 / 9, 12);
    expect(s.clipLow).toBeCloseTo(2 / 9, 12);
    expect(s.clipFraction).toBeCloseTo(6 / 9, 12);
  });
});
