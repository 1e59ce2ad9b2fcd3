// Public API of the engine: graph builder, ops, autodiff, ONNX serialization, onnxruntime sessions, reference evaluator.
export * from "./types.js";
export { Graph, Value, type CustomGrad, type Node, type Attr, type Attrs, type ValueSpec, constNDArray, constNumbers } from "./graph.js";
export * from "./ops.js";
export { customGrad, grad } from "./autodiff.js";
export { toOnnx, toModelProto, liveNodes, type OnnxOptions, DEFAULT_OPSET } from "./onnx.js";
export { compile, CompiledGraph, type RuntimeOptions, DEFAULT_THREADS, DEFAULT_SPINNING, sessionCacheSize, clearSessionCache } from "./runtime.js";
export { evaluate, type EvaluateOptions } from "./reference.js";
export { canonicalDim, dimAdd, dimSub, dimMul, dimDiv, dimEquals, isStaticDim } from "./dims.js";
