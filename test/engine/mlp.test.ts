// (c) composite: a 2-layer MLP with a logSoftmax cross-entropy loss; gradients from autodiff run on
// onnxruntime (float32) equal central finite differences of the float64 reference evaluator.
import { describe, expect, it } from "vitest";
import {
  type DType, Graph, type NDArray, type Value, add, compile, evaluate, gatherElements, grad, logSoftmax, matmul, mul, neg, reduceMean,
  relu, squeeze, stopGradient, tanh, unsqueeze,
} from "../../src/engine/index.js";
import { randomArray, relErr, rng } from "./helpers.js";

const IN = 5, HID = 7, CLASSES = 4, BATCH = 6;

function buildMlp(dtype: DType): { g: Graph; params: Value[] } {
  const g = new Graph(`mlp-${dtype}`);
  const x = g.input("x", dtype, ["B", IN]);
  const t = g.input("t", "int64", ["B"]);
  const w1 = g.input("w1", dtype, [IN, HID]);
  const b1 = g.input("b1", dtype, [HID]);
  const w2 = g.input("w2", dtype, [CLASSES, HID]); // [out, in] layout, multiplied by the transpose
  const b2 = g.input("b2", dtype, [CLASSES]);
  const h = tanh(relu(add(matmul(x, w1), b1)));
  const logits = add(matmul(h, w2, { transB: true }), b2);
  // cross entropy: −mean_b log softmax(logits)[b, t_b]
  const picked = squeeze(gatherElements(logSoftmax(logits), unsqueeze(t, [1]), 1), [1]);
  const loss = neg(reduceMean(picked, [0], false));
  g.output("loss", loss);
  return { g, params: [w1, b1, w2, b2] };
}

function feedsFor(dtype: DType, batch: number, seed: number): Record<string, NDArray> {
  const r = rng(seed);
  return {
    x: randomArray(dtype, [batch, IN], "normal", r),
    t: randomArray("int64", [batch], { int: CLASSES }, r),
    w1: randomArray(dtype, [IN, HID], "normal", r),
    b1: randomArray(dtype, [HID], "normal", r),
    w2: randomArray(dtype, [CLASSES, HID], "normal", r),
    b2: randomArray(dtype, [CLASSES], "normal", r),
  };
}

describe("2-layer MLP + cross-entropy", () => {
  it("autodiff gradients on onnxruntime match finite differences of the reference", async () => {
    const { g, params } = buildMlp("float32");
    grad(g.outputs[0].value, params).forEach((d, i) => g.output(`d_${params[i].name}`, d));
    const feeds32 = feedsFor("float32", BATCH, 11);
    const run = await compile(g);
    const got = await run.run(feeds32);
    // the same session with another batch size (dynamic "B") agrees with the reference evaluator
    const small = feedsFor("float32", 3, 12);
    const gotSmall = await run.run(small);
    const refSmall = evaluate(g, small);
    for (const name of run.outputNames) expect(relErr(gotSmall[name], refSmall[name]), name).toBeLessThan(1e-5);

    const ref = buildMlp("float64").g;
    const feeds64 = feedsFor("float64", BATCH, 11);
    const loss = (f: Record<string, NDArray>) => (evaluate(ref, f).loss.data as Float64Array)[0];
    expect(Math.abs((got.loss.data as Float32Array)[0] - loss(feeds64))).toBeLessThan(1e-5);
    const eps = 1e-6;
    for (const p of params) {
      const x = feeds64[p.name].data as Float64Array;
      const fd = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        x[i] = v + eps; const lp = loss(feeds64);
        x[i] = v - eps; const lm = loss(feeds64);
        x[i] = v;
        fd[i] = (lp - lm) / (2 * eps);
      }
      const err = relErr(got[`d_${p.name}`], { dtype: "float64", shape: feeds64[p.name].shape, data: fd });
      expect(err, p.name).toBeLessThan(1e-4);
    }
  });

  it("stopGradient blocks the gradient: d(sg(x)·x)/dx = sg(x)", () => {
    const g = new Graph("sg");
    const x = g.input("x", "float64", [3]);
    const [dx] = grad(reduceMean(mul(stopGradient(x), x), [], false), [x]);
    g.output("dx", dx);
    const out = evaluate(g, { x: { dtype: "float64", shape: [3], data: Float64Array.from([1, -2, 4]) } });
    expect(Array.from(out.dx.data as Float64Array)).toEqual([1 / 3, -2 / 3, 4 / 3]);
  });

  it("unreachable wrt gets zeros of its shape", async () => {
    const g = new Graph("unreach");
    const x = g.input("x", "float32", ["B", 2]);
    const w = g.input("w", "float32", [2, 3]);
    const [dw] = grad(reduceMean(x, [], false), [w]);
    g.output("dw", dw);
    const feeds = { x: randomArray("float32", [4, 2], "normal", rng(1)), w: randomArray("float32", [2, 3], "normal", rng(2)) };
    const out = await (await compile(g)).run(feeds);
    expect(out.dw.shape).toEqual([2, 3]);
    expect(Array.from(out.dw.data as Float32Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
