// Indexing op builders: Gather (embedding lookup), GatherElements (pick target log-prob), ScatterElements
// (with reduction "add" for gradients: ONNX ScatterElements-16), OneHot (as Equal + Cast).
import { formatShape } from "../dims.js";
import { type Value, attr } from "../graph.js";
import { type DType, ONNX_DTYPE } from "../types.js";
import { arange, unsqueeze } from "./shape.js";
import { node1, normAxis } from "./util.js";

function checkIndices(op: string, indices: Value): void {
  if (indices.dtype !== "int64" && indices.dtype !== "int32") throw new Error(`${op}: indices must be int64 or int32, got ${indices.dtype}`);
}

/** out = data indexed by `indices` along `axis`: shape data[:axis] + indices.shape + data[axis+1:]. */
export function gather(data: Value, indices: Value, axis = 0): Value {
  checkIndices("gather", indices);
  const a = normAxis("gather", axis, data.rank);
  const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
  return node1(data.graph, "Gather", [data, indices], { axis: attr.int(a) }, data.dtype, shape);
}

/** out[i][j] = data[indices[i][j]][j] (for axis 0; likewise for other axes): shape of `indices`. */
export function gatherElements(data: Value, indices: Value, axis: number): Value {
  checkIndices("gatherElements", indices);
  if (indices.rank !== data.rank) throw new Error(`gatherElements: indices ${formatShape(indices.shape)} must have the rank of data ${formatShape(data.shape)}`);
  const a = normAxis("gatherElements", axis, data.rank);
  return node1(data.graph, "GatherElements", [data, indices], { axis: attr.int(a) }, data.dtype, indices.shape);
}

/**
 * Copy of `data` with `updates` written (reduction "none") or added ("add": duplicates accumulate) at
 * `indices` along `axis`; indices and updates have the same shape.
 */
export function scatterElements(data: Value, indices: Value, updates: Value, axis: number, reduction: "none" | "add" = "none"): Value {
  checkIndices("scatterElements", indices);
  if (updates.dtype !== data.dtype) throw new Error(`scatterElements: updates dtype ${updates.dtype} differs from data dtype ${data.dtype}`);
  const a = normAxis("scatterElements", axis, data.rank);
  return node1(data.graph, "ScatterElements", [data, indices, updates], { axis: attr.int(a), reduction: attr.string(reduction) }, data.dtype, data.shape);
}

/**
 * One-hot encoding along a new last axis: out[..., k] = (indices[...] == k), cast to `dtype`.
 * Lowered to Equal(Unsqueeze(indices, -1), [0..depth)) + Cast, which every onnxruntime build supports.
 */
export function oneHot(indices: Value, depth: number, dtype: DType = "float32"): Value {
  checkIndices("oneHot", indices);
  if (!Number.isInteger(depth) || depth <= 0) throw new Error(`oneHot: depth must be a positive integer, got ${depth}`);
  const g = indices.graph;
  const eq = node1(g, "Equal", [unsqueeze(indices, [-1]), arange(g, depth, indices.dtype)], {}, "bool", [...indices.shape, depth]);
  return dtype === "bool" ? eq : node1(g, "Cast", [eq], { to: attr.int(ONNX_DTYPE[dtype]) }, dtype, eq.shape);
}
