// Composite: embedding → RMSNorm → 2-head causal self-attention → SiLU residual → head → cross-entropy, with
// symbolic batch and sequence dims; onnxruntime gradients (float32) vs finite differences (float64 reference).
import { describe, expect, it } from "vitest";
import {
  type DType, Graph, type NDArray, type Value, add, arange, compile, evaluate, gather, gatherElements, grad, less, logSoftmax, matmul,
  mul, neg, pow, reduceMean, reshape, sigmoid, softmax, squeeze, transpose, unsqueeze, where,
} from "../../src/engine/index.js";
import { randomArray, relErr, rng } from "./helpers.js";

const V = 7, D = 8, H = 2, HD = D / H;

function build(dtype: DType): { g: Graph; params: Value[] } {
  const g = new Graph(`attn-${dtype}`);
  const ids = g.input("ids", "int64", ["B", "T"]);
  const tg = g.input("tg", "int64", ["B", "T"]);
  const emb = g.input("emb", dtype, [V, D]);
  const wqkv = g.input("wqkv", dtype, [3 * D, D]);
  const norm = g.input("norm", dtype, [D]);
  const head = g.input("head", dtype, [V, D]);
  const h = gather(emb, ids);
  const x = mul(mul(h, pow(add(reduceMean(mul(h, h), [-1]), 1e-5), -0.5)), norm);
  const qkv = reshape(matmul(x, wqkv, { transB: true }), [0, 0, 3, H, HD]);
  const part = (i: number) => transpose(squeeze(pick(qkv, i), [2]), [0, 2, 1, 3]);
  const [q, k, v] = [part(0), part(1), part(2)];
  // causal mask from positions: key position > query position → −1e9
  const pos = arange(g, "T");
  const future = less(unsqueeze(pos, [1]), unsqueeze(pos, [0]));
  const scores = where(future, -1e9, mul(matmul(q, k, { transB: true }), 1 / Math.sqrt(HD)));
  const o = reshape(transpose(matmul(softmax(scores), v), [0, 2, 1, 3]), [0, 0, D]);
  const hh = add(h, mul(o, sigmoid(o)));
  const logits = matmul(hh, head, { transB: true });
  const lp = squeeze(gatherElements(logSoftmax(logits), unsqueeze(tg, [-1]), -1), [-1]);
  g.output("loss", neg(reduceMean(lp, [], false)));
  return { g, params: [emb, wqkv, norm, head] };
}

/** qkv[:, :, i:i+1] via a Gather with a constant index kept rank (exercises Gather's VJP on axis 2). */
function pick(qkv: Value, i: number): Value {
  return gather(qkv, qkv.graph.constant([i], [1], "int64"), 2);
}

function feeds(dtype: DType, B: number, T: number, seed: number): Record<string, NDArray> {
  const r = rng(seed);
  return {
    ids: randomArray("int64", [B, T], { int: V }, r),
    tg: randomArray("int64", [B, T], { int: V }, r),
    emb: randomArray(dtype, [V, D], "normal", r),
    wqkv: randomArray(dtype, [3 * D, D], "normal", r),
    norm: randomArray(dtype, [D], "positive", r),
    head: randomArray(dtype, [V, D], "normal", r),
  };
}

describe("attention block composite", () => {
  it("gradients on onnxruntime match finite differences, for two sequence shapes", async () => {
    const { g, params } = build("float32");
    grad(g.outputs[0].value, params).forEach((d, i) => g.output(`d_${params[i].name}`, d));
    const run = await compile(g);
    const ref = build("float64").g;
    for (const [B, T, seed] of [[2, 3, 5], [1, 5, 6]]) {
      const got = await run.run(feeds("float32", B, T, seed));
      const f64 = feeds("float64", B, T, seed);
      const loss = (f: Record<string, NDArray>) => (evaluate(ref, f).loss.data as Float64Array)[0];
      expect(Math.abs((got.loss.data as Float32Array)[0] - loss(f64))).toBeLessThan(1e-5);
      const eps = 1e-6;
      for (const p of params) {
        const x = f64[p.name].data as Float64Array;
        const fd = new Float64Array(x.length);
        for (let i = 0; i < x.length; i++) {
          const v0 = x[i];
          x[i] = v0 + eps; const lp = loss(f64);
          x[i] = v0 - eps; const lm = loss(f64);
          x[i] = v0;
          fd[i] = (lp - lm) / (2 * eps);
        }
        expect(relErr(got[`d_${p.name}`], { dtype: "float64", shape: f64[p.name].shape, data: fd }), `${p.name} B=${B} T=${T}`).toBeLessThan(1e-4);
      }
    }
  });
});
