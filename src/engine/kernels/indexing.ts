// Reference kernels: Gather, GatherElements, ScatterElements (reduction none/add), OneHot.
import type { DType } from "../types.js";
import { numel } from "../types.js";
import { type RefTensor, normAxis, refTensor, stridesOf } from "./tensor.js";

function checkIndex(i: number, dim: number, op: string): number {
  const j = i < 0 ? i + dim : i;
  if (!Number.isInteger(j) || j < 0 || j >= dim) throw new Error(`${op}: index ${i} is out of range for dim ${dim}`);
  return j;
}

export function gather(data: RefTensor, indices: RefTensor, axis: number): RefTensor {
  const a = normAxis(axis, data.shape.length, "Gather axis");
  const outer = numel(data.shape.slice(0, a));
  const dim = data.shape[a];
  const inner = numel(data.shape.slice(a + 1));
  const nIdx = indices.data.length;
  const out = refTensor(data.dtype, [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)]);
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < nIdx; t++) {
      const k = checkIndex(indices.data[t], dim, "Gather");
      out.data.set(data.data.subarray((o * dim + k) * inner, (o * dim + k + 1) * inner), (o * nIdx + t) * inner);
    }
  }
  return out;
}

/** Flat position in `shape` of `idxShape`'s element k, with the coordinate on `axis` replaced by `at`. */
function elementwiseWalk(idxShape: number[], shape: number[], axis: number, visit: (k: number, base: number, stride: number) => void) {
  const str = stridesOf(shape);
  const rank = idxShape.length;
  const idx = new Array<number>(rank).fill(0);
  const n = numel(idxShape);
  for (let k = 0; k < n; k++) {
    let base = 0;
    for (let j = 0; j < rank; j++) if (j !== axis) base += idx[j] * str[j];
    visit(k, base, str[axis]);
    for (let j = rank - 1; j >= 0; j--) {
      if (++idx[j] < idxShape[j]) break;
      idx[j] = 0;
    }
  }
}

export function gatherElements(data: RefTensor, indices: RefTensor, axis: number): RefTensor {
  const a = normAxis(axis, data.shape.length, "GatherElements axis");
  const out = refTensor(data.dtype, [...indices.shape]);
  elementwiseWalk(indices.shape, data.shape, a, (k, base, stride) => {
    out.data[k] = data.data[base + checkIndex(indices.data[k], data.shape[a], "GatherElements") * stride];
  });
  return out;
}

export function scatterElements(data: RefTensor, indices: RefTensor, updates: RefTensor, axis: number, reduction: string): RefTensor {
  const a = normAxis(axis, data.shape.length, "ScatterElements axis");
  const out = refTensor(data.dtype, [...data.shape], Float64Array.from(data.data));
  elementwiseWalk(indices.shape, data.shape, a, (k, base, stride) => {
    const p = base + checkIndex(indices.data[k], data.shape[a], "ScatterElements") * stride;
    if (reduction === "add") out.data[p] += updates.data[k];
    else if (reduction === "none") out.data[p] = updates.data[k];
    else throw new Error(`ScatterElements: reduction "${reduction}" is not supported by the reference evaluator`);
  });
  return out;
}

/** ONNX OneHot: out[..., k, ...] = values[1] if k == index (negative indices count from depth) else values[0]. */
export function oneHot(indices: RefTensor, depth: number, values: RefTensor, axis: number, dtype: DType): RefTensor {
  const rank = indices.shape.length + 1;
  const a = normAxis(axis, rank, "OneHot axis");
  const outShape = [...indices.shape.slice(0, a), depth, ...indices.shape.slice(a)];
  const out = refTensor(dtype, outShape);
  const [off, on] = [values.data[0], values.data[1]];
  out.data.fill(off);
  const outer = numel(indices.shape.slice(0, a));
  const inner = numel(indices.shape.slice(a));
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      let k = indices.data[o * inner + q];
      if (k < 0) k += depth;
      if (k >= 0 && k < depth) out.data[(o * depth + k) * inner + q] = on;
    }
  }
  return out;
}
