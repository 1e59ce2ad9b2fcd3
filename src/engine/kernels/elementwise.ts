// Reference kernels: elementwise ONNX ops with numpy broadcasting (Add … Where, Clip, Cast).
import type { DType } from "../types.js";
import { type RefTensor, broadcastIndex, broadcastShapes, refTensor } from "./tensor.js";

const isInt = (dtype: DType) => dtype === "int64" || dtype === "int32";

export const UNARY: Record<string, (x: number) => number> = {
  Neg: (x) => -x,
  Exp: Math.exp,
  Log: Math.log,
  Sqrt: Math.sqrt,
  Sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  Tanh: Math.tanh,
  Relu: (x) => (x > 0 ? x : 0),
  Abs: Math.abs,
  Cos: Math.cos,
  Sin: Math.sin,
  Reciprocal: (x) => 1 / x,
  Sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  Floor: Math.floor,
  Ceil: Math.ceil,
  Not: (x) => (x !== 0 ? 0 : 1),
  Identity: (x) => x,
  StopGradient: (x) => x,
};

/** Binary ops; result dtype = input dtype except comparisons (bool). */
export const BINARY: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Pow: (a, b) => Math.pow(a, b),
  Min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  Max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  Equal: (a, b) => (a === b ? 1 : 0),
  Less: (a, b) => (a < b ? 1 : 0),
  Greater: (a, b) => (a > b ? 1 : 0),
  LessOrEqual: (a, b) => (a <= b ? 1 : 0),
  GreaterOrEqual: (a, b) => (a >= b ? 1 : 0),
  And: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  Or: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

export const COMPARISONS = new Set(["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or"]);

export function unary(op: string, x: RefTensor): RefTensor {
  const f = UNARY[op];
  const out = refTensor(x.dtype, [...x.shape]);
  for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i]);
  return out;
}

export function binary(op: string, a: RefTensor, b: RefTensor): RefTensor {
  let f = BINARY[op];
  if (op === "Div" && isInt(a.dtype)) f = (x, y) => Math.trunc(x / y);
  const shape = broadcastShapes(a.shape, b.shape);
  const out = refTensor(COMPARISONS.has(op) ? "bool" : a.dtype, shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = f(a.data[ia[i]], b.data[ib[i]]);
  return out;
}

/** Variadic Min/Max/Sum fold pairwise. */
export function variadic(op: string, xs: RefTensor[]): RefTensor {
  let acc = xs[0];
  for (let i = 1; i < xs.length; i++) acc = binary(op === "Sum" ? "Add" : op, acc, xs[i]);
  return acc;
}

export function where(c: RefTensor, a: RefTensor, b: RefTensor): RefTensor {
  const shape = broadcastShapes(c.shape, a.shape, b.shape);
  const out = refTensor(a.dtype, shape);
  const ic = broadcastIndex(c.shape, shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = c.data[ic[i]] !== 0 ? a.data[ia[i]] : b.data[ib[i]];
  return out;
}

export function clip(x: RefTensor, lo: RefTensor | null, hi: RefTensor | null): RefTensor {
  const l = lo ? lo.data[0] : -Infinity;
  const h = hi ? hi.data[0] : Infinity;
  const out = refTensor(x.dtype, [...x.shape]);
  for (let i = 0; i < x.data.length; i++) out.data[i] = Math.min(Math.max(x.data[i], l), h);
  return out;
}

export function cast(x: RefTensor, to: DType): RefTensor {
  const out = refTensor(to, [...x.shape]);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i];
    out.data[i] = to === "bool" ? (v !== 0 ? 1 : 0) : isInt(to) ? Math.trunc(v) : v;
  }
  return out;
}
