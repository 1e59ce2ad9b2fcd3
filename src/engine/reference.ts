// Pure-TS reference evaluator of every engine op, for tests (finite differences, ORT-vs-reference).
// Float tensors are computed in float64 (precision "float64", the default; float outputs come back as float64
// arrays) or rounded to float32 after every op (precision "float32"). It also checks every computed shape
// against the statically inferred one, so shape-inference mistakes surface here.
import { evalDim, validateFeeds } from "./feeds.js";
import { type Graph, type Value, constNDArray } from "./graph.js";
import { type RefTensor, fromRefTensor, runKernel, toRefTensor } from "./kernels/index.js";
import { liveNodes } from "./onnx.js";
import { type NDArray, isFloat } from "./types.js";

export interface EvaluateOptions {
  precision?: "float64" | "float32";
}

export function evaluate(graph: Graph, feeds: Record<string, NDArray>, opts: EvaluateOptions = {}): Record<string, NDArray> {
  const precision = opts.precision ?? "float64";
  const bindings = validateFeeds(`evaluate(${graph.name})`, graph.inputs, feeds);
  const env = new Map<number, RefTensor>();
  for (const v of graph.inputs) env.set(v.id, toRefTensor(feeds[v.name]));
  const get = (v: Value): RefTensor => {
    let t = env.get(v.id);
    if (!t) {
      if (!v.constData) throw new Error(`evaluate: value ${v.name} has not been computed`);
      t = toRefTensor(constNDArray(v));
      env.set(v.id, t);
    }
    return t;
  };
  for (const node of liveNodes(graph)) {
    const outs = runKernel(node.op, node.attrs, node.inputs.map((x) => (x ? get(x) : null)));
    node.outputs.forEach((v, i) => {
      const t = outs[i];
      checkShape(v, t.shape, bindings);
      if (precision === "float32" && isFloat(v.dtype)) for (let k = 0; k < t.data.length; k++) t.data[k] = Math.fround(t.data[k]);
      env.set(v.id, { ...t, dtype: v.dtype });
    });
  }
  const result: Record<string, NDArray> = {};
  for (const o of graph.outputs) result[o.name] = fromRefTensor(get(o.value), o.value.dtype, precision);
  return result;
}

function checkShape(v: Value, actual: number[], bindings: Map<string, number>): void {
  const bad = () => new Error(`evaluate: ${v.producer?.op} output ${v.name} was inferred as [${v.shape.join(", ")}] but computed as [${actual.join(", ")}]`);
  if (actual.length !== v.rank) throw bad();
  v.shape.forEach((d, i) => {
    const want = evalDim(d, bindings);
    if (want === undefined) {
      // an opaque symbol (e.g. a slice with a step on a symbolic dim) is bound on first sight
      if (typeof d === "string" && !d.includes("*") && !d.includes("+") && !d.includes("-")) bindings.set(d, actual[i]);
      return;
    }
    if (want !== actual[i]) throw bad();
  });
}
