// Data-movement op builders: Transpose, Reshape, (Un)Squeeze, Concat, Split, Slice, Pad, Expand, Shape,
// ConstantOfShape, Range. Static shapes become constant int64 inputs; symbolic ones are built at run time
// from the Shape of a value that carries the symbol (see util.dimTensor).
import { dimAdd, dimDiv, dimEquals, dimSub, formatShape, freshSymbol, isStaticDim } from "../dims.js";
import { type Graph, type Value, attr } from "../graph.js";
import { sliceRange } from "../kernels/shape.js";
import { type DType, type Dim, ONNX_DTYPE, numel, toTypedData } from "../types.js";
import { SLICE_END, broadcastDims, constInts, dimTensor, node1, normAxes, normAxis, productDims, shapesEqual, sumDims } from "./util.js";

export function transpose(x: Value, perm: number[]): Value {
  const p = normAxes("transpose", perm, x.rank);
  if (p.length !== x.rank) throw new Error(`transpose: perm [${perm}] must list all ${x.rank} axes of ${x.name}`);
  if (p.every((a, i) => a === i)) return x;
  const inner = x.producer?.op === "Transpose" ? x.producer : null;
  if (inner) {
    // Transpose(Transpose(y, q), p) = Transpose(y, q∘p)
    const q = (inner.attrs.perm as { value: number[] }).value;
    return transpose(inner.inputs[0]!, p.map((a) => q[a]));
  }
  return node1(x.graph, "Transpose", [x], { perm: attr.ints(p) }, x.dtype, p.map((a) => x.shape[a]));
}

/** Output dims of ONNX Reshape (0 copies the input dim, -1 is inferred). */
function reshapeDims(x: Value, shape: readonly number[]): { dims: Dim[]; fresh: boolean } {
  let fresh = false;
  const dims: Dim[] = shape.map((d, i) => {
    if (d === 0) {
      if (i >= x.rank) throw new Error(`reshape: 0 at index ${i} but ${x.name} has rank ${x.rank}`);
      return x.shape[i];
    }
    if (d < -1 || !Number.isInteger(d)) throw new Error(`reshape: invalid target dim ${d} (expected ≥ 0 or -1)`);
    return d;
  });
  const inferred = shape.indexOf(-1);
  if (shape.lastIndexOf(-1) !== inferred) throw new Error("reshape: at most one -1 is allowed");
  const total = productDims(x.shape);
  if (inferred >= 0) {
    const known = productDims(dims.filter((_, i) => i !== inferred));
    const q = dimDiv(total, known);
    if (q === undefined) {
      if (isStaticDim(total) && isStaticDim(known)) throw new Error(`reshape: cannot reshape ${x.name} ${formatShape(x.shape)} to [${shape}]`);
      fresh = true;
    }
    dims[inferred] = q ?? freshSymbol();
  } else if (isStaticDim(total) && dims.every(isStaticDim) && numel(dims as number[]) !== total) {
    throw new Error(`reshape: cannot reshape ${x.name} ${formatShape(x.shape)} to [${shape}]`);
  }
  return { dims, fresh };
}

/** ONNX Reshape semantics: 0 copies the input dim, -1 is inferred. */
export function reshape(x: Value, shape: number[]): Value {
  const { dims, fresh } = reshapeDims(x, shape);
  if (fresh) return node1(x.graph, "Reshape", [x, constInts(x.graph, shape)], {}, x.dtype, dims);
  return reshapeTo(x, dims);
}

/** Reshape to known (possibly symbolic) dims, encoding the target with 0/-1 so that no run-time Shape is needed where possible. */
export function reshapeTo(x: Value, dims: readonly Dim[]): Value {
  if (shapesEqual(x.shape, dims)) return x;
  const base = x.producer?.op === "Reshape" ? x.producer.inputs[0]! : x;
  if (shapesEqual(base.shape, dims)) return base;
  const g = x.graph;
  const code: number[] = [];
  const unknown: number[] = [];
  const hasZero = dims.some((d) => d === 0);
  dims.forEach((d, i) => {
    if (isStaticDim(d)) code.push(d);
    else if (!hasZero && i < base.rank && dimEquals(base.shape[i], d)) code.push(0);
    else { code.push(-1); unknown.push(i); }
  });
  let shapeInput: Value;
  if (unknown.length <= 1 && !(hasZero && unknown.length === 1)) shapeInput = constInts(g, code);
  else shapeInput = dimTensor(g, dims);
  return node1(g, "Reshape", [base, shapeInput], hasZero ? { allowzero: attr.int(1) } : {}, x.dtype, dims);
}

export function unsqueeze(x: Value, axes: number[]): Value {
  if (axes.length === 0) return x;
  const rank = x.rank + axes.length;
  const ax = normAxes("unsqueeze", axes, rank);
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(ax.includes(i) ? 1 : x.shape[j++]);
  return node1(x.graph, "Unsqueeze", [x, constInts(x.graph, ax)], {}, x.dtype, out);
}

export function squeeze(x: Value, axes: number[]): Value {
  if (axes.length === 0) return x;
  const ax = normAxes("squeeze", axes, x.rank);
  for (const a of ax) {
    if (x.shape[a] !== 1) throw new Error(`squeeze: axis ${a} of ${x.name} ${formatShape(x.shape)} is not 1`);
  }
  return node1(x.graph, "Squeeze", [x, constInts(x.graph, ax)], {}, x.dtype, x.shape.filter((_, i) => !ax.includes(i)));
}

export function concat(xs: Value[], axis: number): Value {
  if (xs.length === 0) throw new Error("concat: needs at least one input");
  if (xs.length === 1) return xs[0];
  const x0 = xs[0];
  const a = normAxis("concat", axis, x0.rank);
  for (const x of xs) {
    if (x.graph !== x0.graph) throw new Error("concat: inputs belong to different graphs");
    if (x.dtype !== x0.dtype || x.rank !== x0.rank) throw new Error(`concat: ${x.name} is ${x.dtype}${formatShape(x.shape)}, expected ${x0.dtype} of rank ${x0.rank}`);
  }
  const others = broadcastDims("concat", ...xs.map((x) => x.shape.map((d, i) => (i === a ? 1 : d))));
  const shape = others.map((d, i) => (i === a ? sumDims(xs.map((x) => x.shape[a])) : d));
  return node1(x0.graph, "Concat", xs, { axis: attr.int(a) }, x0.dtype, shape);
}

/** ONNX Split into pieces of the given (possibly symbolic) sizes along `axis`. */
export function split(x: Value, sizes: readonly Dim[], axis: number): Value[] {
  const a = normAxis("split", axis, x.rank);
  const g = x.graph;
  const outs = sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === a ? s : d)) }));
  return g.addNode("Split", [x, dimTensor(g, sizes)], { axis: attr.int(a) }, outs);
}

/** Output size of a slice on a symbolic dim (step 1), assuming the bounds lie inside the dim. */
function symbolicSliceDim(d: Dim, start: number, end: number, step: number): Dim {
  if (step !== 1) return freshSymbol();
  const begin: Dim = start >= 0 ? start : dimSub(d, -start);
  const stop: Dim = end >= SLICE_END / 2 ? d : end < 0 ? dimSub(d, -end) : end;
  const n = dimSub(stop, begin);
  return isStaticDim(n) ? Math.max(0, n) : n;
}

export function slice(x: Value, starts: number[], ends: number[], axes?: number[], steps?: number[]): Value {
  const ax = normAxes("slice", axes ?? starts.map((_, i) => i), x.rank);
  if (starts.length !== ax.length || ends.length !== ax.length || (steps && steps.length !== ax.length)) {
    throw new Error("slice: starts, ends, axes and steps must have the same length");
  }
  const st = steps ?? ax.map(() => 1);
  if (st.some((s) => s === 0 || !Number.isInteger(s))) throw new Error("slice: steps must be non-zero integers");
  const clampEnd = (e: number) => (e === Infinity ? SLICE_END : e === -Infinity ? -SLICE_END : e);
  const en = ends.map(clampEnd);
  const shape = [...x.shape];
  ax.forEach((a, i) => {
    const d = x.shape[a];
    shape[a] = isStaticDim(d) ? sliceRange(d, starts[i], en[i], st[i]).count : symbolicSliceDim(d, starts[i], en[i], st[i]);
  });
  if (shapesEqual(shape, x.shape) && st.every((s) => s === 1) && ax.every((a) => isStaticDim(x.shape[a]))) return x;
  const g = x.graph;
  const inputs = [x, constInts(g, starts), constInts(g, en), constInts(g, ax)];
  if (steps) inputs.push(constInts(g, st));
  return node1(g, "Slice", inputs, {}, x.dtype, shape);
}

/** ONNX Pad (constant mode); pads = [begin_0 … begin_{r-1}, end_0 … end_{r-1}], possibly symbolic. */
export function pad(x: Value, pads: readonly Dim[], value = 0): Value {
  if (pads.length !== 2 * x.rank) throw new Error(`pad: expected ${2 * x.rank} pads for rank ${x.rank}, got ${pads.length}`);
  if (pads.every((p) => p === 0)) return x;
  const g = x.graph;
  const shape = x.shape.map((d, i) => dimAdd(dimAdd(d, pads[i]), pads[i + x.rank]));
  return node1(g, "Pad", [x, dimTensor(g, pads), g.scalar(value, x.dtype)], {}, x.dtype, shape);
}

/** Broadcast x to `shape` (bidirectional, as ONNX Expand); symbolic dims are resolved at run time. */
export function expand(x: Value, shape: readonly Dim[]): Value {
  const out = broadcastDims("expand", x.shape, shape);
  if (shapesEqual(out, x.shape)) return x;
  // where x already has the target dim, a 1 in the shape input keeps it (no run-time Shape needed)
  const off = shape.length - x.rank;
  const code = shape.map((d, i) => (i >= off && dimEquals(x.shape[i - off], d) ? 1 : d));
  return node1(x.graph, "Expand", [x, dimTensor(x.graph, code)], {}, x.dtype, out);
}

/** ONNX Shape: int64 1-D; a constant when the shape is static. */
export function shapeOf(x: Value): Value {
  const s = x.staticShape;
  if (s) return constInts(x.graph, s);
  const key = `shape:${x.id}`;
  const hit = x.graph.memo.get(key);
  if (hit) return hit;
  const v = node1(x.graph, "Shape", [x], {}, "int64", [x.rank]);
  x.graph.memo.set(key, v);
  return v;
}

/** A tensor of the given (possibly symbolic) shape filled with `value`. */
export function full(g: Graph, shape: readonly Dim[], value: number, dtype: DType = "float32"): Value {
  if (shape.every(isStaticDim) && numel(shape as number[]) <= 1) return g.constant(new Array(numel(shape as number[])).fill(value), shape as number[], dtype);
  const t = { dtype, shape: [1], data: toTypedData([value], dtype) };
  return node1(g, "ConstantOfShape", [dimTensor(g, shape)], { value: attr.tensor(t) }, dtype, shape);
}

export function zerosLike(x: Value): Value {
  return full(x.graph, x.shape, 0, x.dtype);
}

/** [0, 1, …, n−1] for a possibly symbolic n. */
export function arange(g: Graph, n: Dim, dtype: DType = "int64"): Value {
  if (isStaticDim(n)) return g.constant(Array.from({ length: n }, (_, i) => i), [n], dtype);
  let limit = squeeze(dimTensor(g, [n]), [0]);
  if (dtype !== "int64") limit = node1(g, "Cast", [limit], { to: attr.int(ONNX_DTYPE[dtype]) }, dtype, []);
  return node1(g, "Range", [g.scalar(0, dtype), limit, g.scalar(1, dtype)], {}, dtype, [n]);
}
