// Reduction, normalization and matrix-product op builders. Opset 17: ReduceSum takes axes as an int64 input,
// ReduceMean/ReduceMax/ReduceMin/ReduceProd as an attribute (onnx/docs/Changelog.md, ReduceSum-13, ReduceMean-13).
import { formatShape } from "../dims.js";
import { type Value, attr } from "../graph.js";
import { type Dim, isFloat } from "../types.js";
import { squeeze, unsqueeze } from "./shape.js";
import { broadcastDims, constInts, node1, normAxes, normAxis } from "./util.js";

type ReduceOp = "ReduceSum" | "ReduceMean" | "ReduceMax" | "ReduceMin" | "ReduceProd";

function reduceOp(op: ReduceOp, x: Value, axes: number[], keepdims: boolean): Value {
  const ax = axes.length === 0 ? x.shape.map((_, i) => i) : normAxes(op, axes, x.rank);
  // reducing only size-1 dims is a no-op (common when un-broadcasting gradients)
  if (ax.every((a) => x.shape[a] === 1)) return keepdims ? x : squeeze(x, ax);
  const shape: Dim[] = keepdims ? x.shape.map((d, i) => (ax.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !ax.includes(i));
  const keep = { keepdims: attr.int(keepdims ? 1 : 0) };
  if (op === "ReduceSum") return node1(x.graph, op, [x, constInts(x.graph, ax)], keep, x.dtype, shape);
  return node1(x.graph, op, [x], { ...keep, axes: attr.ints(ax) }, x.dtype, shape);
}

/** Sum over `axes` (all axes when empty). */
export const reduceSum = (x: Value, axes: number[], keepdims = true): Value => reduceOp("ReduceSum", x, axes, keepdims);
export const reduceMean = (x: Value, axes: number[], keepdims = true): Value => reduceOp("ReduceMean", x, axes, keepdims);
export const reduceMax = (x: Value, axes: number[], keepdims = true): Value => reduceOp("ReduceMax", x, axes, keepdims);
export const reduceMin = (x: Value, axes: number[], keepdims = true): Value => reduceOp("ReduceMin", x, axes, keepdims);

/** softmax(x)_i = exp(x_i) / Σ_j exp(x_j) along `axis` (ONNX Softmax-13). */
export function softmax(x: Value, axis = -1): Value {
  if (!isFloat(x.dtype)) throw new Error(`softmax: needs a float tensor, got ${x.dtype}`);
  return node1(x.graph, "Softmax", [x], { axis: attr.int(normAxis("softmax", axis, x.rank)) }, x.dtype, x.shape);
}

/** logSoftmax(x)_i = x_i − log Σ_j exp(x_j) along `axis` (ONNX LogSoftmax-13). */
export function logSoftmax(x: Value, axis = -1): Value {
  if (!isFloat(x.dtype)) throw new Error(`logSoftmax: needs a float tensor, got ${x.dtype}`);
  return node1(x.graph, "LogSoftmax", [x], { axis: attr.int(normAxis("logSoftmax", axis, x.rank)) }, x.dtype, x.shape);
}

/** Index of the first maximum along `axis` (int64). Not differentiable. */
export function argMax(x: Value, axis = -1, keepdims = false): Value {
  const a = normAxis("argMax", axis, x.rank);
  const shape = keepdims ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a);
  return node1(x.graph, "ArgMax", [x], { axis: attr.int(a), keepdims: attr.int(keepdims ? 1 : 0) }, "int64", shape);
}

export interface MatMulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * Batched matrix product with numpy semantics: a [..., M, K] @ b [..., K, N] → [..., M, N] (batch dims broadcast;
 * a 1-D operand is promoted and the added dim removed). transA/transB transpose the last two axes first;
 * they are emitted as Transpose + MatMul, which onnxruntime fuses.
 */
export function matmul(a: Value, b: Value, opts: MatMulOptions = {}): Value {
  if (a.graph !== b.graph) throw new Error("matmul: operands belong to different graphs");
  if (a.dtype !== b.dtype) throw new Error(`matmul: dtype mismatch (${a.dtype} vs ${b.dtype})`);
  if (a.rank === 0 || b.rank === 0) throw new Error("matmul: operands must have rank ≥ 1");
  if (a.rank === 1 || b.rank === 1) {
    const a2 = a.rank === 1 ? unsqueeze(a, [0]) : a;
    const b2 = b.rank === 1 ? unsqueeze(b, [1]) : b;
    const c = matmul(a2, b2, { transA: a.rank > 1 && opts.transA, transB: b.rank > 1 && opts.transB });
    const drop = [...(a.rank === 1 ? [c.rank - 2] : []), ...(b.rank === 1 ? [c.rank - 1] : [])];
    return squeeze(c, drop);
  }
  const transA = !!opts.transA;
  const transB = !!opts.transB;
  const [M, K] = transA ? [a.shape[a.rank - 1], a.shape[a.rank - 2]] : [a.shape[a.rank - 2], a.shape[a.rank - 1]];
  const [K2, N] = transB ? [b.shape[b.rank - 1], b.shape[b.rank - 2]] : [b.shape[b.rank - 2], b.shape[b.rank - 1]];
  if (typeof K === "number" && typeof K2 === "number" && K !== K2) {
    throw new Error(`matmul: inner dims differ: ${a.name} ${formatShape(a.shape)}${transA ? "ᵀ" : ""} @ ${b.name} ${formatShape(b.shape)}${transB ? "ᵀ" : ""}`);
  }
  const batch = broadcastDims("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const attrs = { ...(transA ? { transA: attr.int(1) } : {}), ...(transB ? { transB: attr.int(1) } : {}) };
  return node1(a.graph, "MatMul", [a, b], attrs, a.dtype, [...batch, M, N]);
}
