// VJP rules of elementwise ops (y = f(x) or f(a, b)); broadcast operands are un-broadcast by summation.
import { type Value, constNumbers } from "../graph.js";
import {
  and, cast, cos, div, greater, greaterOrEqual, lessOrEqual, log, mul, neg, sign, sin, sub, where, pow,
} from "../ops/elementwise.js";
import { isFloat } from "../types.js";
import { type VjpRule, input, unbroadcast } from "./common.js";

const unary = (f: (dy: Value, x: Value, y: Value) => Value): VjpRule =>
  (node, [dy]) => [dy ? f(dy, input(node, 0), node.outputs[0]) : null];

export const elementwiseRules: Record<string, VjpRule> = {
  // d(a+b) = da + db
  Add: (n, [dy], needs) => [needs[0] ? unbroadcast(dy!, input(n, 0)) : null, needs[1] ? unbroadcast(dy!, input(n, 1)) : null],
  // d(a−b) = da − db
  Sub: (n, [dy], needs) => [needs[0] ? unbroadcast(dy!, input(n, 0)) : null, needs[1] ? unbroadcast(neg(dy!), input(n, 1)) : null],
  // d(a·b) = b·da + a·db
  Mul: (n, [dy], needs) => [
    needs[0] ? unbroadcast(mul(dy!, input(n, 1)), input(n, 0)) : null,
    needs[1] ? unbroadcast(mul(dy!, input(n, 0)), input(n, 1)) : null,
  ],
  // y = a/b: da = dy/b, db = −dy·a/b² = −dy·y/b
  Div: (n, [dy], needs) => [
    needs[0] ? unbroadcast(div(dy!, input(n, 1)), input(n, 0)) : null,
    needs[1] ? unbroadcast(neg(div(mul(dy!, n.outputs[0]), input(n, 1))), input(n, 1)) : null,
  ],
  // y = a^b: da = dy·b·a^(b−1) (constant b specialised), db = dy·y·ln a
  Pow: (n, [dy], needs) => {
    const a = input(n, 0);
    const b = input(n, 1);
    let da = null;
    if (needs[0]) {
      const c = b.isConstant && b.constData!.length === 1 ? constNumbers(b)[0] : undefined;
      const slope = c === undefined ? mul(b, div(n.outputs[0], a))
        : c === 2 ? mul(a, 2) : c === 0 ? mul(a, 0) : mul(pow(a, c - 1), c);
      da = unbroadcast(mul(dy!, slope), a);
    }
    const db = needs[1] ? unbroadcast(mul(mul(dy!, n.outputs[0]), log(a)), b) : null;
    return [da, db];
  },
  // the gradient goes to the chosen operand (ties: the first)
  Max: (n, [dy], needs) => routeChosen(n.inputs[0]!, n.inputs[1]!, dy!, needs, greaterOrEqual),
  Min: (n, [dy], needs) => routeChosen(n.inputs[0]!, n.inputs[1]!, dy!, needs, lessOrEqual),
  Neg: unary((dy) => neg(dy)),
  // d exp(x) = y·dx
  Exp: unary((dy, _x, y) => mul(dy, y)),
  // d ln x = dx/x
  Log: unary((dy, x) => div(dy, x)),
  // d √x = dx/(2y)
  Sqrt: unary((dy, _x, y) => div(dy, mul(y, 2))),
  // d σ(x) = y(1−y)·dx
  Sigmoid: unary((dy, _x, y) => mul(dy, mul(y, sub(1, y)))),
  // d tanh x = (1−y²)·dx
  Tanh: unary((dy, _x, y) => mul(dy, sub(1, mul(y, y)))),
  // d relu(x) = [y > 0]·dx
  Relu: unary((dy, _x, y) => where(greater(y, 0), dy, 0)),
  // d |x| = sign(x)·dx
  Abs: unary((dy, x) => mul(dy, sign(x))),
  // d cos x = −sin x·dx
  Cos: unary((dy, x) => neg(mul(dy, sin(x)))),
  // d sin x = cos x·dx
  Sin: unary((dy, x) => mul(dy, cos(x))),
  // d (1/x) = −y²·dx
  Reciprocal: unary((dy, _x, y) => neg(mul(dy, mul(y, y)))),
  // clip passes the gradient where lo ≤ x ≤ hi
  Clip: (n, [dy]) => {
    const x = input(n, 0);
    const lo = n.inputs[1];
    const hi = n.inputs[2];
    const inLo = lo ? greaterOrEqual(x, lo) : null;
    const inHi = hi ? lessOrEqual(x, hi) : null;
    const mask = inLo && inHi ? and(inLo, inHi) : inLo ?? inHi;
    return [mask ? where(mask, dy!, 0) : dy];
  },
  // y = c ? a : b
  Where: (n, [dy], needs) => {
    const c = input(n, 0);
    return [
      null,
      needs[1] ? unbroadcast(where(c, dy!, 0), input(n, 1)) : null,
      needs[2] ? unbroadcast(where(c, 0, dy!), input(n, 2)) : null,
    ];
  },
  // float ↔ float casts pass the gradient back in the input's dtype; casts from/to int or bool have none
  Cast: (n, [dy]) => {
    const x = input(n, 0);
    return [isFloat(x.dtype) && isFloat(n.outputs[0].dtype) ? cast(dy!, x.dtype) : null];
  },
  Identity: (_n, [dy]) => [dy],
  StopGradient: () => [null],
};

function routeChosen(a: Value, b: Value, dy: Value, needs: readonly boolean[], prefersA: typeof greaterOrEqual): (Value | null)[] {
  const takeA = prefersA(a, b);
  return [needs[0] ? unbroadcast(where(takeA, dy, 0), a) : null, needs[1] ? unbroadcast(where(takeA, 0, dy), b) : null];
}
