// Dispatch of the reference kernels by ONNX op type (opset 17 semantics; "MatMul" also takes the internal
// transA/transB flags, "StopGradient" is Identity).
import type { Attrs } from "../graph.js";
import { DTYPES, type DType, ONNX_DTYPE } from "../types.js";
import { UNARY, binary, cast, clip, unary, variadic, where } from "./elementwise.js";
import { rotaryEmbedding, simplifiedLayerNorm } from "./fused.js";
import { gather, gatherElements, oneHot, scatterElements } from "./indexing.js";
import { type ReduceKind, argMax, matmul, reduce, softmax } from "./reduce.js";
import {
  concat, constantOfShape, expand, pad, range, reshape, reshapeDims, shapeOp, sliceAxes, split, squeezeDims, transpose, unsqueezeDims,
} from "./shape.js";
import type { RefTensor } from "./tensor.js";
import { refTensor } from "./tensor.js";

export { type RefTensor, fromRefTensor, toRefTensor } from "./tensor.js";

function intAttr(attrs: Attrs, name: string, dflt: number): number {
  const a = attrs[name];
  return a && (a.kind === "int" || a.kind === "float") ? a.value : dflt;
}
function intsAttr(attrs: Attrs, name: string): number[] | undefined {
  const a = attrs[name];
  return a && a.kind === "ints" ? a.value : undefined;
}
function strAttr(attrs: Attrs, name: string, dflt: string): string {
  const a = attrs[name];
  return a && a.kind === "string" ? a.value : dflt;
}
const nums = (t: RefTensor | null | undefined): number[] | undefined => (t ? Array.from(t.data) : undefined);

export function dtypeFromOnnx(code: number): DType {
  const d = DTYPES.find((t) => ONNX_DTYPE[t] === code);
  if (!d) throw new Error(`unsupported ONNX data type ${code}`);
  return d;
}

const REDUCE_OPS = new Set(["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd"]);

/** Evaluates one node on float64-held tensors; throws for ops outside the engine's op set. */
export function runKernel(op: string, attrs: Attrs, inputs: (RefTensor | null)[]): RefTensor[] {
  const [x, y, z] = inputs;
  const need = (t: RefTensor | null | undefined, what: string): RefTensor => {
    if (!t) throw new Error(`${op}: missing input ${what}`);
    return t;
  };
  if (op in UNARY) return [unary(op, need(x, "X"))];
  switch (op) {
    case "Add": case "Sub": case "Mul": case "Div": case "Pow":
    case "Equal": case "Less": case "Greater": case "LessOrEqual": case "GreaterOrEqual": case "And": case "Or":
      return [binary(op, need(x, "A"), need(y, "B"))];
    case "Min": case "Max": case "Sum":
      return [variadic(op, inputs.map((t) => need(t, "data")))];
    case "SimplifiedLayerNormalization":
      return [simplifiedLayerNorm(need(x, "X"), need(y, "scale"), intAttr(attrs, "epsilon", 1e-5))];
    case "com.microsoft::RotaryEmbedding":
      return [rotaryEmbedding(need(x, "input"), need(y, "position_ids"), need(z, "cos_cache"), need(inputs[3], "sin_cache"), intAttr(attrs, "num_heads", 0))];
    case "Where": return [where(need(x, "condition"), need(y, "X"), need(z, "Y"))];
    case "Clip": return [clip(need(x, "input"), y ?? null, z ?? null)];
    case "Cast": return [cast(need(x, "input"), dtypeFromOnnx(intAttr(attrs, "to", 1)))];
    case "MatMul":
      return [matmul(need(x, "A"), need(y, "B"), intAttr(attrs, "transA", 0) !== 0, intAttr(attrs, "transB", 0) !== 0)];
    case "Transpose": return [transpose(need(x, "data"), intsAttr(attrs, "perm"))];
    case "Reshape": return [reshape(need(x, "data"), reshapeDims(need(x, "data").shape, nums(need(y, "shape"))!))];
    case "Unsqueeze": return [reshape(need(x, "data"), unsqueezeDims(need(x, "data").shape, nums(need(y, "axes"))!))];
    case "Squeeze": return [reshape(need(x, "data"), squeezeDims(need(x, "data").shape, nums(y)))];
    case "Concat": return [concat(inputs.map((t) => need(t, "inputs")), intAttr(attrs, "axis", 0))];
    case "Split": return split(need(x, "input"), intAttr(attrs, "axis", 0), nums(need(y, "split"))!);
    case "Slice":
      return [sliceAxes(need(x, "data"), nums(need(y, "starts"))!, nums(need(z, "ends"))!, nums(inputs[3]), nums(inputs[4]))];
    case "Pad": {
      if (strAttr(attrs, "mode", "constant") !== "constant") throw new Error("Pad: only mode=constant is supported");
      return [pad(need(x, "data"), nums(need(y, "pads"))!, z ? z.data[0] : 0)];
    }
    case "Expand": return [expand(need(x, "input"), nums(need(y, "shape"))!)];
    case "Shape": {
      const end = attrs.end ? intAttr(attrs, "end", 0) : undefined;
      return [shapeOp(need(x, "data"), intAttr(attrs, "start", 0), end)];
    }
    case "ConstantOfShape": {
      const v = attrs.value;
      const t = v && v.kind === "tensor" ? v.value : undefined;
      const value = t ? Number(t.data[0]) : 0;
      return [constantOfShape(nums(need(x, "input"))!, t ? t.dtype : "float32", value)];
    }
    case "Range": {
      const s = need(x, "start");
      return [range(s.data[0], need(y, "limit").data[0], need(z, "delta").data[0], s.dtype)];
    }
    case "Softmax": case "LogSoftmax":
      return [softmax(need(x, "input"), intAttr(attrs, "axis", -1), op === "LogSoftmax")];
    case "ArgMax":
      return [argMax(need(x, "data"), intAttr(attrs, "axis", 0), intAttr(attrs, "keepdims", 1) !== 0, intAttr(attrs, "select_last_index", 0) !== 0)];
    case "Gather": return [gather(need(x, "data"), need(y, "indices"), intAttr(attrs, "axis", 0))];
    case "GatherElements": return [gatherElements(need(x, "data"), need(y, "indices"), intAttr(attrs, "axis", 0))];
    case "ScatterElements":
      return [scatterElements(need(x, "data"), need(y, "indices"), need(z, "updates"), intAttr(attrs, "axis", 0), strAttr(attrs, "reduction", "none"))];
    case "OneHot": {
      const values = need(z, "values");
      return [oneHot(need(x, "indices"), need(y, "depth").data[0], values, intAttr(attrs, "axis", -1), values.dtype)];
    }
    default:
      if (REDUCE_OPS.has(op)) {
        const axes = y ? nums(y) : intsAttr(attrs, "axes");
        if ((!axes || axes.length === 0) && intAttr(attrs, "noop_with_empty_axes", 0) !== 0) {
          const t = need(x, "data");
          return [refTensor(t.dtype, [...t.shape], Float64Array.from(t.data))];
        }
        return [reduce(op as ReduceKind, need(x, "data"), axes, intAttr(attrs, "keepdims", 1) !== 0)];
      }
      throw new Error(`reference evaluator: op "${op}" is not supported`);
  }
}
