// Fused inference ops of onnxruntime's CPU build (no VJP: for generation graphs only). Each has a reference kernel
// (kernels/fused.ts) so tests can check it against the composite it replaces.
//   rmsNormFused: SimplifiedLayerNormalization (ORT, onnx domain, opset 1): y = x / √(mean(x²) + ε) · scale
//   rotaryFused:  com.microsoft RotaryEmbedding (opset 1): RoPE over [B, S, H·hd] with position ids and
//                 cos/sin caches [P, hd/2]; interleaved = 0 is HF's rotate_half layout.
import { attr, type Value } from "../graph.js";
import { node1 } from "./util.js";

/** Op-name prefix that the serializer turns into the node's domain (`com.microsoft::RotaryEmbedding`). */
export const MS_DOMAIN = "com.microsoft";

export function rmsNormFused(x: Value, scale: Value, eps: number): Value {
  if (x.dtype !== "float32") throw new Error(`rmsNormFused: needs float32, got ${x.dtype}`);
  return node1(x.graph, "SimplifiedLayerNormalization", [x, scale], { axis: attr.int(-1), epsilon: attr.float(eps) }, x.dtype, x.shape);
}

/**
 * x [B, S, H·hd]; positions int64 [B, S]; cosCache/sinCache [P, hd/2]. (The op's `scale` attribute is ignored by
 * onnxruntime 1.30's CPU kernel, measured; scale the caches instead — RoPE is linear in cos and sin.)
 */
export function rotaryFused(x: Value, positions: Value, cosCache: Value, sinCache: Value, numHeads: number): Value {
  if (x.rank !== 3) throw new Error(`rotaryFused: input must be [B, S, H·hd], got rank ${x.rank}`);
  if (positions.dtype !== "int64") throw new Error("rotaryFused: positions must be int64");
  return node1(x.graph, `${MS_DOMAIN}::RotaryEmbedding`, [x, positions, cosCache, sinCache], {
    interleaved: attr.int(0), num_heads: attr.int(numHeads),
  }, x.dtype, x.shape);
}
