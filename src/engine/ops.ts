// The engine's op set: free functions over graph Values (the graph is taken from the arguments), numpy/ONNX
// broadcasting, static shape inference over symbolic dims. Each op lowers to standard ONNX opset-17 ops.
export {
  type Operand, abs, add, and, cast, ceil, clip, cos, div, equal, exp, floor, greater, greaterOrEqual, less, lessOrEqual, log,
  maximum, minimum, mul, neg, not, or, pow, reciprocal, relu, sigmoid, sign, sin, sqrt, stopGradient, sub, tanh, where,
} from "./ops/elementwise.js";
export { MS_DOMAIN, rmsNormFused, rotaryFused } from "./ops/fused.js";
export { gather, gatherElements, oneHot, scatterElements } from "./ops/indexing.js";
export { type MatMulOptions, argMax, logSoftmax, matmul, reduceMax, reduceMean, reduceMin, reduceSum, softmax } from "./ops/reduce.js";
export {
  arange, concat, expand, full, pad, reshape, reshapeTo, shapeOf, slice, split, squeeze, transpose, unsqueeze, zerosLike,
} from "./ops/shape.js";
export { broadcastDims, dimTensor } from "./ops/util.js";
