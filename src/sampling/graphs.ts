// Generation graphs with a key/value cache (prefill + decode):
// - prefill: the prompt [B, T] through the model; outputs the last position's logits and every layer's rotated
//   keys/values [B, Hkv, T, hd] for JS to store in its cache.
// - decode: one new token per sequence [B, 1] attending to the cache [B, Hkv, P, hd] (a JS-owned buffer fed
//   zero-copy, masked beyond each sequence's length) and to itself; outputs logits [B, V] and the new keys/values.
import { Graph, slice, squeeze, type Value } from "../engine/index.js";
import type { LlamaConfig } from "../model/config.js";
import { declareParams, decoderLayer, embed, lmHead } from "../model/llama.js";

export const keyName = (layer: number) => `key_${layer}`;
export const valueName = (layer: number) => `value_${layer}`;
export const pastKeyName = (layer: number) => `past_key_${layer}`;
export const pastValueName = (layer: number) => `past_value_${layer}`;

function lastLogits(config: LlamaConfig, p: Record<string, Value>, h: Value): Value {
  const last = slice(h, [-1], [Number.MAX_SAFE_INTEGER], [1]); // [B, 1, d]
  return squeeze(lmHead(config, p, last), [1]); // [B, V]
}

/** Prompt pass: inputs ids [B, T], rope [B, 1, T, hd], mask [B, 1, T, T] (causal + left padding). */
export function buildPrefillGraph(config: LlamaConfig): Graph {
  const g = new Graph("ratio_prefill");
  const p = declareParams(g, config);
  const hd = config.head_dim;
  const ids = g.input("input_ids", "int64", ["B", "T"]);
  const at = {
    cos: g.input("rope_cos", "float32", ["B", 1, "T", hd]),
    sin: g.input("rope_sin", "float32", ["B", 1, "T", hd]),
    mask: g.input("attn_mask", "float32", ["B", 1, "T", "T"]),
  };
  let h = embed(p, ids);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const out = decoderLayer(config, p, i, h, at);
    h = out.hidden;
    g.output(keyName(i), out.key);
    g.output(valueName(i), out.value);
  }
  g.output("logits", lastLogits(config, p, h));
  return g;
}

/** One decoding step: ids [B, 1], rope [B, 1, 1, hd], cache [B, Hkv, P, hd] per layer, past mask [B, 1, 1, P]. */
export function buildDecodeGraph(config: LlamaConfig): Graph {
  const g = new Graph("ratio_decode");
  const p = declareParams(g, config);
  const hd = config.head_dim;
  const Hkv = config.num_key_value_heads;
  const ids = g.input("input_ids", "int64", ["B", 1]);
  const at = {
    cos: g.input("rope_cos", "float32", ["B", 1, 1, hd]),
    sin: g.input("rope_sin", "float32", ["B", 1, 1, hd]),
    mask: g.scalar(0), // a token always sees itself
  };
  const pastMask = g.input("past_mask", "float32", ["B", 1, 1, "P"]);
  let h = embed(p, ids);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const cache = {
      pastKey: g.input(pastKeyName(i), "float32", ["B", Hkv, "P", hd]),
      pastValue: g.input(pastValueName(i), "float32", ["B", Hkv, "P", hd]),
      pastMask,
    };
    const out = decoderLayer(config, p, i, h, at, cache);
    h = out.hidden;
    g.output(keyName(i), out.key);
    g.output(valueName(i), out.value);
  }
  g.output("logits", lastLogits(config, p, h));
  return g;
}
