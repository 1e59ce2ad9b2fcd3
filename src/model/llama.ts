// The Llama / Qwen2 decoder as an engine graph (transformers modeling_llama.py, modeling_qwen2.py):
//   h = embed(ids); for each layer: h += o_proj(attn(rope(q), rope(k), v)) on RMSNorm(h);
//   h += down_proj(silu(gate_proj(x)) ⊙ up_proj(x)) on RMSNorm(h); logits = lm_head(RMSNorm(h)).
// Weights stay in HF's [out, in] layout on disk and in memory; the graph multiplies by the transpose.
import {
  add, concat, customGrad, gather, matmul, mul, pow, reduceMean, reduceSum, reshape, sigmoid, softmax, sub,
  transpose, type Graph, type Value,
} from "../engine/index.js";
import { hasOBias, hasQkvBias, type LlamaConfig } from "./config.js";
import { paramSpecs } from "./params.js";

export type ParamValues = Record<string, Value>;

/** Declares every parameter as a float32 graph input named exactly as in Hugging Face. */
export function declareParams(g: Graph, config: LlamaConfig): ParamValues {
  const out: ParamValues = {};
  for (const s of paramSpecs(config)) out[s.name] = g.input(s.name, "float32", s.shape);
  return out;
}

/** y = x·Wᵀ (+ b): nn.Linear with W stored [out, in]. */
export function linear(x: Value, weight: Value, bias?: Value): Value {
  const y = matmul(x, weight, { transB: true });
  return bias ? add(y, bias) : y;
}

/**
 * RMSNorm (Zhang & Sennrich 2019; LlamaRMSNorm): y = x̂ · w, x̂ = x · r, r = (mean(x²) + ε)^(−½), with the
 * hand-derived backward (fewer passes than differentiating the ops one by one):
 *   g = dy · w;  dx = r · (g − x̂ · mean(g · x̂));  dw = Σ_rows dy · x̂
 */
export function rmsNorm(x: Value, weight: Value, eps: number): Value {
  const r = pow(add(reduceMean(mul(x, x), [-1], true), eps), -0.5);
  const xhat = mul(x, r);
  const y = mul(xhat, weight);
  const rowAxes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  return customGrad(y, [x, weight], (dy, needs) => {
    const g = mul(dy, weight);
    const dx = needs[0] ? mul(sub(g, mul(xhat, reduceMean(mul(g, xhat), [-1], true))), r) : null;
    const dw = needs[1] ? reduceSum(mul(dy, xhat), rowAxes, false) : null;
    return [dx, dw];
  });
}

/** SiLU(x) = x·σ(x). */
export function silu(x: Value): Value {
  return mul(x, sigmoid(x));
}

/** silu(gate) ⊙ up without the custom backward (inference graphs: onnxruntime fuses x·σ(x) there). */
export function swigluInference(gate: Value, up: Value): Value {
  return mul(silu(gate), up);
}

/**
 * The SwiGLU product silu(gate) ⊙ up (Shazeer 2020), with the hand-derived backward
 *   d_up = dy · silu(gate);  d_gate = dy · up · (σ + silu · (1 − σ)),  σ = σ(gate).
 */
export function swiglu(gate: Value, up: Value): Value {
  const s = sigmoid(gate);
  const a = mul(gate, s);
  const y = mul(a, up);
  return customGrad(y, [gate, up], (dy, needs) => [
    needs[0] ? mul(mul(dy, up), add(s, mul(a, sub(1, s)))) : null,
    needs[1] ? mul(dy, a) : null,
  ]);
}

/**
 * RoPE in HF's rotate_half form: x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁].
 * `sinSigned` carries the sign of rotate_half: [−sin, +sin] over the two halves (see ropeTables),
 * so the graph computes x·cos + [x₂, x₁]·sinSigned. x: [B, H, T, hd]; cos, sinSigned broadcast to it.
 */
export function applyRope(x: Value, cos: Value, sinSigned: Value, headDim: number): Value {
  return add(mul(x, cos), mul(matmul(x, halfSwap(x.graph, headDim)), sinSigned));
}

/**
 * The permutation [x₁, x₂] → [x₂, x₁] as an [hd, hd] matrix: one small GEMM forward and backward instead of
 * slice + concat forward and pad + add backward (measured faster in the training step).
 */
function halfSwap(g: Graph, headDim: number): Value {
  const half = headDim / 2;
  const m = new Float32Array(headDim * headDim);
  for (let i = 0; i < half; i++) {
    m[(half + i) * headDim + i] = 1; // output i (first half) takes input half + i
    m[i * headDim + half + i] = 1; // output half + i takes input i
  }
  return g.constant(m, [headDim, headDim]);
}

/** Inverse frequencies θ^(−2i/hd), i = 0…hd/2−1 (RoFormer; LlamaRotaryEmbedding default rope type). */
export function inverseFrequencies(config: LlamaConfig): Float64Array {
  const hd = config.head_dim;
  const inv = new Float64Array(hd / 2);
  for (let i = 0; i < hd / 2; i++) inv[i] = 1 / Math.pow(config.rope_theta, (2 * i) / hd);
  return inv;
}

/**
 * scale·cos and scale·sin of p·f_i for the given positions, laid out [positions.length, hd/2]; angles in float32
 * as HF computes them (inv_freq.float() @ position_ids.float()).
 */
export function ropeHalfTables(config: LlamaConfig, positions: ArrayLike<number>, scale = 1): { cos: Float32Array; sin: Float32Array } {
  const half = config.head_dim / 2;
  const inv = inverseFrequencies(config);
  const cos = new Float32Array(positions.length * half);
  const sin = new Float32Array(positions.length * half);
  for (let n = 0; n < positions.length; n++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(Math.fround(inv[i]) * positions[n]);
      cos[n * half + i] = scale * Math.cos(angle);
      sin[n * half + i] = scale * Math.sin(angle);
    }
  }
  return { cos, sin };
}

/**
 * cos and signed sin tables for the given positions, laid out [positions.length, hd]:
 * cos[p] = [cos(p·f), cos(p·f)], sinSigned[p] = [−sin(p·f), sin(p·f)].
 */
export function ropeTables(config: LlamaConfig, positions: ArrayLike<number>): { cos: Float32Array; sin: Float32Array } {
  const hd = config.head_dim;
  const half = hd / 2;
  const t = ropeHalfTables(config, positions);
  const cos = new Float32Array(positions.length * hd);
  const sin = new Float32Array(positions.length * hd);
  for (let n = 0; n < positions.length; n++) {
    for (let i = 0; i < half; i++) {
      const c = t.cos[n * half + i];
      const s = t.sin[n * half + i];
      cos[n * hd + i] = c;
      cos[n * hd + half + i] = c;
      sin[n * hd + i] = -s;
      sin[n * hd + half + i] = s;
    }
  }
  return { cos, sin };
}

/** Splits [B, T, H·hd] into heads [B, H, T, hd] (a pure reshape when T = 1, as in decoding). */
export function toHeads(x: Value, heads: number, headDim: number): Value {
  if (x.shape[1] === 1) return reshape(x, [0, heads, 1, headDim]);
  return transpose(reshape(x, [0, 0, heads, headDim]), [0, 2, 1, 3]);
}

/** Merges heads [B, H, T, hd] back into [B, T, H·hd]. */
export function fromHeads(x: Value, heads: number, headDim: number): Value {
  if (x.shape[2] === 1) return reshape(x, [0, 1, heads * headDim]);
  return reshape(transpose(x, [0, 2, 1, 3]), [0, 0, heads * headDim]);
}

/** Repeats each of the Hkv key/value heads `rep` times (HF repeat_kv): [B, Hkv, T, hd] → [B, Hkv·rep, T, hd]. */
export function repeatKv(x: Value, rep: number, kvHeads: number, headDim: number): Value {
  if (rep === 1) return x;
  const copies: Value[] = [];
  // [B, Hkv, T, hd] → [B, Hkv, 1, T·hd] → concat rep copies on axis 2 → [B, Hkv·rep, T, hd]
  const flat = reshape(x, [0, kvHeads, 1, -1]);
  for (let r = 0; r < rep; r++) copies.push(flat);
  return reshape(concat(copies, 2), [0, kvHeads * rep, -1, headDim]);
}

/** Inputs that position a forward pass: RoPE tables and the additive attention mask (0 or −∞-like). */
export interface AttentionInputs {
  /** cos, signed sin: broadcastable to [B, 1, T, hd] */
  cos: Value;
  sin: Value;
  /** additive mask broadcastable to [B, H, T, Tk] */
  mask: Value;
}

/** One decoder layer: h ↦ h + attention(RMSNorm(h)) ↦ h + SwiGLU MLP(RMSNorm(h)). (Generation graphs use their own
 * inference variant of it with a KV cache, in src/sampling/graphs.ts.) */
export function decoderLayer(config: LlamaConfig, p: ParamValues, layer: number, h: Value, at: AttentionInputs): Value {
  const pre = `model.layers.${layer}`;
  const H = config.num_attention_heads;
  const Hkv = config.num_key_value_heads;
  const hd = config.head_dim;
  const rep = H / Hkv;
  const qkvBias = hasQkvBias(config);
  const bias = (name: string): Value | undefined => (qkvBias ? p[`${pre}.self_attn.${name}.bias`] : undefined);

  const x = rmsNorm(h, p[`${pre}.input_layernorm.weight`], config.rms_norm_eps);
  // scaled dot-product: the 1/√hd factor is folded into q (same product as scaling the scores)
  const qLin = linear(x, p[`${pre}.self_attn.q_proj.weight`], bias("q_proj"));
  const q = applyRope(toHeads(mul(qLin, 1 / Math.sqrt(hd)), H, hd), at.cos, at.sin, hd);
  const k = applyRope(toHeads(linear(x, p[`${pre}.self_attn.k_proj.weight`], bias("k_proj")), Hkv, hd), at.cos, at.sin, hd);
  const v = toHeads(linear(x, p[`${pre}.self_attn.v_proj.weight`], bias("v_proj")), Hkv, hd);

  const kAll = repeatKv(k, rep, Hkv, hd);
  const vAll = repeatKv(v, rep, Hkv, hd);
  const scores = add(matmul(q, kAll, { transB: true }), at.mask); // [B, H, T, T]
  const attn = matmul(softmax(scores, -1), vAll);
  const merged = fromHeads(attn, H, hd);
  const oBias = hasOBias(config) ? p[`${pre}.self_attn.o_proj.bias`] : undefined;
  h = add(h, linear(merged, p[`${pre}.self_attn.o_proj.weight`], oBias));

  const y = rmsNorm(h, p[`${pre}.post_attention_layernorm.weight`], config.rms_norm_eps);
  const mlp = swiglu(linear(y, p[`${pre}.mlp.gate_proj.weight`]), linear(y, p[`${pre}.mlp.up_proj.weight`]));
  return add(h, linear(mlp, p[`${pre}.mlp.down_proj.weight`]));
}

/** Embedding lookup: [B, T] int64 ids → [B, T, d]. */
export function embed(p: ParamValues, ids: Value): Value {
  return gather(p["model.embed_tokens.weight"], ids, 0);
}

/** Final norm and LM head: [B, T, d] → logits [B, T, V] (tied head reuses the embedding). */
export function lmHead(config: LlamaConfig, p: ParamValues, h: Value): Value {
  const normed = rmsNorm(h, p["model.norm.weight"], config.rms_norm_eps);
  const head = config.tie_word_embeddings ? p["model.embed_tokens.weight"] : p["lm_head.weight"];
  return linear(normed, head);
}

/** Full forward pass without a cache: ids [B, T] → logits [B, T, V]. */
export function llamaForward(config: LlamaConfig, p: ParamValues, ids: Value, at: AttentionInputs): Value {
  let h = embed(p, ids);
  for (let i = 0; i < config.num_hidden_layers; i++) h = decoderLayer(config, p, i, h, at);
  return lmHead(config, p, h);
}

/** Large negative used for masked attention positions (finite, so fully masked rows stay NaN-free). */
export const MASK_NEG = -1e9;

/** Causal additive mask [T, T]: 0 where key ≤ query, MASK_NEG above the diagonal. */
export function causalMask(T: number): Float32Array {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = MASK_NEG;
  return m;
}

