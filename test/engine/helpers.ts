// Test helpers: seeded random arrays, finite-difference gradient checks on the float64 reference evaluator,
// and onnxruntime-vs-reference comparisons.
import { expect } from "vitest";
import { type DType, type Dim, Graph, type NDArray, type Value, compile, evaluate, grad, isFloat, numel } from "../../src/engine/index.js";

/** mulberry32: a small seeded PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How an input's random values are drawn. */
export type Fill = "normal" | "positive" | "awayFromZero" | { int: number } | "bool" | number[];

export interface InputDef {
  shape: Dim[];
  dtype?: DType; // default: the case's float dtype
  fill?: Fill;
}

export interface OpCase {
  name: string;
  inputs: InputDef[];
  /** sizes of the symbolic dims used by the inputs */
  dims?: Record<string, number>;
  build: (xs: Value[]) => Value;
}

export function concreteShape(shape: Dim[], dims: Record<string, number> = {}): number[] {
  return shape.map((d) => {
    if (typeof d === "number") return d;
    const v = dims[d];
    if (v === undefined) throw new Error(`test: no size for symbolic dim ${d}`);
    return v;
  });
}

export function randomArray(dtype: DType, shape: number[], fill: Fill, rand: () => number): NDArray {
  const n = numel(shape);
  const vals = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (Array.isArray(fill)) vals[i] = fill[i % fill.length];
    else if (typeof fill === "object") vals[i] = Math.floor(rand() * fill.int);
    else if (fill === "bool") vals[i] = rand() < 0.5 ? 1 : 0;
    else if (fill === "positive") vals[i] = 0.5 + 1.5 * rand();
    else if (fill === "awayFromZero") vals[i] = (rand() < 0.5 ? -1 : 1) * (0.3 + rand());
    else vals[i] = 2 * rand() - 1;
  }
  const data = dtype === "float32" ? Float32Array.from(vals) : dtype === "float64" ? Float64Array.from(vals)
    : dtype === "int64" ? BigInt64Array.from(vals.map(BigInt)) : dtype === "int32" ? Int32Array.from(vals) : Uint8Array.from(vals);
  return { dtype, shape, data };
}

/** y's shape with derived symbolic dims ("T-1", "B*T") replaced by fresh plain names, for declaring dy. */
function plainDims(shape: readonly Dim[]): Dim[] {
  return shape.map((d, i) => (typeof d === "string" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d) ? `D${i}` : d));
}

function declare(g: Graph, c: OpCase, floatType: DType): Value[] {
  return c.inputs.map((d, i) => g.input(`x${i}`, d.dtype ?? floatType, d.shape));
}

export function makeFeeds(c: OpCase, floatType: DType, seed: number): Record<string, NDArray> {
  const rand = rng(seed);
  const feeds: Record<string, NDArray> = {};
  c.inputs.forEach((d, i) => {
    feeds[`x${i}`] = randomArray(d.dtype ?? floatType, concreteShape(d.shape, c.dims), d.fill ?? "normal", rand);
  });
  return feeds;
}

function toF64(a: NDArray): Float64Array {
  return Float64Array.from(a.data as ArrayLike<number | bigint>, Number);
}

/** max |a − b| / max(1e-3, max |b|) */
export function relErr(a: NDArray, b: NDArray): number {
  expect(a.shape).toEqual(b.shape);
  const x = toF64(a);
  const y = toF64(b);
  let num = 0;
  let den = 1e-3;
  for (let i = 0; i < x.length; i++) {
    num = Math.max(num, Math.abs(x[i] - y[i]));
    den = Math.max(den, Math.abs(y[i]));
  }
  return num / den;
}

/**
 * Builds y = build(x), its VJP J^T·dy for every float input (dy a random graph input), and compares with
 * central finite differences of Σ y ⊙ dy on the float64 reference evaluator.
 */
export function checkVjp(c: OpCase, seed = 1, tol = 1e-6): { grads: NDArray[]; fd: NDArray[] } {
  const g = new Graph(c.name);
  const xs = declare(g, c, "float64");
  const y = c.build(xs);
  const dy = g.input("dy", y.dtype, plainDims(y.shape));
  const wrt = xs.filter((x) => isFloat(x.dtype));
  const gs = grad(y, wrt, dy);
  g.output("y", y);
  gs.forEach((d, i) => g.output(`g${i}`, d));
  const feeds = makeFeeds(c, "float64", seed);
  // dy gets the concrete shape of y (from a plain evaluation)
  const gy = new Graph(`${c.name}-fwd`);
  gy.output("y", c.build(declare(gy, c, "float64")));
  const y0 = evaluate(gy, feeds).y;
  feeds.dy = randomArray("float64", y0.shape, "normal", rng(seed + 7));
  const res = evaluate(g, feeds);
  const dyData = feeds.dy.data as Float64Array;
  const f = (fe: Record<string, NDArray>) => {
    const yy = evaluate(gy, fe).y.data as Float64Array;
    let s = 0;
    for (let i = 0; i < yy.length; i++) s += yy[i] * dyData[i];
    return s;
  };
  const eps = 1e-5;
  const grads: NDArray[] = [];
  const fd: NDArray[] = [];
  wrt.forEach((w, k) => {
    const name = w.name;
    const x = feeds[name].data as Float64Array;
    const num = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      x[i] = v + eps;
      const fp = f(feeds);
      x[i] = v - eps;
      const fm = f(feeds);
      x[i] = v;
      num[i] = (fp - fm) / (2 * eps);
    }
    const an = res[`g${k}`];
    const nd: NDArray = { dtype: "float64", shape: feeds[name].shape, data: num };
    grads.push(an);
    fd.push(nd);
    const err = relErr(an, nd);
    if (!(err <= tol)) throw new Error(`${c.name}: gradient of ${name} differs from finite differences (rel err ${err.toExponential(2)})`);
  });
  return { grads, fd };
}

/** Concrete shape of the case's output for these feeds (a forward-only reference evaluation). */
function outputShape(c: OpCase, floatType: DType, feeds: Record<string, NDArray>): number[] {
  const g = new Graph(`${c.name}-shape`);
  g.output("y", c.build(declare(g, c, floatType)));
  return evaluate(g, feeds).y.shape;
}

/**
 * Runs the float32 version of the case (forward and, when `withGrad`, the VJP) on onnxruntime and on the
 * reference evaluator (float64 math), and returns the worst relative error over all outputs.
 */
export async function ortVsReference(c: OpCase, withGrad: boolean, seed = 3): Promise<number> {
  const g = new Graph(`${c.name}-ort`);
  const xs = declare(g, c, "float32");
  const y = c.build(xs);
  g.output("y", y);
  const feeds = makeFeeds(c, "float32", seed);
  if (withGrad) {
    const dy = g.input("dy", y.dtype, plainDims(y.shape));
    grad(y, xs.filter((x) => isFloat(x.dtype)), dy).forEach((d, i) => g.output(`g${i}`, d));
    feeds.dy = randomArray("float32", outputShape(c, "float32", feeds), "normal", rng(seed + 7));
  }
  const run = await compile(g);
  const got = await run.run(feeds);
  const want = evaluate(g, feeds);
  let worst = 0;
  for (const name of Object.keys(want)) {
    expect(got[name].dtype).toBe(g.outputs.find((o) => o.name === name)!.value.dtype);
    worst = Math.max(worst, relErr(got[name], want[name]));
  }
  return worst;
}
