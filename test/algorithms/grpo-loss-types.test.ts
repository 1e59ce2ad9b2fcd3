// Per-token weights of each TRL loss_type on a hand-made batch of 2 groups × 2 completions, through the path GRPO
// uses (grpoSequences → aggregationFor(loss_type) → makeMicroBatches). Completions have n = [2, 4 | 1, 3] tokens
// (Σ n = 10), B = 4 sequences, micro-batches of 2 (K = 2: {0, 1} with 6 tokens, {2, 3} with 4),
// max_completion_length L = 5:
//   grpo     1 / (B · n_i)            = [1/8, 1/16, 1/4, 1/12]
//   bnpo     1 / (K · Σ_{mb(i)} n_j)  = [1/12, 1/12, 1/8, 1/8]
//   dr_grpo  1 / (B · L)              = 1/20 everywhere
//   dapo     1 / Σ n                  = 1/10 everywhere
import { describe, expect, it } from "vitest";
import { grpoSequences } from "../../src/algorithms/grpo/sequences.js";
import { aggregationFor, type LossType } from "../../src/train/aggregation.js";
import { makeMicroBatches, type TrainSequence } from "../../src/train/batch.js";

const PROMPT = [1, 5, 6];
const COMPLETIONS = [[7, 2], [8, 9, 7, 2], [2], [9, 9, 2]];
const ADVANTAGES = [1, -1, 0.5, -0.5];
const MAX_COMPLETION_LENGTH = 5;

/** The weight on every trained token of each sequence (they share one per sequence), and the trained count. */
function weightsOf(seqs: readonly TrainSequence[], lossType: LossType): { weight: number[]; trained: number[]; advantage: number[] } {
  const mbs = makeMicroBatches(seqs, { microBatchSize: 2, ...aggregationFor(lossType, { maxCompletionLength: MAX_COMPLETION_LENGTH }) });
  const weight: number[] = [], trained: number[] = [], advantage: number[] = [];
  for (const mb of mbs) {
    const w = mb.weight.data as Float32Array, a = mb.advantages.data as Float32Array;
    mb.indices.forEach((i, r) => {
      const ws = new Set<number>(), as = new Set<number>();
      let n = 0;
      for (let t = 0; t < mb.length; t++) {
        if (!mb.mask[r * mb.length + t]) continue;
        n++;
        ws.add(w[r * mb.length + t]);
        as.add(a[r * mb.length + t]);
      }
      expect(ws.size).toBeLessThanOrEqual(1);
      weight[i] = n > 0 ? [...ws][0] : 0;
      advantage[i] = n > 0 ? [...as][0] : 0;
      trained[i] = n;
    });
  }
  return { weight, trained, advantage };
}

const batch = (maskTruncated: boolean, truncated = [false, false, false, false]) =>
  grpoSequences(COMPLETIONS.map((c, i) => ({ promptIds: PROMPT, tokenIds: c, truncated: truncated[i] })), ADVANTAGES, maskTruncated);

describe("loss_type → per-token weights", () => {
  const expected: Record<LossType, number[]> = {
    grpo: [1 / 8, 1 / 16, 1 / 4, 1 / 12],
    bnpo: [1 / 12, 1 / 12, 1 / 8, 1 / 8],
    dr_grpo: [1 / 20, 1 / 20, 1 / 20, 1 / 20],
    dapo: [1 / 10, 1 / 10, 1 / 10, 1 / 10],
  };
  for (const lossType of Object.keys(expected) as LossType[]) {
    it(`${lossType}`, () => {
      const { weight, trained, advantage } = weightsOf(batch(false), lossType);
      expect(trained).toEqual([2, 4, 1, 3]);
      expect(advantage).toEqual(ADVANTAGES);
      weight.forEach((w, i) => expect(w).toBeCloseTo(expected[lossType][i], 7));
    });
  }

  it("a masked truncated completion trains no token but still counts in B (grpo, dr_grpo) and K (bnpo)", () => {
    const seqs = batch(true, [false, true, false, false]); // n = [2, 0, 1, 3], Σ = 6
    expect(weightsOf(seqs, "grpo").trained).toEqual([2, 0, 1, 3]);
    const want: Record<LossType, number[]> = {
      grpo: [1 / 8, 0, 1 / 4, 1 / 12],
      bnpo: [1 / 4, 0, 1 / 8, 1 / 8],
      dr_grpo: [1 / 20, 0, 1 / 20, 1 / 20],
      dapo: [1 / 6, 0, 1 / 6, 1 / 6],
    };
    for (const lossType of Object.keys(want) as LossType[]) {
      weightsOf(seqs, lossType).weight.forEach((w, i) => expect(w, `${lossType} sequence ${i}`).toBeCloseTo(want[lossType][i], 7));
    }
  });

  it("without masking, a truncated completion trains like any other", () => {
    expect(weightsOf(batch(false, [true, true, true, true]), "dapo").trained).toEqual([2, 4, 1, 3]);
  });
});
