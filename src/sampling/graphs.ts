// Generation graphs with a key/value cache (prefill + decode), built for inference speed: the same Llama maths
// as src/model/llama.ts (checked against it in tests), with onnxruntime's fused RMSNorm and RoPE kernels and the
// attention scale folded into q's rotation, so a decoding step runs ~40% fewer nodes.
// - prefill: the prompt [B, T] through the model; outputs the last position's logits and every layer's rotated
//   keys/values [B, Hkv, T, hd] for JS to store in its cache.
// - decode: one new token per sequence [B, 1] attending to the cache [B, Hkv, P, hd] (a JS-owned buffer fed
//   zero-copy, masked beyond each sequence's length) and to itself; outputs logits [B, V] and the new keys/values.
import {
  Graph, add, concat, matmul, rmsNormFused, rotaryFused, slice, softmax, split, squeeze, unsqueeze, type NDArray, type Value,
} from "../engine/index.js";
import { hasOBias, hasQkvBias, type LlamaConfig } from "../model/config.js";
import { embed, fromHeads, MASK_NEG, repeatKv, swigluInference, toHeads, type ParamValues, ropeHalfTables } from "../model/llama.js";
import { paramSpecs } from "../model/params.js";
import type { ParamStore } from "../model/params.js";

/** Names of the fused projection weights that generation graphs take instead of q/k/v and gate/up. */
export const qkvName = (layer: number) => `model.layers.${layer}.self_attn.qkv_proj.weight`;
export const qkvBiasName = (layer: number) => `model.layers.${layer}.self_attn.qkv_proj.bias`;
export const gateUpName = (layer: number) => `model.layers.${layer}.mlp.gate_up_proj.weight`;
const HEAD = "lm_head.weight";
const EMBED = "model.embed_tokens.weight";

const FUSED_AWAY = /\.(self_attn\.[qkv]_proj\.(weight|bias)|mlp\.(gate|up)_proj\.weight)$/;

interface GenSpec {
  name: string;
  /** shape as fed: matrices [in, out] */
  shape: number[];
  /** HF tensors stacked by rows (in HF [out, in] layout) to form this one, before the transpose */
  from: string[];
}

/**
 * Generation graphs take their weights in an inference layout, built in JS per generate call (`generationWeights`):
 * [q; k; v] and [gate; up] stacked, so a layer runs 4 GEMMs instead of 7 per decoding step, and every matrix
 * transposed to [in, out], so onnxruntime multiplies without transposing a weight on each call (measured: a
 * transB product of [32, 128] by [688, 128] ran at ~44 GFLOP/s). A tied head gets its own transposed copy.
 */
export function generationParamSpecs(config: LlamaConfig): GenSpec[] {
  const { hidden_size: d, num_attention_heads: H, num_key_value_heads: Hkv, head_dim: hd, intermediate_size: I } = config;
  const specs: GenSpec[] = paramSpecs(config)
    .filter((s) => !FUSED_AWAY.test(s.name))
    .map((s) => ({ name: s.name, shape: s.shape.length === 2 && s.name !== EMBED ? [s.shape[1], s.shape[0]] : s.shape, from: [s.name] }));
  if (config.tie_word_embeddings) specs.push({ name: HEAD, shape: [d, config.vocab_size], from: [EMBED] });
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const attn = (x: string, kind: string) => `model.layers.${i}.self_attn.${x}_proj.${kind}`;
    specs.push({ name: qkvName(i), shape: [d, (H + 2 * Hkv) * hd], from: ["q", "k", "v"].map((x) => attn(x, "weight")) });
    if (hasQkvBias(config)) specs.push({ name: qkvBiasName(i), shape: [(H + 2 * Hkv) * hd], from: ["q", "k", "v"].map((x) => attn(x, "bias")) });
    specs.push({ name: gateUpName(i), shape: [d, 2 * I], from: ["gate", "up"].map((x) => `model.layers.${i}.mlp.${x}_proj.weight`) });
  }
  return specs;
}

/** The generation graphs' weight feeds from a ParamStore: vectors and the embedding shared, matrices stacked and transposed. */
export function generationWeights(config: LlamaConfig, store: ParamStore): Record<string, NDArray> {
  const feeds: Record<string, NDArray> = {};
  for (const s of generationParamSpecs(config)) {
    let data: Float32Array;
    if (s.shape.length === 1 || s.name === EMBED) {
      data = s.from.length === 1 ? store.get(s.from[0]) : Float32Array.from(s.from.flatMap((n) => Array.from(store.get(n))));
    } else {
      // stacked HF rows [out, in] → transposed [in, out]
      const [inDim, outDim] = s.shape;
      data = new Float32Array(inDim * outDim);
      let row0 = 0;
      for (const n of s.from) {
        const w = store.get(n);
        const rows = w.length / inDim;
        transposeInto(w, rows, inDim, data, outDim, row0);
        row0 += rows;
      }
    }
    feeds[s.name] = { dtype: "float32", shape: s.shape, data };
  }
  return feeds;
}

const TILE = 32;

/** dst[c, col0 + r] = src[r, c] for a rows×cols source, in cache-friendly tiles. */
function transposeInto(src: Float32Array, rows: number, cols: number, dst: Float32Array, dstCols: number, col0: number): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) dst[c * dstCols + col0 + r] = src[r * cols + c];
    }
  }
}

/**
 * Weights as graph inputs (fed per call, so training may change them between calls) or, `frozen`, as constants
 * baked into the graph: fewer inputs per decoding step and weight matrices onnxruntime can pre-pack once.
 */
function params(g: Graph, config: LlamaConfig, frozen?: Record<string, NDArray>): ParamValues {
  const out: ParamValues = {};
  for (const s of generationParamSpecs(config)) {
    out[s.name] = frozen ? g.constant(frozen[s.name].data as Float32Array, s.shape) : g.input(s.name, "float32", s.shape);
  }
  return out;
}

/** x · W (+ b) with W already [in, out]. */
function proj(x: Value, w: Value, b?: Value): Value {
  const y = matmul(x, w);
  return b ? add(y, b) : y;
}

/**
 * The decode graph returns every layer's new key and value in ONE output `present` [2L, B, Hkv, 1, hd]
 * (keys of layer l at 2l, values at 2l + 1): each output costs ~17 µs per call in onnxruntime-node, measured.
 */
/**
 * RotaryEmbedding caches for positions 0…n−1 (n = max_position_embeddings), [n, hd/2] each, as the prefill and
 * decode graphs take them; the q pair also carries the 1/√hd attention scale.
 */
export function rotaryFeeds(config: LlamaConfig): Record<string, NDArray> {
  const n = config.max_position_embeddings;
  const positions = Array.from({ length: n }, (_, i) => i);
  const shape = [n, config.head_dim / 2];
  const plain = ropeHalfTables(config, positions);
  const q = ropeHalfTables(config, positions, 1 / Math.sqrt(config.head_dim));
  return {
    cos_cache: { dtype: "float32", shape, data: plain.cos },
    sin_cache: { dtype: "float32", shape, data: plain.sin },
    cos_cache_q: { dtype: "float32", shape, data: q.cos },
    sin_cache_q: { dtype: "float32", shape, data: q.sin },
  };
}

/**
 * The prefill graph's inputs for distinct prompts left-padded to the longest (Lp): ids (pad id in the padding),
 * positions (0 at each prompt's first token) and the causal + padding mask [U, 1, Lp, Lp] (a pad position sees
 * itself only); `padCount[u]` leading positions of prompt u are padding.
 */
export function prefillInputs(prompts: readonly (readonly number[])[], padId: number): { feeds: Record<string, NDArray>; length: number; padCount: number[] } {
  const U = prompts.length;
  const Lp = Math.max(...prompts.map((p) => p.length));
  const ids = new BigInt64Array(U * Lp).fill(BigInt(padId));
  const positions = new BigInt64Array(U * Lp);
  const mask = new Float32Array(U * Lp * Lp).fill(MASK_NEG);
  const padCount = prompts.map((p) => Lp - p.length);
  prompts.forEach((p, u) => {
    const off = padCount[u];
    p.forEach((id, t) => { ids[u * Lp + off + t] = BigInt(id); positions[u * Lp + off + t] = BigInt(t); });
    for (let q = 0; q < Lp; q++) {
      for (let k = 0; k <= q; k++) if (k >= off || k === q) mask[(u * Lp + q) * Lp + k] = 0;
    }
  });
  const feeds: Record<string, NDArray> = {
    input_ids: { dtype: "int64", shape: [U, Lp], data: ids },
    position_ids: { dtype: "int64", shape: [U, Lp], data: positions },
    attn_mask: { dtype: "float32", shape: [U, 1, Lp, Lp], data: mask },
  };
  return { feeds, length: Lp, padCount };
}

export const PRESENT = "present";
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
  const x = rmsNormFused(h, p[`${pre}.input_layernorm.weight`], eps);
  const qkv = proj(x, p[qkvName(i)], hasQkvBias(config) ? p[qkvBiasName(i)] : undefined);
  const [qLin, kLin, v] = split(qkv, [H * hd, Hkv * hd, Hkv * hd], -1);
  // RoPE then the 1/√hd attention scale, in one kernel for q
  const q = rotaryFused(qLin, at.positions, at.cosCacheQ, at.sinCacheQ, H);
  const k = rotaryFused(kLin, at.positions, at.cosCache, at.sinCache, Hkv);
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
  h = add(h, proj(fromHeads(attn, H, hd), p[`${pre}.self_attn.o_proj.weight`], oBias));
  const y = rmsNormFused(h, p[`${pre}.post_attention_layernorm.weight`], eps);
  const [gate, up] = split(proj(y, p[gateUpName(i)]), [config.intermediate_size, config.intermediate_size], -1);
  const mlp = swigluInference(gate, up);
  h = add(h, proj(mlp, p[`${pre}.mlp.down_proj.weight`]));
  return { hidden: h, key: kh, value: vh };
}

function lastLogits(config: LlamaConfig, p: ParamValues, h: Value): Value {
  const last = slice(h, [-1], [Number.MAX_SAFE_INTEGER], [1]); // [B, 1, d]
  const normed = rmsNormFused(last, p["model.norm.weight"], config.rms_norm_eps);
  return squeeze(proj(normed, p[HEAD]), [1]); // [B, V]
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
export function buildPrefillGraph(config: LlamaConfig, frozen?: Record<string, NDArray>): Graph {
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
export function buildDecodeGraph(config: LlamaConfig, frozen?: Record<string, NDArray>): Graph {
  const g = new Graph("ratio_decode");
  const p = params(g, config, frozen);
  const { num_key_value_heads: Hkv, head_dim: hd } = config;
  const ids = g.input("input_ids", "int64", ["B", 1]);
  const at = { ...positional(g, config, 1), mask: g.scalar(0) }; // a token always sees itself
  const pastMask = g.input("past_mask", "float32", ["B", 1, 1, "P"]);
  let h = embed(p, ids);
  const present: Value[] = [];
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const cache = {
      pastKey: g.input(pastKeyName(i), "float32", ["B", Hkv, "P", hd]),
      pastValue: g.input(pastValueName(i), "float32", ["B", Hkv, "P", hd]),
      pastMask,
    };
    const out = layer(config, p, i, h, at, cache);
    h = out.hidden;
    present.push(unsqueeze(out.key, [0]), unsqueeze(out.value, [0]));
  }
  g.output(PRESENT, concat(present, 0));
  g.output("logits", lastLogits(config, p, h));
  return g;
}
