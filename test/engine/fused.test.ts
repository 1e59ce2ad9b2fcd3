// Fused inference ops (onnxruntime's SimplifiedLayerNormalization and com.microsoft RotaryEmbedding): ORT equals
// the reference kernels, and the reference kernels equal the composites they replace (rmsNorm, applyRope).
import { describe, expect, it } from "vitest";
import { Graph, compile, evaluate, rmsNormFused, rotaryFused, type NDArray } from "../../src/engine/index.js";
import { applyRope, rmsNorm } from "../../src/model/llama.js";
import { reshape, transpose } from "../../src/engine/index.js";

const B = 2, S = 3, H = 2, hd = 4, P = 10;
const wave = (n: number, a: number, b: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * a + b));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe("fused inference ops", () => {
  const positions = BigInt64Array.from([0n, 1n, 2n, 5n, 6n, 7n]);
  const angles = (p: number, i: number) => p * Math.pow(10, -i);
  const cosT = new Float32Array(P * hd / 2), sinT = new Float32Array(P * hd / 2);
  for (let p = 0; p < P; p++) for (let i = 0; i < hd / 2; i++) { cosT[p * hd / 2 + i] = Math.cos(angles(p, i)); sinT[p * hd / 2 + i] = Math.sin(angles(p, i)); }
  const feeds: Record<string, NDArray> = {
    x: { dtype: "float32", shape: [B, S, H * hd], data: wave(B * S * H * hd, 1.7, 0.3) },
    pos: { dtype: "int64", shape: [B, S], data: positions },
    c: { dtype: "float32", shape: [P, hd / 2], data: cosT },
    s: { dtype: "float32", shape: [P, hd / 2], data: sinT },
    w: { dtype: "float32", shape: [H * hd], data: wave(H * hd, 0.9, 1) },
  };

  function build() {
    const g = new Graph("fused");
    const x = g.input("x", "float32", [B, S, H * hd]);
    const pos = g.input("pos", "int64", [B, S]);
    const c = g.input("c", "float32", [P, hd / 2]);
    const s = g.input("s", "float32", [P, hd / 2]);
    const w = g.input("w", "float32", [H * hd]);
    g.output("rope", rotaryFused(x, pos, c, s, H));
    g.output("norm", rmsNormFused(x, w, 1e-5));
    g.output("normRef", rmsNorm(x, w, 1e-5));
    // the composite RoPE over heads [B, H, S, hd] with per-position tables [B, 1, S, hd] (signed sin)
    const heads = transpose(reshape(x, [0, 0, H, hd]), [0, 2, 1, 3]);
    const cosFull = g.input("cosFull", "float32", [B, 1, S, hd]);
    const sinFull = g.input("sinFull", "float32", [B, 1, S, hd]);
    g.output("ropeRef", reshape(transpose(applyRope(heads, cosFull, sinFull, hd), [0, 2, 1, 3]), [0, 0, H * hd]));
    return g;
  }
  const cosFull = new Float32Array(B * S * hd), sinFull = new Float32Array(B * S * hd);
  for (let b = 0; b < B; b++) for (let s = 0; s < S; s++) {
    const p = Number(positions[b * S + s]);
    for (let i = 0; i < hd / 2; i++) {
      const o = (b * S + s) * hd;
      cosFull[o + i] = cosFull[o + hd / 2 + i] = Math.cos(angles(p, i));
      sinFull[o + i] = -Math.sin(angles(p, i));
      sinFull[o + hd / 2 + i] = Math.sin(angles(p, i));
    }
  }
  feeds.cosFull = { dtype: "float32", shape: [B, 1, S, hd], data: cosFull };
  feeds.sinFull = { dtype: "float32", shape: [B, 1, S, hd], data: sinFull };

  it("reference kernels equal the composites", () => {
    const r = evaluate(build(), feeds);
    expect(maxDiff(r.norm.data as Float64Array, r.normRef.data as Float64Array)).toBeLessThan(1e-6);
    expect(maxDiff(r.rope.data as Float64Array, r.ropeRef.data as Float64Array)).toBeLessThan(1e-6);
  });

  it("onnxruntime equals the reference kernels", async () => {
    const g = build();
    const o = await (await compile(g)).run(feeds);
    const r = evaluate(g, feeds);
    for (const k of ["rope", "norm"]) expect(maxDiff(o[k].data as Float32Array, r[k].data as Float64Array), k).toBeLessThan(1e-5);
  });
});
