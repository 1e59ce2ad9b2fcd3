// VJP rules of matrix products, reductions, normalizations, data movement and indexing.
import { dimSub, isStaticDim } from "../dims.js";
import { type Node, type Value, constNumbers } from "../graph.js";
import { sliceRange } from "../kernels/shape.js";
import { cast, div, equal, exp, mul, sub } from "../ops/elementwise.js";
import { oneHot, scatterElements } from "../ops/indexing.js";
import { matmul, reduceSum } from "../ops/reduce.js";
import { concat, expand, full, pad, reshapeTo, slice, split, squeeze, transpose, unsqueeze, zerosLike } from "../ops/shape.js";
import { SLICE_END, dimTensor, productDims } from "../ops/util.js";
import { type VjpRule, input, unbroadcast } from "./common.js";

function intAttr(n: Node, name: string, dflt: number): number {
  const a = n.attrs[name];
  return a && a.kind === "int" ? a.value : dflt;
}

/** Normalized reduction axes of a Reduce* node (input in ReduceSum-13, attribute otherwise); empty = all. */
function reduceAxes(n: Node): number[] {
  const x = input(n, 0);
  const ax = n.inputs[1] ? constNumbers(n.inputs[1]) : n.attrs.axes?.kind === "ints" ? n.attrs.axes.value : [];
  return (ax.length ? ax : x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a)).sort((p, q) => p - q);
}

/** The output gradient with the reduced axes kept (as size 1). */
function keptGrad(n: Node, dy: Value, axes: number[]): Value {
  return intAttr(n, "keepdims", 1) ? dy : unsqueeze(dy, axes);
}

export const structuralRules: Record<string, VjpRule> = {
  // Y = op(A)·op(B): dop(A) = dY·op(B)ᵀ, dop(B) = op(A)ᵀ·dY, written with trans flags (no explicit transposes)
  MatMul: (n, [dy], needs) => {
    const a = input(n, 0);
    const b = input(n, 1);
    const tA = intAttr(n, "transA", 0) !== 0;
    const tB = intAttr(n, "transB", 0) !== 0;
    let da = null;
    let db = null;
    if (needs[0]) {
      da = tA ? matmul(b, dy!, { transA: tB, transB: true }) : matmul(dy!, b, { transB: !tB });
      da = unbroadcast(da, a);
    }
    if (needs[1]) {
      if (b.rank === 2 && a.rank > 2 && !tA) {
        // weight gradient: fold the batch dims into rows, one 2-D product (docs/engine.md, "MatMul")
        const a2 = reshapeTo(a, [productDims(a.shape.slice(0, -1)), a.shape[a.rank - 1]]);
        const d2 = reshapeTo(dy!, [productDims(dy!.shape.slice(0, -1)), dy!.shape[dy!.rank - 1]]);
        db = tB ? matmul(d2, a2, { transA: true }) : matmul(a2, d2, { transA: true });
      } else {
        db = tB ? matmul(dy!, a, { transA: true, transB: tA }) : matmul(a, dy!, { transA: !tA });
        db = unbroadcast(db, b);
      }
    }
    return [da, db];
  },
  ReduceSum: (n, [dy]) => {
    const x = input(n, 0);
    return [expand(keptGrad(n, dy!, reduceAxes(n)), x.shape), null];
  },
  // mean: the sum's gradient divided by the number of reduced elements
  ReduceMean: (n, [dy]) => {
    const x = input(n, 0);
    const axes = reduceAxes(n);
    const count = productDims(axes.map((a) => x.shape[a]));
    const g = keptGrad(n, dy!, axes);
    const scaled = isStaticDim(count) ? mul(g, 1 / count) : div(g, cast(dimTensor(x.graph, [count]), x.dtype));
    return [expand(scaled, x.shape)];
  },
  // max: the gradient is shared equally by the maximal elements
  ReduceMax: (n, [dy]) => {
    const x = input(n, 0);
    const axes = reduceAxes(n);
    const mask = cast(equal(x, keptGrad(n, n.outputs[0], axes)), x.dtype);
    return [mul(mask, div(keptGrad(n, dy!, axes), reduceSum(mask, axes, true)))];
  },
  // y = softmax(x): dx = y ⊙ (dy − Σ dy ⊙ y)
  Softmax: (n, [dy]) => {
    const y = n.outputs[0];
    const axis = intAttr(n, "axis", -1);
    return [mul(y, sub(dy!, reduceSum(mul(dy!, y), [axis], true)))];
  },
  // y = logsoftmax(x): dx = dy − exp(y) ⊙ Σ dy
  LogSoftmax: (n, [dy]) => {
    const y = n.outputs[0];
    return [sub(dy!, mul(exp(y), reduceSum(dy!, [intAttr(n, "axis", -1)], true)))];
  },
  Transpose: (n, [dy]) => {
    const perm = (n.attrs.perm as { value: number[] }).value;
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => { inv[p] = i; });
    return [transpose(dy!, inv)];
  },
  Reshape: (n, [dy]) => [reshapeTo(dy!, input(n, 0).shape), null],
  Unsqueeze: (n, [dy]) => [squeeze(dy!, constNumbers(input(n, 1)).map((a) => (a < 0 ? a + dy!.rank : a))), null],
  Squeeze: (n, [dy]) => {
    const x = input(n, 0);
    const axes = n.inputs[1] ? constNumbers(n.inputs[1]) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    return [unsqueeze(dy!, axes.map((a) => (a < 0 ? a + x.rank : a))), null];
  },
  Concat: (n, [dy]) => {
    const axis = intAttr(n, "axis", 0);
    return split(dy!, n.inputs.map((x) => x!.shape[axis]), axis);
  },
  Split: (n, dys) => {
    const axis = intAttr(n, "axis", 0);
    return [concat(n.outputs.map((o, i) => dys[i] ?? zerosLike(o)), axis), null];
  },
  Slice: (n, [dy]) => [sliceGrad(n, dy!), null, null, null, null],
  // constant pad: the gradient is the un-padded window (static pads)
  Pad: (n, [dy]) => {
    const x = input(n, 0);
    const pads = constNumbers(input(n, 1));
    const r = x.rank;
    const axes = [...Array(r).keys()];
    return [slice(dy!, axes.map((a) => pads[a]), axes.map((a) => (pads[a + r] > 0 ? -pads[a + r] : SLICE_END)), axes), null, null];
  },
  Expand: (n, [dy]) => [unbroadcast(dy!, input(n, 0)), null],
  Gather: (n, [dy]) => [gatherGrad(n, dy!), null],
  // scatter-add the picked gradients back (duplicates accumulate: ScatterElements-16 reduction "add")
  GatherElements: (n, [dy]) => {
    const data = input(n, 0);
    return [scatterElements(zerosLike(data), input(n, 1), dy!, intAttr(n, "axis", 0), "add"), null];
  },
};

/** Slice gradient: zero-pad dy back to the input's extent (step 1), or scatter it (other steps, static dim). */
function sliceGrad(n: Node, dy: Value): Value {
  const x = input(n, 0);
  const starts = constNumbers(input(n, 1));
  const ends = constNumbers(input(n, 2));
  const axes = n.inputs[3] ? constNumbers(n.inputs[3]).map((a) => (a < 0 ? a + x.rank : a)) : starts.map((_, i) => i);
  const steps = n.inputs[4] ? constNumbers(n.inputs[4]) : starts.map(() => 1);
  let g = dy;
  const pads: (string | number)[] = new Array(2 * x.rank).fill(0);
  axes.forEach((a, i) => {
    const d = x.shape[a];
    const count = dy.shape[a];
    if (steps[i] === 1) {
      const begin = isStaticDim(d) ? sliceRange(d, starts[i], ends[i], 1).start : starts[i] >= 0 ? starts[i] : dimSub(d, -starts[i]);
      pads[a] = begin;
      pads[a + x.rank] = dimSub(dimSub(d, begin), count);
      return;
    }
    if (!isStaticDim(d)) throw new Error(`slice gradient: a step of ${steps[i]} on symbolic dim "${d}" is not supported`);
    // strided slice: scatter the gradient rows to their source positions along this axis
    const { start } = sliceRange(d, starts[i], ends[i], steps[i]);
    const idxShape = g.shape.map((_, j) => (j === a ? count : 1)) as number[];
    const idx = x.graph.constant(Array.from({ length: count as number }, (_, k) => start + k * steps[i]), idxShape, "int64");
    const target = g.shape.map((s, j) => (j === a ? d : s));
    g = scatterElements(full(x.graph, target, 0, x.dtype), expand(idx, g.shape), g, a, "none");
  });
  return pad(g, pads);
}

/**
 * Rows up to which the gradient of an axis-0 Gather (an embedding lookup) is one-hot(ids)ᵀ·dy, one GEMM, instead
 * of a scatter: ScatterElements-add ran at ~15 ms for [4096, 256] rows on the 2-core machine, the GEMM ~1 ms.
 */
const ONE_HOT_MAX_ROWS = 1024;

/**
 * Gather gradient: scatter-add dy rows into zeros of the data's shape (ScatterElements-16 "add"; duplicate
 * indices accumulate). Data [pre, A, post] and dy [pre, I, post] are viewed as [P, A, Q] and [P, n, Q].
 * Small axis-0 tables (vocabularies) use one-hot(ids)ᵀ · dy instead (duplicates accumulate in the sum).
 */
function gatherGrad(n: Node, dy: Value): Value {
  const data = input(n, 0);
  const idx = input(n, 1);
  const axis = intAttr(n, "axis", 0);
  const g = data.graph;
  const pre = productDims(data.shape.slice(0, axis));
  const post = productDims(data.shape.slice(axis + 1));
  const count = productDims(idx.shape);
  const rows = data.shape[0];
  if (axis === 0 && typeof rows === "number" && rows <= ONE_HOT_MAX_ROWS && data.rank === 2) {
    const oh = oneHot(reshapeTo(idx, [count]), rows, data.dtype); // [n, A]
    return matmul(oh, reshapeTo(dy, [count, post]), { transA: true });
  }
  const dy3 = reshapeTo(dy, [pre, count, post]);
  const idx3 = reshapeTo(idx, [1, count, 1]);
  const idxE = expand(idx3, dy3.shape);
  const zeros = full(g, [pre, data.shape[axis], post], 0, data.dtype);
  const scattered = scatterElements(zeros, idxE, dy3, 1, "add");
  return reshapeTo(scattered, data.shape);
}
