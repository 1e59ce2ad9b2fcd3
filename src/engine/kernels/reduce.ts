// Reference kernels: reductions, Softmax/LogSoftmax (opset 13+: over one axis), ArgMax, MatMul.
import { numel } from "../types.js";
import { type RefTensor, broadcastIndex, broadcastShapes, normAxis, reduceIndex, refTensor } from "./tensor.js";

export type ReduceKind = "ReduceSum" | "ReduceMean" | "ReduceMax" | "ReduceMin" | "ReduceProd";

/** ONNX Reduce*: empty/missing axes reduce everything (noop_with_empty_axes = 0). */
export function reduce(kind: ReduceKind, x: RefTensor, axes: number[] | undefined, keepdims: boolean): RefTensor {
  const rank = x.shape.length;
  const ax = axes && axes.length > 0 ? axes.map((a) => normAxis(a, rank, `${kind} axis`)) : x.shape.map((_, i) => i);
  const { outShape, map } = reduceIndex(x.shape, ax);
  const init = kind === "ReduceMax" ? -Infinity : kind === "ReduceMin" ? Infinity : kind === "ReduceProd" ? 1 : 0;
  const out = refTensor(x.dtype, outShape);
  out.data.fill(init);
  const d = out.data;
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i];
    const j = map[i];
    if (kind === "ReduceMax") d[j] = v > d[j] || Number.isNaN(v) ? v : d[j];
    else if (kind === "ReduceMin") d[j] = v < d[j] || Number.isNaN(v) ? v : d[j];
    else if (kind === "ReduceProd") d[j] *= v;
    else d[j] += v;
  }
  if (kind === "ReduceMean") {
    const count = x.data.length / Math.max(1, d.length);
    for (let j = 0; j < d.length; j++) d[j] /= count;
  }
  if (!keepdims) out.shape = x.shape.filter((_, i) => !ax.includes(i));
  return out;
}

/** Softmax / LogSoftmax over `axis`, computed stably: y = x − max − log Σ exp(x − max). */
export function softmax(x: RefTensor, axis: number, log: boolean): RefTensor {
  const a = normAxis(axis, x.shape.length, "Softmax axis");
  const m = reduce("ReduceMax", x, [a], true);
  const { map } = reduceIndex(x.shape, [a]);
  const sums = new Float64Array(m.data.length);
  const out = refTensor(x.dtype, [...x.shape]);
  for (let i = 0; i < x.data.length; i++) {
    const e = Math.exp(x.data[i] - m.data[map[i]]);
    out.data[i] = e;
    sums[map[i]] += e;
  }
  for (let i = 0; i < x.data.length; i++) {
    const j = map[i];
    out.data[i] = log ? x.data[i] - m.data[j] - Math.log(sums[j]) : out.data[i] / sums[j];
  }
  return out;
}

export function argMax(x: RefTensor, axis: number, keepdims: boolean, selectLast: boolean): RefTensor {
  const a = normAxis(axis, x.shape.length, "ArgMax axis");
  const outer = numel(x.shape.slice(0, a));
  const n = x.shape[a];
  const inner = numel(x.shape.slice(a + 1));
  const outShape = x.shape.map((d, i) => (i === a ? 1 : d));
  const out = refTensor("int64", keepdims ? outShape : x.shape.filter((_, i) => i !== a));
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      let best = 0;
      let bestV = -Infinity;
      for (let k = 0; k < n; k++) {
        const v = x.data[(o * n + k) * inner + q];
        if (v > bestV || (selectLast && v === bestV) || (k === 0)) { best = k; bestV = v; }
      }
      out.data[o * inner + q] = best;
    }
  }
  return out;
}

/** Batched matmul with numpy semantics (rank ≥ 2 operands), optional transposes of the last two axes. */
export function matmul(a: RefTensor, b: RefTensor, transA = false, transB = false): RefTensor {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) throw new Error("MatMul reference kernel needs rank ≥ 2 operands");
  const [M, K] = transA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const [K2, N] = transB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
  if (K !== K2) throw new Error(`MatMul: inner dims differ (${K} vs ${K2})`);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB);
  const ia = broadcastIndex(batchA, batch);
  const ib = broadcastIndex(batchB, batch);
  const out = refTensor(a.dtype, [...batch, M, N]);
  const [sam, sak] = transA ? [1, M] : [K, 1];
  const [sbk, sbn] = transB ? [1, K] : [N, 1];
  for (let p = 0; p < ia.length; p++) {
    const oa = ia[p] * M * K;
    const ob = ib[p] * K * N;
    const oo = p * M * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a.data[oa + i * sam + k * sak] * b.data[ob + k * sbk + j * sbn];
        out.data[oo + i * N + j] = s;
      }
    }
  }
  return out;
}
