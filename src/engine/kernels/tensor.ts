// Reference-kernel tensors: every element type is held as float64 (int64 values stay exact below 2^53,
// bool is 0/1), so each kernel is written once. Conversions to and from NDArray live here.
import { type DType, type NDArray, allocData, numel } from "../types.js";

export interface RefTensor {
  dtype: DType;
  shape: number[];
  data: Float64Array;
}

export function refTensor(dtype: DType, shape: number[], data?: Float64Array): RefTensor {
  const d = data ?? new Float64Array(numel(shape));
  if (d.length !== numel(shape)) throw new Error(`reference: data length ${d.length} does not match [${shape}]`);
  return { dtype, shape, data: d };
}

export function toRefTensor(nd: NDArray): RefTensor {
  const n = nd.data.length;
  const out = new Float64Array(n);
  const src = nd.data;
  if (src instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = Number(src[i]);
  else out.set(src);
  return { dtype: nd.dtype, shape: [...nd.shape], data: out };
}

/**
 * Converts back to the storage type of `dtype`. Float tensors: "float64" keeps full precision (returned as a
 * float64 array), "float32" rounds (returned as float32 data).
 */
export function fromRefTensor(t: RefTensor, dtype: DType, precision: "float64" | "float32"): NDArray {
  const n = t.data.length;
  if (dtype === "float32" || dtype === "float64") {
    if (precision === "float64") return { dtype: "float64", shape: t.shape, data: Float64Array.from(t.data) };
    return { dtype: "float32", shape: t.shape, data: Float32Array.from(t.data) };
  }
  const out = allocData(dtype, n);
  if (out instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = BigInt(Math.trunc(t.data[i]));
  else if (dtype === "bool") for (let i = 0; i < n; i++) out[i] = t.data[i] !== 0 ? 1 : 0;
  else (out as Int32Array).set(t.data);
  return { dtype, shape: t.shape, data: out };
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

export function normAxis(axis: number, rank: number, what = "axis"): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new Error(`${what} ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Numpy broadcasting of static shapes. */
export function broadcastShapes(...shapes: number[][]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i];
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) throw new Error(`reference: cannot broadcast shapes ${shapes.map((x) => `[${x}]`).join(" and ")}`);
    }
  }
  return out;
}

/** For every flat index of `outShape`, the flat index of the broadcast source element of `inShape`. */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const rank = outShape.length;
  const inStr = stridesOf(inShape);
  const eff = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const j = rank - inShape.length + i;
    eff[j] = inShape[i] === 1 ? 0 : inStr[i];
  }
  return stridedIndex(outShape, eff);
}

/**
 * Walks `outShape` in row-major order and returns, for every flat output index, the source offset Σ idx_j·eff_j
 * (an odometer over the dims): broadcasting uses stride 0 for broadcast dims, transposing permuted strides.
 */
export function stridedIndex(outShape: readonly number[], eff: readonly number[]): Int32Array {
  const rank = outShape.length;
  const map = new Int32Array(numel(outShape));
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < map.length; k++) {
    map[k] = src;
    for (let j = rank - 1; j >= 0; j--) {
      idx[j]++;
      src += eff[j];
      if (idx[j] < outShape[j]) break;
      src -= eff[j] * idx[j];
      idx[j] = 0;
    }
  }
  return map;
}

/**
 * Reduction map: for every flat index of `inShape`, the flat index into the keepdims-shaped output
 * obtained by collapsing `axes` (normalized) to 1.
 */
export function reduceIndex(inShape: readonly number[], axes: readonly number[]): { outShape: number[]; map: Int32Array } {
  const outShape = inShape.map((d, i) => (axes.includes(i) ? 1 : d));
  return { outShape, map: broadcastIndexInverse(inShape, outShape) };
}

function broadcastIndexInverse(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  // same walk as broadcastIndex with the roles swapped: the reduced output is "broadcast" over the input
  return broadcastIndex(outShape, inShape);
}
