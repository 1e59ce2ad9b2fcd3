// Reference kernels: data movement (Transpose, Reshape, (Un)Squeeze, Concat, Split, Slice, Pad, Expand) and
// shape ops (Shape, ConstantOfShape, Range), with ONNX opset-17 semantics.
import { type DType, numel } from "../types.js";
import { type RefTensor, broadcastIndex, broadcastShapes, normAxis, refTensor, stridedIndex, stridesOf } from "./tensor.js";

export function transpose(x: RefTensor, perm?: number[]): RefTensor {
  const rank = x.shape.length;
  const p = perm ?? x.shape.map((_, i) => rank - 1 - i);
  const outShape = p.map((a) => x.shape[a]);
  const out = refTensor(x.dtype, outShape);
  const inStr = stridesOf(x.shape);
  const map = stridedIndex(outShape, p.map((a) => inStr[a]));
  for (let k = 0; k < out.data.length; k++) out.data[k] = x.data[map[k]];
  return out;
}

/** ONNX Reshape (allowzero = 0): 0 copies the input dim, -1 is inferred. */
export function reshapeDims(inShape: number[], target: number[]): number[] {
  const out = target.map((d, i) => (d === 0 ? inShape[i] : d));
  const known = out.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const inferred = out.indexOf(-1);
  if (inferred >= 0) out[inferred] = known === 0 ? 0 : numel(inShape) / known;
  if (numel(out) !== numel(inShape) || !out.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`Reshape: cannot reshape [${inShape}] to [${target}]`);
  }
  return out;
}

export function reshape(x: RefTensor, shape: number[]): RefTensor {
  return refTensor(x.dtype, shape, x.data);
}

export function unsqueezeDims(inShape: number[], axes: number[]): number[] {
  const rank = inShape.length + axes.length;
  const ax = axes.map((a) => normAxis(a, rank, "Unsqueeze axis"));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(ax.includes(i) ? 1 : inShape[j++]);
  return out;
}

export function squeezeDims(inShape: number[], axes: number[] | undefined): number[] {
  if (!axes) return inShape.filter((d) => d !== 1);
  const ax = axes.map((a) => normAxis(a, inShape.length, "Squeeze axis"));
  for (const a of ax) if (inShape[a] !== 1) throw new Error(`Squeeze: dim ${a} of [${inShape}] is not 1`);
  return inShape.filter((_, i) => !ax.includes(i));
}

export function concat(xs: RefTensor[], axis: number): RefTensor {
  const rank = xs[0].shape.length;
  const a = normAxis(axis, rank, "Concat axis");
  const outShape = [...xs[0].shape];
  outShape[a] = xs.reduce((s, x) => s + x.shape[a], 0);
  const out = refTensor(xs[0].dtype, outShape);
  const outer = numel(outShape.slice(0, a));
  const inner = numel(outShape.slice(a + 1));
  let dst = 0;
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const len = x.shape[a] * inner;
      out.data.set(x.data.subarray(o * len, (o + 1) * len), dst);
      dst += len;
    }
  }
  return out;
}

export function split(x: RefTensor, axis: number, sizes: number[]): RefTensor[] {
  const a = normAxis(axis, x.shape.length, "Split axis");
  let start = 0;
  return sizes.map((s) => {
    const t = sliceAxes(x, [start], [start + s], [a], [1]);
    start += s;
    return t;
  });
}

/** Normalized [start, count] of ONNX Slice on one axis of size `dim`. */
export function sliceRange(dim: number, start: number, end: number, step: number): { start: number; count: number } {
  if (step === 0) throw new Error("Slice: step must not be 0");
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    s = Math.min(Math.max(s, 0), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  const count = Math.max(0, Math.ceil((e - s) / step));
  return { start: s, count };
}

export function sliceAxes(x: RefTensor, starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): RefTensor {
  const rank = x.shape.length;
  const first = new Array<number>(rank).fill(0);
  const step = new Array<number>(rank).fill(1);
  const outShape = [...x.shape];
  starts.forEach((st, i) => {
    const a = normAxis(axes ? axes[i] : i, rank, "Slice axis");
    const k = steps ? steps[i] : 1;
    const r = sliceRange(x.shape[a], st, ends[i], k);
    first[a] = r.start;
    step[a] = k;
    outShape[a] = r.count;
  });
  const out = refTensor(x.dtype, outShape);
  const inStr = stridesOf(x.shape);
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let src = 0;
    for (let j = 0; j < rank; j++) src += (first[j] + idx[j] * step[j]) * inStr[j];
    out.data[k] = x.data[src];
    for (let j = rank - 1; j >= 0; j--) {
      if (++idx[j] < outShape[j]) break;
      idx[j] = 0;
    }
  }
  return out;
}

/** ONNX Pad, mode "constant"; pads = [begin_0 … begin_{r-1}, end_0 … end_{r-1}] (negative pads crop). */
export function pad(x: RefTensor, pads: number[], value: number): RefTensor {
  const rank = x.shape.length;
  const outShape = x.shape.map((d, i) => d + pads[i] + pads[i + rank]);
  const out = refTensor(x.dtype, outShape);
  const inStr = stridesOf(x.shape);
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let src = 0;
    let inside = true;
    for (let j = 0; j < rank; j++) {
      const i = idx[j] - pads[j];
      if (i < 0 || i >= x.shape[j]) { inside = false; break; }
      src += i * inStr[j];
    }
    out.data[k] = inside ? x.data[src] : value;
    for (let j = rank - 1; j >= 0; j--) {
      if (++idx[j] < outShape[j]) break;
      idx[j] = 0;
    }
  }
  return out;
}

export function expand(x: RefTensor, shape: number[]): RefTensor {
  const outShape = broadcastShapes(x.shape, shape);
  const map = broadcastIndex(x.shape, outShape);
  const out = refTensor(x.dtype, outShape);
  for (let i = 0; i < map.length; i++) out.data[i] = x.data[map[i]];
  return out;
}

/** ONNX Shape (opset 15+: start/end select a sub-range of dims). */
export function shapeOp(x: RefTensor, start = 0, end?: number): RefTensor {
  const r = x.shape.length;
  const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const dims = x.shape.slice(clampIdx(start), end === undefined ? r : clampIdx(end));
  return refTensor("int64", [dims.length], Float64Array.from(dims));
}

export function constantOfShape(shape: number[], dtype: DType, value: number): RefTensor {
  const out = refTensor(dtype, shape);
  out.data.fill(value);
  return out;
}

export function range(start: number, limit: number, delta: number, dtype: DType): RefTensor {
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  const out = refTensor(dtype, [n]);
  for (let i = 0; i < n; i++) out.data[i] = start + i * delta;
  return out;
}
