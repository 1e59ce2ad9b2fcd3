// Padding-aware batching for the training objective: sequences of token ids with per-token masks, advantages and
// log-probs, turned into right-padded [B, T] micro-batches whose per-token weights implement the chosen loss
// aggregation (aggregation.ts; docs/training.md, "Loss aggregation"). The weights are computed over the WHOLE step
// (all micro-batches), so for the global modes gradient accumulation gives the same update as one big batch.
import type { NDArray } from "../engine/index.js";
import { sequenceWeights, type AggregationSettings } from "./aggregation.js";

export type { Aggregation } from "./aggregation.js";

/** One training sequence. Per-token arrays are aligned with `tokens`: entry j is about predicting tokens[j]. */
export interface TrainSequence {
  tokens: readonly number[];
  /** train on tokens[j] iff mask[j] (entry 0 is ignored: nothing predicts the first token). Default: all but 0. */
  mask?: readonly number[];
  /** first trained position (shortcut for a mask that is 1 from `start` on); ignored when `mask` is given */
  start?: number;
  /** advantage: one per sequence (GRPO) or one per token; default 1 (SFT) */
  advantage?: number | readonly number[];
  /** behaviour-policy log-probs per token (needed when the objective's oldLogp = "input") */
  oldLogp?: readonly number[];
  /** reference-policy log-probs per token (needed when β > 0) */
  refLogp?: readonly number[];
}

export interface MicroBatch {
  /** number of sequences in this micro-batch */
  size: number;
  /** padded length of the model input (tokens − 1) */
  length: number;
  inputIds: NDArray;
  targets: NDArray;
  weight: NDArray;
  advantages: NDArray;
  oldLogp?: NDArray;
  refLogp?: NDArray;
  /** the trained-token mask [B, T] as 0/1 floats (for statistics) */
  mask: Float32Array;
  /** indices into the step's sequence list */
  indices: number[];
}

function tokenMask(s: TrainSequence, where: string): Float32Array {
  const L = s.tokens.length;
  const m = new Float32Array(L);
  if (s.mask) {
    if (s.mask.length !== L) throw new Error(`${where}: mask has ${s.mask.length} entries but the sequence has ${L} tokens`);
    for (let j = 1; j < L; j++) m[j] = s.mask[j] ? 1 : 0;
  } else {
    const start = Math.max(1, s.start ?? 1);
    for (let j = start; j < L; j++) m[j] = 1;
  }
  return m;
}

/** Splits the step's sequences into padded micro-batches with aggregation weights computed over all of them. */
export function makeMicroBatches(
  seqs: readonly TrainSequence[],
  opts: AggregationSettings & { microBatchSize: number; padId?: number; needOld?: boolean; needRef?: boolean },
): MicroBatch[] {
  if (seqs.length === 0) throw new Error("makeMicroBatches: no sequences");
  if (!Number.isInteger(opts.microBatchSize) || opts.microBatchSize < 1) throw new Error(`makeMicroBatches: microBatchSize must be an integer ≥ 1, got ${opts.microBatchSize}`);
  const masks = seqs.map((s, i) => {
    if (s.tokens.length < 2) throw new Error(`sequence ${i}: needs at least 2 tokens, has ${s.tokens.length}`);
    return tokenMask(s, `sequence ${i}`);
  });
  const counts = masks.map((m) => m.reduce((a, b) => a + b, 0));
  const weights = sequenceWeights(counts, opts.microBatchSize, opts);
  const pad = opts.padId ?? 0;
  const out: MicroBatch[] = [];
  for (let b0 = 0; b0 < seqs.length; b0 += opts.microBatchSize) {
    const indices: number[] = [];
    for (let i = b0; i < Math.min(seqs.length, b0 + opts.microBatchSize); i++) indices.push(i);
    const B = indices.length;
    const T = Math.max(...indices.map((i) => seqs[i].tokens.length - 1));
    const ids = new BigInt64Array(B * T).fill(BigInt(pad));
    const tgt = new BigInt64Array(B * T).fill(BigInt(pad));
    const w = new Float32Array(B * T);
    const adv = new Float32Array(B * T);
    const mask = new Float32Array(B * T);
    const old = opts.needOld ? new Float32Array(B * T) : undefined;
    const ref = opts.needRef ? new Float32Array(B * T) : undefined;
    indices.forEach((i, r) => {
      const s = seqs[i];
      const L = s.tokens.length;
      const sw = weights[i];
      const where = `sequence ${i}`;
      if (Array.isArray(s.advantage) && s.advantage.length !== L) throw new Error(`${where}: advantage has ${s.advantage.length} entries, expected ${L}`);
      if (old && (!s.oldLogp || s.oldLogp.length !== L)) throw new Error(`${where}: oldLogp needs ${L} entries (one per token)`);
      if (ref && (!s.refLogp || s.refLogp.length !== L)) throw new Error(`${where}: refLogp needs ${L} entries (one per token)`);
      for (let t = 0; t < L - 1; t++) {
        const o = r * T + t;
        const j = t + 1; // position t predicts token j
        ids[o] = BigInt(s.tokens[t]);
        tgt[o] = BigInt(s.tokens[j]);
        const m = masks[i][j];
        mask[o] = m;
        w[o] = m * sw;
        const a = s.advantage === undefined ? 1 : typeof s.advantage === "number" ? s.advantage : s.advantage[j];
        adv[o] = m ? a : 0;
        if (old) old[o] = m ? s.oldLogp![j] : 0;
        if (ref) ref[o] = m ? s.refLogp![j] : 0;
      }
    });
    const nd = (data: Float32Array | BigInt64Array, dtype: "float32" | "int64"): NDArray => ({ dtype, shape: [B, T], data });
    out.push({
      size: B, length: T, indices, mask,
      inputIds: nd(ids, "int64"), targets: nd(tgt, "int64"), weight: nd(w, "float32"), advantages: nd(adv, "float32"),
      oldLogp: old ? nd(old, "float32") : undefined, refLogp: ref ? nd(ref, "float32") : undefined,
    });
  }
  return out;
}
