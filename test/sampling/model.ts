// A small random Llama (GQA, untied) with a character tokenizer for the generation tests, and the full-sequence
// forward pass (no cache) that the KV-cache path must agree with.
import { compile, type CompiledGraph } from "../../src/engine/index.js";
import { parseConfig, type LlamaConfig } from "../../src/model/config.js";
import type { ParamStore } from "../../src/model/params.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { Generator } from "../../src/sampling/generate.js";
import { buildLogitsGraph, paramFeeds, positionFeeds } from "../../src/train/graph.js";
import { randomParams } from "../llama/tiny.js";

export const tokenizer = CharTokenizer.fromAlphabet("abcdefgh");

/** hidden 16, 2 layers, 4 query heads over 2 KV heads, vocab 11 (<pad>, <bos>, <eos>, a…h). */
export const config: LlamaConfig = parseConfig(
  {
    model_type: "llama", hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
    intermediate_size: 24, vocab_size: tokenizer.vocabSize, max_position_embeddings: 64, rms_norm_eps: 1e-5,
    rope_theta: 10000, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId,
  },
  "sampling test config",
);

/** Weights large enough for peaked, position-dependent next-token distributions (logits spread over a few units). */
export const params: ParamStore = randomParams(config, 5, 0.35);

export interface TestModel {
  gen: Generator;
  /** logits [T, V] of one unpadded sequence through the full forward graph (no cache), as rows */
  full: (ids: readonly number[]) => Promise<Float32Array[]>;
}

let model: Promise<TestModel> | undefined;

export function testModel(): Promise<TestModel> {
  model ??= (async () => {
    const gen = await Generator.create({ config, params, tokenizer });
    const logits: CompiledGraph = await compile(buildLogitsGraph(config));
    const full = async (ids: readonly number[]) => {
      const T = ids.length;
      const out = await logits.run({
        ...paramFeeds(config, params.views), ...positionFeeds(config, T),
        input_ids: { dtype: "int64", shape: [1, T], data: BigInt64Array.from(ids, BigInt) },
      });
      const V = config.vocab_size;
      const data = out.logits.data as Float32Array;
      return Array.from({ length: T }, (_, t) => data.slice(t * V, (t + 1) * V));
    };
    return { gen, full };
  })();
  return model;
}

/** log softmax of a row at `index`, in float64. */
export function logSoftmaxAt(row: Float32Array, index: number): number {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  return row[index] - max - Math.log(sum);
}

/** The ids of the largest logit and the gap to the runner-up. */
export function top2(row: Float32Array): { best: number; gap: number } {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  let second = -Infinity;
  for (let i = 0; i < row.length; i++) if (i !== best) second = Math.max(second, row[i]);
  return { best, gap: row[best] - second };
}
