// Generation graphs with a key/value cache (prefill + decode), built for inference speed: the same Llama maths
// as src/model/llama.ts (checked against it in tests), with onnxruntime's fused RMSNorm and RoPE kernels and the
// attention scale folded into q's rotation, so a decoding step runs ~40% fewer nodes.
// - prefill: the prompt [B, T] through the model; outputs the last position's logits and every layer's rotated
//   keys/values [B, Hkv, T, hd] for JS to store in its cache.
// - decode: one new token per sequence [B, 1] attending to the cache [B, Hkv, P, hd] (a JS-owned buffer fed
//   zero-copy, masked beyond each sequence's length) and to itself; outputs logits [B, V] and the new keys/values.
import {
  Graph, add, concat, matmul, mul, rmsNormFused, rotaryFused, slice, softmax, squeeze, type Value,
} from "../engine/index.js";
import { hasOBias, hasQkvBias, type LlamaConfig } from "../model/config.js";
import { declareParams, embed, fromHeads, linear, repeatKv, silu, toHeads, type ParamValues } from "../model/llama.js";
import type { ParamStore } from "../model/params.js";

/**
 * Parameters of a generation graph: graph inputs (weights fed per call, so training can change them), or, with
 * `frozen`, constants baked into the graph, which lets onnxruntime pre-pack the weight matrices once.
 */
function params(g: Graph, config: LlamaConfig, frozen?: ParamStore): ParamValues {
  if (!frozen) return declareParams(g, config);
  const out: ParamValues = {};
  for (const s of frozen.specs) out[s.name] = g.constant(frozen.get(s.name), s.shape);
  return out;
}

export const keyName = (layer: number) => `key_${layer}`;
export const valueName = (layer: number) => `value_${layer}`;
export const pastKeyName = (layer: number) => `past_key_${layer}`;
export const pastValueName = (layer: number) => `past_value_${layer}`;

interface Positional {
  /** int64 [B, T] absolute positions */
  positions: Value;
  /** [P, hd/2] cos/sin of position·inv_freq (RotaryEmbedding caches) */
  cosCache: Value;
  sinCache: Value;
  /** the same caches times 1/√hd: rotating q with them also applies the attention scale */
  cosCacheQ: Value;
  sinCacheQ: Value;
  /** additive mask over the present keys [B, 1, T, T] (or a scalar 0 when T = 1) */
  mask: Value;
}

interface Cache {
  pastKey: Value;
  pastValue: Value;
  /** additive mask over the cache [B, 1, T, P] */
  pastMask: Value;
}

/** One decoder layer (LlamaDecoderLayer) with fused norm and rotary kernels. */
function layer(config: LlamaConfig, p: ParamValues, i: number, h: Value, at: Positional, cache?: Cache) {
  const pre = `model.layers.${i}`;
  const { num_attention_heads: H, num_key_value_heads: Hkv, head_dim: hd, rms_norm_eps: eps } = config;
  const bias = (name: string) => (hasQkvBias(config) ? p[`${pre}.self_attn.${name}.bias`] : undefined);
  const x = rmsNormFused(h, p[`${pre}.input_layernorm.weight`], eps);
  // RoPE then the 1/√hd attention scale, in one kernel for q
  const q = rotaryFused(linear(x, p[`${pre}.self_attn.q_proj.weight`], bias("q_proj")), at.positions, at.cosCacheQ, at.sinCacheQ, H);
  const k = rotaryFused(linear(x, p[`${pre}.self_attn.k_proj.weight`], bias("k_proj")), at.positions, at.cosCache, at.sinCache, Hkv);
  const v = linear(x, p[`${pre}.self_attn.v_proj.weight`], bias("v_proj"));
  const qh = toHeads(q, H, hd);
  const kh = toHeads(k, Hkv, hd);
  const vh = toHeads(v, Hkv, hd);
  const rep = H / Hkv;
  const kAll = repeatKv(kh, rep, Hkv, hd);
  const vAll = repeatKv(vh, rep, Hkv, hd);
  const scores = add(matmul(qh, kAll, { transB: true }), at.mask);
  let attn: Value;
  if (!cache) {
    attn = matmul(softmax(scores, -1), vAll);
  } else {
    const pastScores = add(matmul(qh, repeatKv(cache.pastKey, rep, Hkv, hd), { transB: true }), cache.pastMask);
    const probs = softmax(concat([pastScores, scores], 3), -1);
    const T = qh.shape[2];
    if (typeof T !== "number") throw new Error("decode layer: needs a static query length");
    attn = add(
      matmul(slice(probs, [0], [-T], [3]), repeatKv(cache.pastValue, rep, Hkv, hd)),
      matmul(slice(probs, [-T], [Number.MAX_SAFE_INTEGER], [3]), vAll),
    );
  }
  const oBias = hasOBias(config) ? p[`${pre}.self_attn.o_proj.bias`] : undefined;
  h = add(h, linear(fromHeads(attn, H, hd), p[`${pre}.self_attn.o_proj.weight`], oBias));
  const y = rmsNormFused(h, p[`${pre}.post_attention_layernorm.weight`], eps);
  const mlp = mul(silu(linear(y, p[`${pre}.mlp.gate_proj.weight`])), linear(y, p[`${pre}.mlp.up_proj.weight`]));
  h = add(h, linear(mlp, p[`${pre}.mlp.down_proj.weight`]));
  return { hidden: h, key: kh, value: vh };
}

function lastLogits(config: LlamaConfig, p: ParamValues, h: Value): Value {
  const last = slice(h, [-1], [Number.MAX_SAFE_INTEGER], [1]); // [B, 1, d]
  const normed = rmsNormFused(last, p["model.norm.weight"], config.rms_norm_eps);
  const head = config.tie_word_embeddings ? p["model.embed_tokens.weight"] : p["lm_head.weight"];
  return squeeze(linear(normed, head), [1]); // [B, V]
}

function positional(g: Graph, config: LlamaConfig, T: number | string): Omit<Positional, "mask"> {
  return {
    positions: g.input("position_ids", "int64", ["B", T]),
    cosCache: g.input("cos_cache", "float32", ["MaxPos", config.head_dim / 2]),
    sinCache: g.input("sin_cache", "float32", ["MaxPos", config.head_dim / 2]),
    cosCacheQ: g.input("cos_cache_q", "float32", ["MaxPos", config.head_dim / 2]),
    sinCacheQ: g.input("sin_cache_q", "float32", ["MaxPos", config.head_dim / 2]),
  };
}

/** Prompt pass: ids [B, T], positions [B, T], mask [B, 1, T, T] (causal + left padding). */
export function buildPrefillGraph(config: LlamaConfig, frozen?: ParamStore): Graph {
  const g = new Graph("ratio_prefill");
  const p = params(g, config, frozen);
  const ids = g.input("input_ids", "int64", ["B", "T"]);
  const at = { ...positional(g, config, "T"), mask: g.input("attn_mask", "float32", ["B", 1, "T", "T"]) };
  let h = embed(p, ids);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const out = layer(config, p, i, h, at);
    h = out.hidden;
    g.output(keyName(i), out.key);
    g.output(valueName(i), out.value);
  }
  g.output("logits", lastLogits(config, p, h));
  return g;
}

/** One decoding step: ids [B, 1], positions [B, 1], cache [B, Hkv, P, hd] per layer, past mask [B, 1, 1, P]. */
export function buildDecodeGraph(config: LlamaConfig, frozen?: ParamStore): Graph {
  const g = new Graph("ratio_decode");
  const p = params(g, config, frozen);
  const { num_key_value_heads: Hkv, head_dim: hd } = config;
  const ids = g.input("input_ids", "int64", ["B", 1]);
  const at = { ...positional(g, config, 1), mask: g.scalar(0) }; // a token always sees itself
  const pastMask = g.input("past_mask", "float32", ["B", 1, 1, "P"]);
  let h = embed(p, ids);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const cache = {
      pastKey: g.input(pastKeyName(i), "float32", ["B", Hkv, "P", hd]),
      pastValue: g.input(pastValueName(i), "float32", ["B", Hkv, "P", hd]),
      pastMask,
    };
    const out = layer(config, p, i, h, at, cache);
    h = out.hidden;
    g.output(keyName(i), out.key);
    g.output(valueName(i), out.value);
  }
  g.output("logits", lastLogits(config, p, h));
  return g;
}

/**
 * RotaryEmbedding caches for positions 0…n−1: scale·cos/sin(p·inv_freq_i) as [n, hd/2] (float32 angles, as HF).
 */
export function rotaryCaches(config: LlamaConfig, n: number, invFreq: Float64Array, scale = 1): { cos: Float32Array; sin: Float32Array } {
  const half = config.head_dim / 2;
  const cos = new Float32Array(n * half);
  const sin = new Float32Array(n * half);
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(Math.fround(invFreq[i]) * p);
      cos[p * half + i] = scale * Math.cos(angle);
      sin[p * half + i] = scale * Math.sin(angle);
    }
  }
  return { cos, sin };
}

