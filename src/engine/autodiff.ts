// Reverse-mode automatic differentiation over the graph: the backward nodes are appended to the same graph.
// For each node on a path wrt → y (in reverse creation order, which is topological), its VJP rule maps the
// output gradients to input gradients; fan-out gradients are accumulated with Add.
import type { CustomGrad, Value } from "./graph.js";
import { add } from "./ops/elementwise.js";
import { zerosLike } from "./ops/shape.js";
import { formatShape } from "./dims.js";
import { isFloat } from "./types.js";
import { NON_DIFFERENTIABLE, VJP } from "./vjp/index.js";

/**
 * Declares a hand-written VJP for `output`, a value computed from `inputs` by ordinary ops (like JAX's custom_vjp):
 * reverse mode then sends output's gradient through `rule` instead of through the ops inside the composite, which
 * lets a model emit a leaner backward pass (e.g. RMSNorm, SwiGLU). Gradients reaching inner values from outside
 * the composite still flow through the inner ops' own rules. Returns `output`.
 */
export function customGrad(output: Value, inputs: readonly Value[], rule: CustomGrad["rule"]): Value {
  if (!output.producer) throw new Error(`customGrad: ${output.name} must be computed by an op`);
  for (const x of inputs) if (x.graph !== output.graph) throw new Error(`customGrad: ${x.name} belongs to another graph`);
  output.graph.customGrads.set(output.id, { inputs: [...inputs], rule });
  return output;
}

/**
 * Gradients of y with respect to each of `wrt`. y must be a scalar (a single element) unless `dy` (the
 * gradient flowing into y, shaped like y) is given. A wrt that y does not depend on gets zeros of its shape.
 */
export function grad(y: Value, wrt: Value[], dy?: Value): Value[] {
  const g = y.graph;
  for (const w of wrt) {
    if (w.graph !== g) throw new Error(`grad: ${w.name} belongs to another graph than ${y.name}`);
    if (!isFloat(w.dtype)) throw new Error(`grad: cannot differentiate with respect to ${w.name} of dtype ${w.dtype}`);
  }
  if (!isFloat(y.dtype)) throw new Error(`grad: ${y.name} has dtype ${y.dtype}; only float outputs can be differentiated`);
  let seed: Value;
  if (dy) {
    if (dy.graph !== g) throw new Error("grad: dy belongs to another graph");
    if (dy.dtype !== y.dtype || dy.rank !== y.rank) throw new Error(`grad: dy ${dy.toString()} must match ${y.toString()}`);
    seed = dy;
  } else {
    const s = y.staticShape;
    if (!s || s.some((d) => d !== 1)) throw new Error(`grad: ${y.name} ${formatShape(y.shape)} is not a scalar; pass dy`);
    seed = g.constant([1], s, y.dtype);
  }

  // values that depend on some wrt
  const nodes = [...g.nodes];
  const live = new Set<number>(wrt.map((w) => w.id));
  for (const n of nodes) {
    if (n.inputs.some((x) => x && live.has(x.id))) for (const o of n.outputs) live.add(o.id);
  }

  const grads = new Map<number, Value>([[y.id, seed]]);
  const accumulate = (x: Value, dx: Value) => {
    const prev = grads.get(x.id);
    grads.set(x.id, prev ? add(prev, dx) : dx);
  };
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k];
    const dys = n.outputs.map((o) => grads.get(o.id) ?? null);
    // composites with a hand-written VJP: their output gradient goes through the custom rule
    n.outputs.forEach((o, i) => {
      const custom = g.customGrads.get(o.id);
      const d = dys[i];
      if (!custom || !d) return;
      dys[i] = null;
      const needs = custom.inputs.map((x) => live.has(x.id) && isFloat(x.dtype));
      if (!needs.some(Boolean)) return;
      const dxs = custom.rule(d, needs);
      custom.inputs.forEach((x, j) => { if (needs[j] && dxs[j]) accumulate(x, dxs[j] as Value); });
    });
    if (dys.every((d) => d === null)) continue;
    const needs = n.inputs.map((x) => !!x && live.has(x.id) && isFloat(x.dtype));
    if (!needs.some(Boolean)) continue;
    const rule = VJP[n.op];
    if (!rule) {
      if (NON_DIFFERENTIABLE.has(n.op)) continue;
      throw new Error(`grad: no VJP rule for op ${n.op} (node ${n.outputs[0]?.name})`);
    }
    const dxs = rule(n, dys, needs);
    n.inputs.forEach((x, i) => {
      const dx = dxs[i];
      if (x && needs[i] && dx) accumulate(x, dx);
    });
  }
  return wrt.map((w) => grads.get(w.id) ?? zerosLike(w));
}
