// customGrad: reverse mode sends a composite's output gradient through the hand-written rule, and gradients
// reaching the composite's inner values from elsewhere still flow through the inner ops.
import { describe, expect, it } from "vitest";
import { Graph, customGrad, evaluate, grad, mul, reduceSum, exp } from "../../src/engine/index.js";

describe("customGrad", () => {
  it("uses the rule for the composite output (and only the needed inputs)", () => {
    const g = new Graph("cg");
    const x = g.input("x", "float64", [3]);
    const w = g.input("w", "float64", [3]);
    const inner = exp(x);
    // y = exp(x)·w, but the rule deliberately returns 3·dy for x so the test can see that it was used
    const y = customGrad(mul(inner, w), [x, w], (dy, needs) => [needs[0] ? mul(dy, 3) : null, needs[1] ? mul(dy, 5) : null]);
    const [dx] = grad(reduceSum(y, [0], false), [x]);
    g.output("dx", dx);
    const out = evaluate(g, { x: { dtype: "float64", shape: [3], data: Float64Array.from([0, 1, 2]) }, w: { dtype: "float64", shape: [3], data: Float64Array.from([1, 1, 1]) } });
    expect(Array.from(out.dx.data as Float64Array)).toEqual([3, 3, 3]);
  });

  it("adds the gradient that reaches an inner value from outside the composite", () => {
    const g = new Graph("cg2");
    const x = g.input("x", "float64", [2]);
    const inner = exp(x);
    const y = customGrad(mul(inner, 2), [x], (dy) => [mul(dy, 0)]); // rule: no gradient through the composite
    const loss = reduceSum(mul(y, inner), [0], false); // inner also used directly: d/dx of y·inner via inner only
    const [dx] = grad(loss, [x]);
    g.output("dx", dx);
    const xs = [0.5, -1];
    const out = evaluate(g, { x: { dtype: "float64", shape: [2], data: Float64Array.from(xs) } });
    // loss = Σ y·e^x with y treated as constant 2e^x by the rule: dx = y·e^x = 2e^{2x}
    xs.forEach((v, i) => expect((out.dx.data as Float64Array)[i]).toBeCloseTo(2 * Math.exp(2 * v), 10));
  });
});
