// Loss aggregation: the per-token weight w that turns per-token losses L_t into one step's loss Σ_i Σ_t w_i·m_it·L_it.
// Every trained token of sequence i gets the same weight w_i; with n_i = Σ_t m_it trained tokens in sequence i, B
// sequences in the step, K micro-batches and mb(i) the micro-batch holding i:
//   token-mean               w_i = 1 / Σ_j n_j                         (global token mean over the step)
//   token-mean-micro-batch   w_i = 1 / (K · Σ_{j ∈ mb(i)} n_j)         (token mean per micro-batch, averaged over K)
//   seq-mean-token-mean      w_i = 1 / (B · n_i)                        (mean over sequences of per-sequence means)
//   seq-mean-token-sum-norm  w_i = 1 / (B · maxCompletionLength)        (Dr. GRPO: a constant normalizer)
// A sequence or micro-batch without trained tokens gets weight 0. The global modes do not depend on how the step is
// split into micro-batches, so gradient accumulation equals one big batch; token-mean-micro-batch does (it equals
// token-mean when there is one micro-batch). See docs/training.md, "Loss aggregation".

/** How per-token losses are normalized into the step's loss (the formulas above). */
export type Aggregation = "token-mean" | "token-mean-micro-batch" | "seq-mean-token-mean" | "seq-mean-token-sum-norm";

export const AGGREGATIONS: readonly Aggregation[] = ["token-mean", "token-mean-micro-batch", "seq-mean-token-mean", "seq-mean-token-sum-norm"];

export interface AggregationSettings {
  aggregation: Aggregation;
  /**
   * Dr. GRPO's fixed completion budget (the generation's max new tokens), required by "seq-mean-token-sum-norm" and
   * rejected by the other modes: the normalizer is B · maxCompletionLength, never the observed lengths.
   */
  maxCompletionLength?: number;
}

/** TRL's GRPOConfig.loss_type names. */
export type LossType = "grpo" | "bnpo" | "dr_grpo" | "dapo";

/**
 * The aggregation that reproduces a TRL loss_type (spread the result into TrainerOptions):
 *
 * | loss_type | aggregation             | step loss                                  | same as                                   |
 * |-----------|-------------------------|--------------------------------------------|-------------------------------------------|
 * | grpo      | seq-mean-token-mean     | (1/B) Σ_i (1/n_i) Σ_t L_it                 | TRL grpo, verl seq-mean-token-mean        |
 * | bnpo      | token-mean-micro-batch  | (1/K) Σ_k (Σ_{i∈k} Σ_t L_it) / Σ_{i∈k} n_i | TRL bnpo (micro-batch mean ÷ accum. steps) |
 * | dr_grpo   | seq-mean-token-sum-norm | Σ_i Σ_t L_it / (B · maxCompletionLength)   | TRL dr_grpo (verl's mode of that name: no B) |
 * | dapo      | token-mean              | Σ_i Σ_t L_it / Σ_i n_i                     | TRL dapo, verl token-mean (default)       |
 *
 * `maxCompletionLength` is read only for dr_grpo, where it is required.
 */
export function aggregationFor(lossType: LossType, opts: { maxCompletionLength?: number } = {}): AggregationSettings {
  switch (lossType) {
    case "grpo": return { aggregation: "seq-mean-token-mean" };
    case "bnpo": return { aggregation: "token-mean-micro-batch" };
    case "dapo": return { aggregation: "token-mean" };
    case "dr_grpo": {
      if (opts.maxCompletionLength === undefined) throw new Error(`loss type "dr_grpo" needs maxCompletionLength (the generation's max new tokens)`);
      return checkAggregation({ aggregation: "seq-mean-token-sum-norm", maxCompletionLength: opts.maxCompletionLength });
    }
    default: throw new Error(`unknown loss type "${String(lossType)}" (expected grpo, bnpo, dr_grpo or dapo)`);
  }
}

/** Validates the settings (mode name, maxCompletionLength present exactly when Dr. GRPO needs it); returns them. */
export function checkAggregation(s: AggregationSettings): AggregationSettings {
  if (!AGGREGATIONS.includes(s.aggregation)) throw new Error(`aggregation: expected one of ${AGGREGATIONS.join(", ")}, got "${String(s.aggregation)}"`);
  const L = s.maxCompletionLength;
  if (s.aggregation === "seq-mean-token-sum-norm") {
    if (L === undefined) throw new Error(`aggregation "seq-mean-token-sum-norm" (Dr. GRPO) needs maxCompletionLength: the normalizer is B · maxCompletionLength`);
    if (!Number.isInteger(L) || L < 1) throw new Error(`maxCompletionLength must be an integer ≥ 1, got ${L}`);
  } else if (L !== undefined) {
    throw new Error(`maxCompletionLength applies only to aggregation "seq-mean-token-sum-norm", not "${s.aggregation}"`);
  }
  return s;
}

/**
 * The weight w_i of every trained token of sequence i (formulas at the top), given n_i = `counts[i]` and
 * micro-batches of `microBatchSize` consecutive sequences.
 */
export function sequenceWeights(counts: readonly number[], microBatchSize: number, settings: AggregationSettings): number[] {
  const s = checkAggregation(settings);
  const B = counts.length;
  const inv = (x: number): number => (x > 0 ? 1 / x : 0);
  switch (s.aggregation) {
    case "token-mean": {
      const w = inv(counts.reduce((a, b) => a + b, 0));
      return counts.map(() => w);
    }
    case "token-mean-micro-batch": {
      const K = Math.ceil(B / microBatchSize);
      return counts.map((_, i) => {
        const k0 = Math.floor(i / microBatchSize) * microBatchSize;
        const inMicroBatch = counts.slice(k0, k0 + microBatchSize).reduce((a, b) => a + b, 0);
        return inv(K * inMicroBatch);
      });
    }
    case "seq-mean-token-mean":
      return counts.map((n) => inv(B * n));
    case "seq-mean-token-sum-norm": {
      const L = s.maxCompletionLength!;
      counts.forEach((n, i) => {
        if (n > L) throw new Error(`sequence ${i}: ${n} trained tokens exceed maxCompletionLength ${L} (Dr. GRPO's normalizer assumes completions of at most that many tokens)`);
      });
      return counts.map(() => 1 / (B * L));
    }
  }
}
