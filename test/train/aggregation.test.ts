// Loss aggregation weights, hand-computed: three sequences with different prompt and completion lengths, split
// into micro-batches of 2, and the TRL loss_type mapping. Expected weights are written as literal fractions.
import { describe, expect, it } from "vitest";
import { aggregationFor, sequenceWeights, type AggregationSettings } from "../../src/train/aggregation.js";
import { makeMicroBatches, type MicroBatch, type TrainSequence } from "../../src/train/batch.js";
import { Trainer } from "../../src/train/trainer.js";
import { freshParams, trainerOptions } from "../llama/train-data.js";

// prompt | completion (trained tokens n_i):  seq 0: 3 | 3,  seq 1: 1 | 4,  seq 2: 2 | 2  →  Σ n = 9, B = 3
const SEQS: TrainSequence[] = [
  { tokens: [1, 3, 4, 5, 6, 7], start: 3 },
  { tokens: [1, 8, 9, 10, 11], start: 1 },
  { tokens: [1, 3, 5, 7], start: 2 },
];

const weights = (mb: MicroBatch): number[] => Array.from(mb.weight.data as Float32Array);

/** Every entry equal to the literal within float32 precision. */
function expectWeights(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, k) => expect(a, `entry ${k}`).toBeCloseTo(expected[k], 7));
}

/** The trained-token weights of each sequence, in step order (padding and untrained positions dropped). */
function perSequence(mbs: MicroBatch[]): number[][] {
  const out: number[][] = [];
  for (const mb of mbs) {
    const w = weights(mb);
    mb.indices.forEach((i, r) => {
      out[i] = w.slice(r * mb.length, (r + 1) * mb.length).filter((_, t) => mb.mask[r * mb.length + t] === 1);
    });
  }
  return out;
}

const split = (settings: AggregationSettings, microBatchSize: number) => makeMicroBatches(SEQS, { microBatchSize, ...settings });

describe("loss aggregation weights (3 sequences, micro-batches of 2)", () => {
  // micro-batch 0 = sequences 0 and 1, padded to T = 5:  seq 0 trains positions 2…4, seq 1 positions 0…3, then a pad
  // micro-batch 1 = sequence 2, T = 3:  trains positions 1…2
  const layout = (a: number, b: number, c: number): [number[], number[]] => [[0, 0, a, a, a, b, b, b, b, 0], [0, c, c]];

  it("token-mean: 1/9 for every trained token of the step", () => {
    const [mb0, mb1] = split({ aggregation: "token-mean" }, 2);
    const [e0, e1] = layout(1 / 9, 1 / 9, 1 / 9);
    expectWeights(weights(mb0), e0);
    expectWeights(weights(mb1), e1);
  });

  it("token-mean-micro-batch (TRL bnpo): 1/(K·7) in micro-batch 0, 1/(K·2) in micro-batch 1, K = 2", () => {
    const [mb0, mb1] = split({ aggregation: "token-mean-micro-batch" }, 2);
    const [e0, e1] = layout(1 / 14, 1 / 14, 1 / 4);
    expectWeights(weights(mb0), e0);
    expectWeights(weights(mb1), e1);
  });

  it("seq-mean-token-mean (TRL grpo): 1/(3·3), 1/(3·4), 1/(3·2)", () => {
    const [mb0, mb1] = split({ aggregation: "seq-mean-token-mean" }, 2);
    const [e0, e1] = layout(1 / 9, 1 / 12, 1 / 6);
    expectWeights(weights(mb0), e0);
    expectWeights(weights(mb1), e1);
  });

  it("seq-mean-token-sum-norm (Dr. GRPO) with maxCompletionLength 5: 1/(3·5), whatever the observed lengths", () => {
    const [mb0, mb1] = split({ aggregation: "seq-mean-token-sum-norm", maxCompletionLength: 5 }, 2);
    const [e0, e1] = layout(1 / 15, 1 / 15, 1 / 15);
    expectWeights(weights(mb0), e0);
    expectWeights(weights(mb1), e1);
  });

  it("the mean modes weigh a step of unit losses to 1; Dr. GRPO to Σn / (B·maxCompletionLength) = 9/15", () => {
    const total = (s: AggregationSettings) => split(s, 2).flatMap(weights).reduce((a, b) => a + b, 0);
    expect(total({ aggregation: "token-mean" })).toBeCloseTo(1, 6);
    expect(total({ aggregation: "token-mean-micro-batch" })).toBeCloseTo(1, 6);
    expect(total({ aggregation: "seq-mean-token-mean" })).toBeCloseTo(1, 6);
    expect(total({ aggregation: "seq-mean-token-sum-norm", maxCompletionLength: 5 })).toBeCloseTo(9 / 15, 6);
  });

  it("gradient accumulation: micro-batches of 1 give the global modes the same weights as one batch of 3", () => {
    for (const s of [
      { aggregation: "token-mean" }, { aggregation: "seq-mean-token-mean" }, { aggregation: "seq-mean-token-sum-norm", maxCompletionLength: 5 },
    ] as AggregationSettings[]) {
      const one = perSequence(split(s, 3));
      const three = perSequence(split(s, 1));
      expect(three, s.aggregation).toEqual(one);
    }
    // token-mean-micro-batch depends on the split: one batch = token-mean, single sequences = per-sequence means
    const whole = perSequence(split({ aggregation: "token-mean-micro-batch" }, 3));
    const singles = perSequence(split({ aggregation: "token-mean-micro-batch" }, 1));
    [[1 / 9, 1 / 9, 1 / 9], [1 / 9, 1 / 9, 1 / 9, 1 / 9], [1 / 9, 1 / 9]].forEach((e, i) => expectWeights(whole[i], e));
    [[1 / 9, 1 / 9, 1 / 9], [1 / 12, 1 / 12, 1 / 12, 1 / 12], [1 / 6, 1 / 6]].forEach((e, i) => expectWeights(singles[i], e));
  });

  it("sequences or micro-batches without trained tokens get weight 0", () => {
    expect(sequenceWeights([0, 2], 1, { aggregation: "seq-mean-token-mean" })).toEqual([0, 1 / 4]);
    expect(sequenceWeights([0, 2], 1, { aggregation: "token-mean-micro-batch" })).toEqual([0, 1 / 4]);
    expect(sequenceWeights([0, 0], 2, { aggregation: "token-mean" })).toEqual([0, 0]);
  });
});

describe("aggregation settings", () => {
  it("aggregationFor maps TRL's loss types", () => {
    expect(aggregationFor("grpo")).toEqual({ aggregation: "seq-mean-token-mean" });
    expect(aggregationFor("bnpo", { maxCompletionLength: 256 })).toEqual({ aggregation: "token-mean-micro-batch" });
    expect(aggregationFor("dapo", { maxCompletionLength: 256 })).toEqual({ aggregation: "token-mean" });
    expect(aggregationFor("dr_grpo", { maxCompletionLength: 256 })).toEqual({ aggregation: "seq-mean-token-sum-norm", maxCompletionLength: 256 });
    expect(() => aggregationFor("dr_grpo")).toThrow(/"dr_grpo" needs maxCompletionLength/);
    expect(() => aggregationFor("ppo" as "grpo")).toThrow(/unknown loss type "ppo"/);
  });

  it("Dr. GRPO needs maxCompletionLength, the other modes refuse it, and no completion may exceed it", async () => {
    const params = freshParams();
    await expect(Trainer.create(trainerOptions(params, { aggregation: "seq-mean-token-sum-norm" }))).rejects.toThrow(/needs maxCompletionLength: the normalizer is B · maxCompletionLength/);
    await expect(Trainer.create(trainerOptions(params, { aggregation: "token-mean", maxCompletionLength: 8 }))).rejects.toThrow(/applies only to aggregation "seq-mean-token-sum-norm", not "token-mean"/);
    await expect(Trainer.create(trainerOptions(params, { aggregation: "seq-mean-token-sum-norm", maxCompletionLength: 0 }))).rejects.toThrow(/integer ≥ 1, got 0/);
    expect(() => split({ aggregation: "seq-mean-token-sum-norm", maxCompletionLength: 3 }, 2)).toThrow("sequence 1: 4 trained tokens exceed maxCompletionLength 3");
    expect(() => split({ aggregation: "mean" as "token-mean" }, 2)).toThrow(/aggregation: expected one of/);
  });
});
