// Training-graph inputs for the model tests: a forward-only objective graph, and the SFT and GRPO settings
// (B = 2, T = 5 with padding; GRPO with behaviour log-probs chosen so that clipping binds on some tokens).
import { expect } from "vitest";
import { evaluate, type Graph, type NDArray } from "../../src/engine/index.js";
import { buildTrainGraph } from "../../src/train/graph.js";
import type { LlamaConfig } from "../../src/model/config.js";
import { DEFAULT_OBJECTIVE, type ObjectiveOptions } from "../../src/model/objective.js";
import type { ParamStore } from "../../src/model/params.js";
import { makeMicroBatches, type Aggregation, type MicroBatch, type TrainSequence } from "../../src/train/batch.js";
import { Rng } from "../../src/util/rng.js";
import { batchFeeds, f64 } from "./tiny.js";

/** The objective's forward pass only (buildTrainGraph without the backward): loss, logp, entropy, kl. */
export function buildForwardGraph(config: LlamaConfig, o: ObjectiveOptions): Graph {
  return buildTrainGraph(config, o, { gradients: false });
}

// B = 2, T = 5 (the second sequence is padded); together the inputs and targets use every token id 0…6.
const TOKENS = [[1, 3, 4, 5, 6, 2], [1, 0, 6, 2]];

export function oneBatch(seqs: TrainSequence[], aggregation: Aggregation, need = false): MicroBatch {
  const mbs = makeMicroBatches(seqs, { microBatchSize: seqs.length, aggregation, needOld: need, needRef: need });
  expect(mbs.length).toBe(1);
  return mbs[0];
}

/** Per-token log-probs [B, T] of the batch under the params (float64 reference). */
export function logpOf(config: LlamaConfig, params: ParamStore, mb: MicroBatch): Float64Array {
  return f64(evaluate(buildForwardGraph(config, DEFAULT_OBJECTIVE), batchFeeds(config, params, mb)).logp);
}

export interface Setting {
  objective: ObjectiveOptions;
  feeds: Record<string, NDArray>;
  /** the function whose gradient the train graph must produce, from the forward graph's outputs */
  target: (out: Record<string, NDArray>, feeds: Record<string, NDArray>) => number;
}

/** SFT: A = 1, ρ ≡ 1, β = 0; the gradient is that of −Σ w·logp (the loss value itself is the constant −Σ w). */
export function sftSetting(config: LlamaConfig, params: ParamStore): Setting {
  const mb = oneBatch([{ tokens: TOKENS[0], start: 2 }, { tokens: TOKENS[1] }], "token-mean");
  return {
    objective: { ...DEFAULT_OBJECTIVE, entropy: true },
    feeds: batchFeeds(config, params, mb),
    target: (out, feeds) => {
      const lp = f64(out.logp);
      const w = f64(feeds.weight);
      let s = 0;
      for (let i = 0; i < lp.length; i++) s -= w[i] * lp[i];
      return s;
    },
  };
}

// log ρ per trained token: ±0.6 lie outside the clip range (clipped where the side binds for the advantage's sign),
// 0.21 and −0.25 just outside [ln 0.8, ln 1.2] (0.21 inside ln 1.28, DAPO's clip-higher), −0.1 inside.
const LOG_RATIOS = [[0.6, -0.6, 0.21, 0.6, -0.1], [-0.6, 0.6, -0.25]];
const ADVANTAGES = [1.5, -0.8];

/** GRPO: behaviour log-probs fed in (ρ ≠ 1, clipping active on some tokens), ± advantages, β > 0 with k3. */
export function grpoSetting(config: LlamaConfig, params: ParamStore, o: Partial<ObjectiveOptions> = {}): Setting & { clipped: number } {
  const objective: ObjectiveOptions = { epsLow: 0.2, epsHigh: 0.2, beta: 0.1, kl: "k3", oldLogp: "input", entropy: true, temperature: 1, ...o };
  const base: TrainSequence[] = TOKENS.map((tokens, i) => ({ tokens, start: 1, advantage: ADVANTAGES[i] }));
  const mb0 = oneBatch(base, "seq-mean-token-mean");
  const lp = logpOf(config, params, mb0);
  const rng = new Rng("grpo-ref");
  let clipped = 0;
  const seqs = base.map((s, i) => {
    const oldLogp = new Array<number>(s.tokens.length).fill(0);
    const refLogp = new Array<number>(s.tokens.length).fill(0);
    for (let j = 1; j < s.tokens.length; j++) {
      const logp = lp[i * mb0.length + j - 1];
      const logRatio = LOG_RATIOS[i][j - 1];
      oldLogp[j] = logp - logRatio;
      refLogp[j] = logp + rng.normal(0, 0.3);
      const a = ADVANTAGES[i];
      if ((a > 0 && logRatio > Math.log(1 + objective.epsHigh)) || (a < 0 && logRatio < Math.log(1 - objective.epsLow))) clipped++;
    }
    return { ...s, oldLogp, refLogp };
  });
  const mb = oneBatch(seqs, "seq-mean-token-mean", true);
  return { objective, feeds: batchFeeds(config, params, mb), target: (out) => f64(out.loss)[0], clipped };
}
