// Serialization of a Graph to ONNX ModelProto bytes (onnx.proto via onnx-proto). Only nodes needed by the
// outputs are emitted; internal ops are lowered: MatMul trans flags → Transpose + MatMul, StopGradient → Identity,
// and for opset ≥ 18 the Reduce* axes attribute becomes an input (onnx/docs/Changelog.md, ReduceMean-18).
import onnxProto from "onnx-proto";
import { isSymbolName } from "./dims.js";
import type { Attr, Graph, Node, Value } from "./graph.js";
import { type DType, type Dim, type NDArray, ONNX_DTYPE } from "./types.js";

const { onnx } = onnxProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

export const DEFAULT_OPSET = 17;
const MIN_OPSET = 17;
const MAX_OPSET = 21;
/** ONNX IR version matching the opset (onnx/docs/Versioning.md: opset 17–18 → IR 8, 19–20 → IR 9, 21 → IR 10). */
const irVersionFor = (opset: number) => (opset >= 21 ? 10 : opset >= 19 ? 9 : 8);
const ATTR_TYPE = onnx.AttributeProto.AttributeType;
const AXES_ATTR_REDUCES = new Set(["ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd"]);

export interface OnnxOptions {
  opset?: number;
}

export function tensorProto(name: string, nd: NDArray): ITensorProto {
  const d = nd.data;
  return {
    name,
    dims: nd.shape,
    dataType: ONNX_DTYPE[nd.dtype],
    rawData: new Uint8Array(d.buffer, d.byteOffset, d.byteLength),
  };
}

function attrProto(name: string, a: Attr): IAttributeProto {
  switch (a.kind) {
    case "int": return { name, type: ATTR_TYPE.INT, i: a.value };
    case "float": return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case "string": return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(a.value) };
    case "ints": return { name, type: ATTR_TYPE.INTS, ints: a.value };
    case "floats": return { name, type: ATTR_TYPE.FLOATS, floats: a.value };
    case "tensor": return { name, type: ATTR_TYPE.TENSOR, t: tensorProto("", a.value) };
  }
}

function valueInfo(name: string, dtype: DType, shape: readonly Dim[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ONNX_DTYPE[dtype],
        // plain symbols become dim_param; derived dims ("B*T") are left unnamed for onnxruntime to infer
        shape: { dim: shape.map((d) => (typeof d === "number" ? { dimValue: d } : isSymbolName(d) && !d.startsWith("_u") ? { dimParam: d } : {})) },
      },
    },
  };
}

/** Nodes needed to compute the graph outputs, in creation (= topological) order. */
export function liveNodes(graph: Graph): Node[] {
  const needed = new Set<number>(graph.outputs.map((o) => o.value.id));
  const live: Node[] = [];
  const nodes = graph.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((v) => needed.has(v.id))) continue;
    live.push(n);
    for (const x of n.inputs) if (x) needed.add(x.id);
  }
  return live.reverse();
}

/** Builds the ModelProto message (not yet encoded). */
export function toModelProto(graph: Graph, opts: OnnxOptions = {}): onnxProto.onnx.IModelProto {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(`toOnnx: opset must be an integer in [${MIN_OPSET}, ${MAX_OPSET}], got ${opset}`);
  }
  if (graph.outputs.length === 0) throw new Error(`toOnnx: graph "${graph.name}" has no outputs`);
  const nodes = liveNodes(graph);

  // names: graph inputs and outputs keep theirs; everything else gets a unique one
  const used = new Set<string>([...graph.inputs.map((v) => v.name), ...graph.outputs.map((o) => o.name)]);
  const names = new Map<number, string>();
  for (const v of graph.inputs) names.set(v.id, v.name);
  const identities: INodeProto[] = [];
  const aliasOutputs: { name: string; value: Value }[] = [];
  for (const o of graph.outputs) {
    if (o.value.producer && !names.has(o.value.id)) names.set(o.value.id, o.name);
    else aliasOutputs.push(o);
  }
  const freshName = (hint: string): string => {
    let n = hint;
    for (let k = 1; used.has(n); k++) n = `${hint}_${k}`;
    used.add(n);
    return n;
  };
  const nameOf = (v: Value): string => {
    let n = names.get(v.id);
    if (n === undefined) {
      n = freshName(v.name);
      names.set(v.id, n);
    }
    return n;
  };

  const initializers: ITensorProto[] = [];
  const seenConst = new Set<number>();
  const useConst = (v: Value) => {
    if (!v.constData || seenConst.has(v.id)) return;
    seenConst.add(v.id);
    initializers.push(tensorProto(nameOf(v), { dtype: v.dtype, shape: v.shape as number[], data: v.constData }));
  };
  const constInput = (values: number[], hint: string): string => {
    const name = freshName(hint);
    initializers.push(tensorProto(name, { dtype: "int64", shape: [values.length], data: BigInt64Array.from(values.map(BigInt)) }));
    return name;
  };

  const out: INodeProto[] = [];
  const domains = new Set<string>();
  for (const n of nodes) {
    for (const x of n.inputs) if (x) useConst(x);
    let inputs = n.inputs.map((x) => (x ? nameOf(x) : ""));
    while (inputs.length && inputs[inputs.length - 1] === "") inputs.pop();
    const outputs = n.outputs.map(nameOf);
    let op = n.op;
    const attrs: IAttributeProto[] = [];
    for (const [k, a] of Object.entries(n.attrs)) {
      if (op === "MatMul" && (k === "transA" || k === "transB")) continue;
      if (opset >= 18 && AXES_ATTR_REDUCES.has(op) && k === "axes" && a.kind === "ints") {
        inputs = [inputs[0], constInput(a.value, `${outputs[0]}_axes`)];
        continue;
      }
      attrs.push(attrProto(k, a));
    }
    if (op === "StopGradient") op = "Identity";
    if (op === "MatMul") {
      inputs = inputs.map((name, i) => {
        const flag = n.attrs[i === 0 ? "transA" : "transB"];
        if (!flag || flag.kind !== "int" || flag.value === 0) return name;
        const rank = n.inputs[i]!.rank;
        const perm = [...Array(rank).keys()];
        [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
        const tName = freshName(`${outputs[0]}_T${i}`);
        out.push({ opType: "Transpose", name: tName, input: [name], output: [tName], attribute: [attrProto("perm", { kind: "ints", value: perm })] });
        return tName;
      });
    }
    const [domain, opType] = op.includes("::") ? op.split("::") : ["", op];
    if (domain) domains.add(domain);
    out.push({ opType, domain: domain || undefined, name: `${opType}_${n.id}`, input: inputs, output: outputs, attribute: attrs });
  }
  for (const o of aliasOutputs) {
    useConst(o.value);
    identities.push({ opType: "Identity", name: `out_${o.name}`, input: [nameOf(o.value)], output: [o.name] });
  }

  return {
    irVersion: irVersionFor(opset),
    producerName: "ratio",
    opsetImport: [{ domain: "", version: opset }, ...[...domains].map((domain) => ({ domain, version: 1 }))],
    graph: {
      name: graph.name,
      node: [...out, ...identities],
      initializer: initializers,
      input: graph.inputs.map((v) => valueInfo(v.name, v.dtype, v.shape)),
      output: graph.outputs.map((o) => valueInfo(o.name, o.value.dtype, o.value.shape)),
    },
  };
}

const cache = new WeakMap<Graph, { version: number; opset: number; bytes: Uint8Array }>();

/** ModelProto bytes of the graph (opset 17 by default; symbolic dims as dim_param). Memoized per graph version. */
export function toOnnx(graph: Graph, opts: OnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  const hit = cache.get(graph);
  if (hit && hit.version === graph.version && hit.opset === opset) return hit.bytes;
  const bytes = onnx.ModelProto.encode(toModelProto(graph, { opset })).finish();
  cache.set(graph, { version: graph.version, opset, bytes });
  return bytes;
}
