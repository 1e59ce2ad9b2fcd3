// The graph builder: values (typed, with static shapes over symbolic dims), nodes (ONNX opset-17 ops, plus the
// internal "MatMul" trans flags and "StopGradient") and constants. Ops live in ops.ts; this file only stores.
import { canonicalDim, formatShape, isSymbolName } from "./dims.js";
import { fromRefTensor, runKernel, toRefTensor } from "./kernels/index.js";
import { type DType, type Dim, type NDArray, type TypedData, isDType, numel, toTypedData } from "./types.js";

export type Attr =
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string }
  | { kind: "ints"; value: number[] }
  | { kind: "floats"; value: number[] }
  | { kind: "tensor"; value: NDArray };
export type Attrs = Record<string, Attr>;

export const attr = {
  int: (value: number): Attr => ({ kind: "int", value }),
  float: (value: number): Attr => ({ kind: "float", value }),
  string: (value: string): Attr => ({ kind: "string", value }),
  ints: (value: number[]): Attr => ({ kind: "ints", value }),
  floats: (value: number[]): Attr => ({ kind: "floats", value }),
  tensor: (value: NDArray): Attr => ({ kind: "tensor", value }),
};

export interface Node {
  readonly id: number;
  readonly op: string;
  /** null marks an omitted optional ONNX input */
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  readonly attrs: Readonly<Attrs>;
}

/**
 * A hand-written VJP for a composite value: `inputs` are the composite's inputs, and `rule(dy, needs)` returns
 * their gradients (null where not needed) given the gradient of the composite's output.
 */
export interface CustomGrad {
  inputs: readonly Value[];
  rule: (dy: Value, needs: readonly boolean[]) => (Value | null)[];
}

export interface ValueSpec {
  dtype: DType;
  shape: readonly Dim[];
}

/** Constant folding is applied to all-constant nodes whose outputs have at most this many elements. */
const FOLD_MAX_ELEMENTS = 4096;
/** Constants up to this many elements are shared by content (axes, scalars, small shapes). */
const DEDUP_MAX_ELEMENTS = 64;
/** Ops never folded: they create large tensors from small inputs, or must stay visible in the graph. */
const NO_FOLD = new Set(["ConstantOfShape", "Expand", "Range", "StopGradient", "Identity"]);

export class Value {
  /** producing node; null for graph inputs and constants */
  readonly producer: Node | null;
  /** constant payload (graph initializer) */
  readonly constData: TypedData | null;
  readonly isInput: boolean;
  readonly shape: readonly Dim[];

  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly dtype: DType,
    shape: readonly Dim[],
    readonly name: string,
    origin: { producer?: Node; constData?: TypedData; isInput?: boolean },
  ) {
    this.shape = Object.freeze(shape.map(canonicalDim));
    this.producer = origin.producer ?? null;
    this.constData = origin.constData ?? null;
    this.isInput = origin.isInput ?? false;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isConstant(): boolean {
    return this.constData !== null;
  }

  /** Static shape, or undefined if any dim is symbolic. */
  get staticShape(): number[] | undefined {
    return this.shape.every((d) => typeof d === "number") ? (this.shape as number[]) : undefined;
  }

  toString(): string {
    return `${this.name}: ${this.dtype}${formatShape(this.shape)}`;
  }
}

let graphCounter = 0;

export class Graph {
  readonly name: string;
  private readonly _inputs: Value[] = [];
  private readonly _outputs: { name: string; value: Value }[] = [];
  private readonly _nodes: Node[] = [];
  private readonly _constants: Value[] = [];
  private readonly constCache = new Map<string, Value>();
  private readonly symbolSources = new Map<string, { value: Value; axis: number }>();
  /** memo for runtime shape helpers (key → value), owned by ops */
  readonly memo = new Map<string, Value>();
  /** custom vector-Jacobian products of composite values (see customGrad in autodiff.ts), by value id */
  readonly customGrads = new Map<number, CustomGrad>();
  private nextId = 0;
  private _version = 0;
  readonly uid = ++graphCounter;

  constructor(name = "ratio") {
    this.name = name;
  }

  get inputs(): readonly Value[] { return this._inputs; }
  get outputs(): readonly { name: string; value: Value }[] { return this._outputs; }
  get nodes(): readonly Node[] { return this._nodes; }
  get constants(): readonly Value[] { return this._constants; }
  /** increments on every change; used to memoize serialization */
  get version(): number { return this._version; }

  input(name: string, dtype: DType, shape: readonly Dim[]): Value {
    if (!name) throw new Error("Graph.input: name must be a non-empty string");
    if (!isDType(dtype)) throw new Error(`Graph.input "${name}": unknown dtype "${String(dtype)}"`);
    if (this._inputs.some((v) => v.name === name)) throw new Error(`Graph.input: duplicate input name "${name}"`);
    for (const d of shape) {
      if (typeof d === "string" && !isSymbolName(d)) {
        throw new Error(`Graph.input "${name}": symbolic dim "${d}" must be a plain name like "B" or "seq_len"`);
      }
      if (typeof d === "number" && (!Number.isInteger(d) || d < 0)) {
        throw new Error(`Graph.input "${name}": dim ${d} must be a non-negative integer or a symbol name`);
      }
    }
    const v = new Value(this, this.nextId++, dtype, shape, name, { isInput: true });
    this._inputs.push(v);
    // graph inputs are the preferred run-time source of a symbol's size
    v.shape.forEach((d, axis) => { if (typeof d === "string") this.symbolSources.set(d, { value: v, axis }); });
    this._version++;
    return v;
  }

  constant(data: number[] | TypedData, shape: readonly number[], dtype: DType = "float32"): Value {
    if (!isDType(dtype)) throw new Error(`Graph.constant: unknown dtype "${String(dtype)}"`);
    if (data.length !== numel(shape)) {
      throw new Error(`Graph.constant: ${data.length} values do not fill shape [${shape.join(", ")}]`);
    }
    const typed = toTypedData(data as ArrayLike<number | bigint>, dtype);
    let key: string | undefined;
    if (typed.length <= DEDUP_MAX_ELEMENTS) {
      key = `${dtype}|${shape.join(",")}|${Array.from(typed as ArrayLike<number | bigint>, String).join(",")}`;
      const hit = this.constCache.get(key);
      if (hit) return hit;
    }
    const v = new Value(this, this.nextId, dtype, shape, `const_${this.nextId}`, { constData: typed });
    this.nextId++;
    this._constants.push(v);
    if (key) this.constCache.set(key, v);
    this._version++;
    return v;
  }

  scalar(x: number, dtype: DType = "float32"): Value {
    return this.constant([x], [], dtype);
  }

  output(name: string, v: Value): void {
    if (!name) throw new Error("Graph.output: name must be a non-empty string");
    if (v.graph !== this) throw new Error(`Graph.output "${name}": value ${v.name} belongs to another graph`);
    if (this._outputs.some((o) => o.name === name)) throw new Error(`Graph.output: duplicate output name "${name}"`);
    if (this._inputs.some((i) => i.name === name)) throw new Error(`Graph.output: "${name}" is already an input name`);
    this._outputs.push({ name, value: v });
    this._version++;
  }

  /**
   * Appends a node whose output specs were inferred by the caller. All-constant nodes with small outputs are
   * folded into constants (evaluated by the reference kernels) unless `fold` is false.
   */
  addNode(op: string, inputs: (Value | null)[], attrs: Attrs, outs: ValueSpec[], fold = true): Value[] {
    for (const x of inputs) {
      if (x && x.graph !== this) throw new Error(`${op}: input ${x.name} belongs to another graph`);
    }
    if (fold && !NO_FOLD.has(op) && inputs.every((x) => x === null || x.isConstant)) {
      const sizes = outs.map((o) => (o.shape.every((d) => typeof d === "number") ? numel(o.shape as number[]) : Infinity));
      if (sizes.every((n) => n <= FOLD_MAX_ELEMENTS)) {
        const res = runKernel(op, attrs, inputs.map((x) => (x ? toRefTensor(constNDArray(x)) : null)));
        return res.map((t, i) => {
          const nd = fromRefTensor(t, outs[i].dtype, "float64");
          return this.constant(nd.data, nd.shape, outs[i].dtype);
        });
      }
    }
    const outputs: Value[] = [];
    const node: Node = { id: this.nextId++, op, inputs: [...inputs], outputs, attrs: { ...attrs } };
    for (const spec of outs) {
      const id = this.nextId++;
      const v = new Value(this, id, spec.dtype, spec.shape, `${op}_${id}`, { producer: node });
      outputs.push(v);
      v.shape.forEach((d, axis) => {
        if (typeof d === "string" && !this.symbolSources.has(d)) this.symbolSources.set(d, { value: v, axis });
      });
    }
    Object.freeze(outputs);
    this._nodes.push(node);
    this._version++;
    return outputs;
  }

  /** A value whose shape carries symbolic dim `dim` (canonical string), and at which axis; inputs preferred. */
  symbolSource(dim: string): { value: Value; axis: number } | undefined {
    return this.symbolSources.get(dim);
  }
}

/** The NDArray view of a constant value. */
export function constNDArray(v: Value): NDArray {
  if (!v.constData) throw new Error(`${v.name} is not a constant`);
  return { dtype: v.dtype, shape: v.shape as number[], data: v.constData };
}

/** Numbers of a constant value (int64 converted to number). */
export function constNumbers(v: Value): number[] {
  if (!v.constData) throw new Error(`${v.name} is not a constant`);
  return Array.from(v.constData as ArrayLike<number | bigint>, Number);
}
