// Reference kernels of the fused inference ops (ops/fused.ts).
import type { RefTensor } from "./tensor.js";
import { refTensor } from "./tensor.js";

/** SimplifiedLayerNormalization over the last axis: y = x / √(mean(x²) + ε) · scale. */
export function simplifiedLayerNorm(x: RefTensor, scale: RefTensor, eps: number): RefTensor {
  const d = x.shape[x.shape.length - 1];
  const out = refTensor(x.dtype, [...x.shape]);
  for (let r = 0; r < x.data.length / d; r++) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x.data[r * d + i] ** 2;
    const inv = 1 / Math.sqrt(ss / d + eps);
    for (let i = 0; i < d; i++) out.data[r * d + i] = x.data[r * d + i] * inv * scale.data[i % scale.data.length];
  }
  return out;
}

/** com.microsoft RotaryEmbedding, non-interleaved, 3-D input [B, S, H·hd]: x·cos + rotate_half(x)·sin. */
export function rotaryEmbedding(x: RefTensor, pos: RefTensor, cos: RefTensor, sin: RefTensor, numHeads: number): RefTensor {
  const [B, S, hidden] = x.shape;
  const hd = hidden / numHeads;
  const half = hd / 2;
  const out = refTensor(x.dtype, [...x.shape]);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < S; s++) {
      const p = pos.data.length === 1 ? pos.data[0] + s : pos.data[b * S + s];
      for (let h = 0; h < numHeads; h++) {
        const base = (b * S + s) * hidden + h * hd;
        for (let i = 0; i < half; i++) {
          const c = cos.data[p * half + i], sn = sin.data[p * half + i];
          const x1 = x.data[base + i], x2 = x.data[base + half + i];
          out.data[base + i] = (x1 * c - x2 * sn);
          out.data[base + half + i] = (x2 * c + x1 * sn);
        }
      }
    }
  }
  return out;
}
