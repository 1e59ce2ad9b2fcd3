// Shared helpers of the op builders: operand coercion, symbolic broadcasting, run-time dim tensors.
import { dimAdd, dimEquals, dimMul, dimTerms, formatShape, isStaticDim } from "../dims.js";
import { type Attrs, type Graph, Value } from "../graph.js";
import type { DType, Dim } from "../types.js";

/** Sentinel for "to the end" in Slice ends (INT64 max is not a JS number; any value ≥ dim works). */
export const SLICE_END = Number.MAX_SAFE_INTEGER;

export function graphOf(op: string, ...xs: (Value | number | null | undefined)[]): Graph {
  let g: Graph | undefined;
  for (const x of xs) {
    if (x instanceof Value) {
      if (g && x.graph !== g) throw new Error(`${op}: operands belong to different graphs`);
      g = x.graph;
    }
  }
  if (!g) throw new Error(`${op}: at least one operand must be a graph Value`);
  return g;
}

/** A number becomes a rank-0 constant of `dtype`. */
export function asValue(g: Graph, x: Value | number, dtype: DType): Value {
  return x instanceof Value ? x : g.scalar(x, dtype);
}

export function node1(g: Graph, op: string, inputs: (Value | null)[], attrs: Attrs, dtype: DType, shape: readonly Dim[]): Value {
  return g.addNode(op, inputs, attrs, [{ dtype, shape }])[0];
}

export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new Error(`${op}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

export function normAxes(op: string, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => normAxis(op, a, rank));
  if (new Set(out).size !== out.length) throw new Error(`${op}: repeated axis in [${axes.join(", ")}]`);
  return out;
}

export function shapesEqual(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => dimEquals(d, b[i]));
}

/**
 * Numpy broadcasting over symbolic dims: 1 broadcasts; a symbolic dim meeting a number (or another symbol)
 * is assumed equal to it at run time (symbolic dims are assumed never to be a broadcast 1).
 */
export function broadcastDims(op: string, ...shapes: (readonly Dim[])[]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i];
      const o = out[j];
      if (o === 1 || dimEquals(o, d)) out[j] = d;
      else if (d === 1) continue;
      else if (isStaticDim(o) && isStaticDim(d)) {
        throw new Error(`${op}: cannot broadcast shapes ${shapes.map(formatShape).join(" and ")}`);
      } else if (isStaticDim(d)) out[j] = d; // a number is more informative than a symbol assumed equal to it
    }
  }
  return out;
}

export function constInts(g: Graph, xs: readonly number[]): Value {
  return g.constant(xs.map((x) => Math.max(-SLICE_END, Math.min(SLICE_END, x))), [xs.length], "int64");
}

/** int64 [1] holding the run-time size of one dim. */
export function dimScalarTensor(g: Graph, d: Dim): Value {
  if (isStaticDim(d)) return constInts(g, [d]);
  const key = `dim:${d}`;
  const hit = g.memo.get(key);
  if (hit) return hit;
  let v: Value;
  const src = g.symbolSource(d);
  if (src) {
    v = node1(g, "Shape", [src.value], { start: { kind: "int", value: src.axis }, end: { kind: "int", value: src.axis + 1 } }, "int64", [1]);
  } else {
    const terms = dimTerms(d);
    if (terms.length === 1 && terms[0].symbols.length === 1 && terms[0].coeff === 1) {
      throw new Error(`cannot resolve symbolic dim "${d}" at run time: no value in the graph carries it`);
    }
    let acc: Value | undefined;
    for (const t of terms) {
      let term: Value | undefined;
      for (const s of t.symbols) {
        const f = dimScalarTensor(g, s);
        term = term ? node1(g, "Mul", [term, f], {}, "int64", [1]) : f;
      }
      if (!term) term = constInts(g, [t.coeff]);
      else if (t.coeff !== 1) term = node1(g, "Mul", [term, constInts(g, [t.coeff])], {}, "int64", [1]);
      acc = acc ? node1(g, "Add", [acc, term], {}, "int64", [1]) : term;
    }
    v = acc ?? constInts(g, [0]);
  }
  g.memo.set(key, v);
  return v;
}

/** int64 [n] holding `dims` at run time; a constant when all are static. */
export function dimTensor(g: Graph, dims: readonly Dim[]): Value {
  if (dims.every(isStaticDim)) return constInts(g, dims as number[]);
  const key = `dims:${dims.join(",")}`;
  const hit = g.memo.get(key);
  if (hit) return hit;
  const pieces: Value[] = [];
  let run: number[] = [];
  for (const d of dims) {
    if (isStaticDim(d)) { run.push(d); continue; }
    if (run.length) { pieces.push(constInts(g, run)); run = []; }
    pieces.push(dimScalarTensor(g, d));
  }
  if (run.length) pieces.push(constInts(g, run));
  const v = pieces.length === 1 ? pieces[0] : node1(g, "Concat", pieces, { axis: { kind: "int", value: 0 } }, "int64", [dims.length]);
  g.memo.set(key, v);
  return v;
}

/** True if `v` is a constant whose every element equals `x`. */
export function isConstFilled(v: Value, x: number): boolean {
  if (!v.constData || v.constData.length > 4096) return false;
  const d = v.constData as ArrayLike<number | bigint>;
  for (let i = 0; i < d.length; i++) if (Number(d[i]) !== x) return false;
  return v.constData.length > 0;
}

export function sumDims(ds: readonly Dim[]): Dim {
  return ds.reduce<Dim>((a, d) => dimAdd(a, d), 0);
}

export function productDims(ds: readonly Dim[]): Dim {
  return ds.reduce<Dim>((a, d) => dimMul(a, d), 1);
}
