// Shared pieces of the VJP rules: the rule signature and un-broadcasting of gradients.
import type { Node, Value } from "../graph.js";
import { reduceSum } from "../ops/reduce.js";
import { squeeze } from "../ops/shape.js";
import { shapesEqual } from "../ops/util.js";

/**
 * A VJP rule: given the node, the gradients of its outputs (null = none flows) and which inputs need a
 * gradient, returns one gradient per input (null = none), each with the input's shape.
 */
export type VjpRule = (node: Node, dys: readonly (Value | null)[], needs: readonly boolean[]) => (Value | null)[];

export function input(node: Node, i: number): Value {
  const x = node.inputs[i];
  if (!x) throw new Error(`${node.op}: input ${i} is missing`);
  return x;
}

/**
 * Gradient of a broadcast operand: sum over the axes that broadcasting added (leading) or stretched
 * (size 1 in `like`), so the result has `like`'s shape.
 */
export function unbroadcast(g: Value, like: Value): Value {
  if (shapesEqual(g.shape, like.shape)) return g;
  const lead = g.rank - like.rank;
  const leading = Array.from({ length: lead }, (_, i) => i);
  const stretched = like.shape.flatMap((d, i) => (d === 1 && g.shape[lead + i] !== 1 ? [lead + i] : []));
  if (stretched.length === 0) return leading.length ? reduceSum(g, leading, false) : g;
  const r = reduceSum(g, [...leading, ...stretched], true);
  return lead ? squeeze(r, leading) : r;
}
