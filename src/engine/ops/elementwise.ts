// Elementwise op builders (ONNX Add … Where, Clip, Cast) with numpy broadcasting over symbolic dims.
// A number operand becomes a rank-0 constant of the other operand's dtype.
import type { Value } from "../graph.js";
import { type DType, ONNX_DTYPE, isDType, isFloat } from "../types.js";
import { asValue, broadcastDims, graphOf, isConstFilled, node1, shapesEqual } from "./util.js";

/** An elementwise operand: a graph value, or a number (a scalar constant of the other operand's dtype). */
export type Operand = Value | number;

function dtypeOf(op: string, a: Operand, b: Operand): DType {
  const da = typeof a === "number" ? undefined : a.dtype;
  const db = typeof b === "number" ? undefined : b.dtype;
  if (da && db && da !== db) throw new Error(`${op}: dtype mismatch (${da} vs ${db}); cast one operand first`);
  return (da ?? db)!;
}

function binaryOp(op: string, a: Operand, b: Operand, outDtype?: DType): Value {
  const g = graphOf(op, a, b);
  const dtype = dtypeOf(op, a, b);
  const av = asValue(g, a, dtype);
  const bv = asValue(g, b, dtype);
  const shape = broadcastDims(op, av.shape, bv.shape);
  // trivial identities: x+0, 0+x, x-0, x*1, 1*x, x/1 (only when no broadcasting changes x's shape)
  const keepsA = shapesEqual(shape, av.shape);
  const keepsB = shapesEqual(shape, bv.shape);
  if (keepsA && ((op === "Add" || op === "Sub") && isConstFilled(bv, 0) || (op === "Mul" || op === "Div") && isConstFilled(bv, 1))) return av;
  if (keepsB && (op === "Add" && isConstFilled(av, 0) || op === "Mul" && isConstFilled(av, 1))) return bv;
  return node1(g, op, [av, bv], {}, outDtype ?? dtype, shape);
}

export const add = (a: Operand, b: Operand): Value => binaryOp("Add", a, b);
export const sub = (a: Operand, b: Operand): Value => binaryOp("Sub", a, b);
export const mul = (a: Operand, b: Operand): Value => binaryOp("Mul", a, b);
export const div = (a: Operand, b: Operand): Value => binaryOp("Div", a, b);
/** elementwise ONNX Min; the VJP routes the gradient to the chosen argument (ties: first) */
export const minimum = (a: Operand, b: Operand): Value => binaryOp("Min", a, b);
/** elementwise ONNX Max; the VJP routes the gradient to the chosen argument (ties: first) */
export const maximum = (a: Operand, b: Operand): Value => binaryOp("Max", a, b);

export const equal = (a: Operand, b: Operand): Value => binaryOp("Equal", a, b, "bool");
export const less = (a: Operand, b: Operand): Value => binaryOp("Less", a, b, "bool");
export const greater = (a: Operand, b: Operand): Value => binaryOp("Greater", a, b, "bool");
export const lessOrEqual = (a: Operand, b: Operand): Value => binaryOp("LessOrEqual", a, b, "bool");
export const greaterOrEqual = (a: Operand, b: Operand): Value => binaryOp("GreaterOrEqual", a, b, "bool");

function boolBinary(op: string, a: Value, b: Value): Value {
  if (a.dtype !== "bool" || b.dtype !== "bool") throw new Error(`${op.toLowerCase()}: operands must be bool, got ${a.dtype} and ${b.dtype}`);
  return binaryOp(op, a, b);
}
export const and = (a: Value, b: Value): Value => boolBinary("And", a, b);
export const or = (a: Value, b: Value): Value => boolBinary("Or", a, b);

export function not(x: Value): Value {
  if (x.dtype !== "bool") throw new Error(`not: operand must be bool, got ${x.dtype}`);
  return node1(x.graph, "Not", [x], {}, "bool", x.shape);
}

function unaryOp(op: string, x: Value, floatOnly = true): Value {
  if (floatOnly && !isFloat(x.dtype)) throw new Error(`${op}: needs a float tensor, got ${x.dtype} (${x.name})`);
  return node1(x.graph, op, [x], {}, x.dtype, x.shape);
}

export const neg = (x: Value): Value => unaryOp("Neg", x, false);
export const exp = (x: Value): Value => unaryOp("Exp", x);
export const log = (x: Value): Value => unaryOp("Log", x);
export const sqrt = (x: Value): Value => unaryOp("Sqrt", x);
export const sigmoid = (x: Value): Value => unaryOp("Sigmoid", x);
export const tanh = (x: Value): Value => unaryOp("Tanh", x);
export const relu = (x: Value): Value => unaryOp("Relu", x);
export const abs = (x: Value): Value => unaryOp("Abs", x, false);
export const cos = (x: Value): Value => unaryOp("Cos", x);
export const sin = (x: Value): Value => unaryOp("Sin", x);
export const reciprocal = (x: Value): Value => unaryOp("Reciprocal", x);
export const sign = (x: Value): Value => unaryOp("Sign", x, false);
export const floor = (x: Value): Value => unaryOp("Floor", x);
export const ceil = (x: Value): Value => unaryOp("Ceil", x);

/** x^exponent for a constant exponent: pow(x, 1) is x. */
export function pow(x: Value, exponent: number): Value {
  if (!isFloat(x.dtype)) throw new Error(`Pow: needs a float tensor, got ${x.dtype}`);
  if (exponent === 1) return x;
  return node1(x.graph, "Pow", [x, x.graph.scalar(exponent, x.dtype)], {}, x.dtype, x.shape);
}

export function clip(x: Value, lo: number, hi: number): Value {
  if (!(lo <= hi)) throw new Error(`clip: lo (${lo}) must be ≤ hi (${hi})`);
  const g = x.graph;
  return node1(g, "Clip", [x, g.scalar(lo, x.dtype), g.scalar(hi, x.dtype)], {}, x.dtype, x.shape);
}

export function where(cond: Value, a: Operand, b: Operand): Value {
  if (cond.dtype !== "bool") throw new Error(`where: condition must be bool, got ${cond.dtype}`);
  const g = graphOf("where", cond, a, b);
  const dtype = typeof a === "number" && typeof b === "number" ? "float32" : dtypeOf("where", a, b);
  const av = asValue(g, a, dtype);
  const bv = asValue(g, b, dtype);
  return node1(g, "Where", [cond, av, bv], {}, dtype, broadcastDims("where", cond.shape, av.shape, bv.shape));
}

export function cast(x: Value, dtype: DType): Value {
  if (!isDType(dtype)) throw new Error(`cast: unknown dtype "${String(dtype)}"`);
  if (x.dtype === dtype) return x;
  return node1(x.graph, "Cast", [x], { to: { kind: "int", value: ONNX_DTYPE[dtype] } }, dtype, x.shape);
}

/** Identity in the graph; its VJP is zero. */
export function stopGradient(x: Value): Value {
  return node1(x.graph, "StopGradient", [x], {}, x.dtype, x.shape);
}
