// Tiny Llama / Qwen2 configurations, random parameters and feed builders shared by the model correctness tests.
import type { NDArray } from "../../src/engine/index.js";
import { parseConfig, type LlamaConfig } from "../../src/model/config.js";
import { ParamStore, paramSpecs } from "../../src/model/params.js";
import type { MicroBatch } from "../../src/train/batch.js";
import { paramFeeds, positionFeeds } from "../../src/train/graph.js";
import { Rng } from "../../src/util/rng.js";

/** Parameters are rounded to multiples of 2^−GRID_BITS, so x ± 2^−k (k ≤ GRID_BITS) stays exact in float32. */
export const GRID_BITS = 16;
const GRID = 2 ** GRID_BITS;
const MAX_ABS = 3.5;

/** hidden 8, 2 layers, 2 heads over 1 KV head (GQA), SwiGLU 12, vocab 7, untied head, no biases. */
export const LLAMA_GQA: LlamaConfig = parseConfig(
  {
    model_type: "llama", hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1,
    intermediate_size: 12, vocab_size: 7, max_position_embeddings: 32, rms_norm_eps: 1e-5, rope_theta: 10000,
  },
  "test config llama-gqa",
);

/** The same sizes as Qwen2: q/k/v biases, tied embeddings. */
export const QWEN2_TIED: LlamaConfig = parseConfig(
  {
    model_type: "qwen2", hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1,
    intermediate_size: 12, vocab_size: 7, max_position_embeddings: 32, rms_norm_eps: 1e-6, rope_theta: 1000,
    tie_word_embeddings: true,
  },
  "test config qwen2-tied",
);

/** Llama with attention_bias: q/k/v and o_proj biases, 4 heads over 2 KV heads. */
export const LLAMA_BIAS: LlamaConfig = parseConfig(
  {
    model_type: "llama", hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
    intermediate_size: 12, vocab_size: 7, max_position_embeddings: 32, rms_norm_eps: 1e-5, rope_theta: 10000,
    attention_bias: true,
  },
  "test config llama-bias",
);

/**
 * Random parameters on the 2^−16 grid: matrices ~ N(0, std²), norm weights ~ 1 + N(0, 0.2²), biases ~ N(0, 0.2²)
 * (the default init's ones and zeros would hide mistakes in the norm and bias gradients).
 */
export function randomParams(config: LlamaConfig, seed: number, std = 0.5): ParamStore {
  const store = new ParamStore(paramSpecs(config));
  const rng = new Rng(`tiny-params:${seed}`);
  for (const s of store.specs) {
    const view = store.get(s.name);
    for (let i = 0; i < view.length; i++) {
      const x = s.name.endsWith("norm.weight") ? 1 + rng.normal(0, 0.2) : s.name.endsWith(".bias") ? rng.normal(0, 0.2) : rng.normal(0, std);
      view[i] = Math.round(Math.max(-MAX_ABS, Math.min(MAX_ABS, x)) * GRID) / GRID;
    }
  }
  return store;
}

/** Feeds of the train / score / logits graphs for one micro-batch (only the inputs a graph declares are used). */
export function batchFeeds(config: LlamaConfig, params: ParamStore, mb: MicroBatch): Record<string, NDArray> {
  const feeds: Record<string, NDArray> = {
    ...paramFeeds(config, params.views),
    ...positionFeeds(config, mb.length),
    input_ids: mb.inputIds, targets: mb.targets, weight: mb.weight, advantages: mb.advantages,
  };
  if (mb.oldLogp) feeds.old_logp = mb.oldLogp;
  if (mb.refLogp) feeds.ref_logp = mb.refLogp;
  return feeds;
}

/** Float64 copy of any numeric NDArray's data. */
export function f64(a: NDArray): Float64Array {
  return Float64Array.from(a.data as ArrayLike<number | bigint>, Number);
}

/** max |a − b| / max |b| (scale floored at `floor`). */
export function relMaxErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  let num = 0;
  let den = floor;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}
