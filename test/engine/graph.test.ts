// Symbolic dims, shape inference, constant folding, lean ONNX serialization.
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  Graph, add, concat, dimDiv, dimMul, dimSub, evaluate, grad, matmul, mul, ndarray, reduceMean, reshape, shapeOf, slice,
  toModelProto, toOnnx, transpose, unsqueeze,
} from "../../src/engine/index.js";
import { canonicalDim } from "../../src/engine/dims.js";

const { onnx } = onnxProto;
const opTypes = (g: Graph, opset?: number) => toModelProto(g, { opset }).graph!.node!.map((n) => n.opType);

describe("symbolic dims", () => {
  it("keeps a canonical polynomial form", () => {
    expect(canonicalDim("T+P")).toBe("P+T");
    expect(canonicalDim("T-1+1")).toBe("T");
    expect(dimMul("B", "T")).toBe("B*T");
    expect(dimMul(4, "T")).toBe("4*T");
    expect(dimDiv("4*B*T", "B")).toBe("4*T");
    expect(dimDiv("B*T", 2)).toBeUndefined();
    expect(dimSub("T", 1)).toBe("T-1");
    expect(dimDiv("2*P+2*T", "P+T")).toBe(2);
  });

  it("infers shapes through reshape, slice, concat and broadcasting", () => {
    const g = new Graph();
    const x = g.input("x", "float32", ["B", "T", 8]);
    expect(reshape(x, [-1, 8]).shape).toEqual(["B*T", 8]);
    expect(reshape(x, [0, 0, 2, 4]).shape).toEqual(["B", "T", 2, 4]);
    expect(slice(x, [1], [Infinity], [1]).shape).toEqual(["B", "T-1", 8]);
    expect(slice(x, [0], [-1], [1]).shape).toEqual(["B", "T-1", 8]);
    expect(slice(x, [-3], [Infinity], [1]).shape).toEqual(["B", 3, 8]);
    const p = g.input("p", "float32", ["B", "P", 8]);
    expect(concat([p, x], 1).shape).toEqual(["B", "P+T", 8]);
    expect(add(x, g.input("b", "float32", [1, 8])).shape).toEqual(["B", "T", 8]);
    expect(() => add(x, g.input("c", "float32", [3]))).toThrow(/cannot broadcast/);
    expect(() => matmul(x, g.input("w", "float32", [7, 2]))).toThrow(/inner dims differ/);
  });

  it("the evaluator checks computed shapes against inferred ones", () => {
    const g = new Graph();
    const x = g.input("x", "float64", ["B", "T"]);
    g.output("y", slice(x, [1], [Infinity], [1]));
    const out = evaluate(g, { x: ndarray("float64", [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]) });
    expect(out.y.shape).toEqual([2, 3]);
    expect(Array.from(out.y.data as Float64Array)).toEqual([2, 3, 4, 6, 7, 8]);
  });
});

describe("lean graphs", () => {
  it("folds constants and trivial identities", () => {
    const g = new Graph();
    const x = g.input("x", "float32", [2, 3]);
    const c = mul(g.constant([1, 2, 3], [3]), 2); // folded
    expect(c.isConstant).toBe(true);
    expect(mul(x, 1)).toBe(x);
    expect(add(x, 0)).toBe(x);
    expect(transpose(transpose(x, [1, 0]), [1, 0])).toBe(x);
    expect(shapeOf(x).isConstant).toBe(true);
    g.output("y", add(x, c));
    expect(opTypes(g)).toEqual(["Add"]);
  });

  it("needs no Shape nodes for the backward pass of static graphs", () => {
    const g = new Graph();
    const x = g.input("x", "float32", [4, 3]);
    const w = g.input("w", "float32", [5, 3]);
    const loss = reduceMean(mul(matmul(x, w, { transB: true }), 2), [], false);
    g.output("loss", loss);
    grad(loss, [w]).forEach((d, i) => g.output(`g${i}`, d));
    const ops = opTypes(g);
    expect(ops).not.toContain("Shape");
    expect(ops.filter((o) => o === "MatMul")).toHaveLength(2);
  });

  it("a symbolic batch costs one Shape per symbol at most, reused across the graph", () => {
    const g = new Graph();
    const x = g.input("x", "float32", ["B", "T", 4]);
    const w = g.input("w", "float32", [4, 4]);
    const h = matmul(matmul(x, w), w);
    const loss = reduceMean(h, [], false);
    g.output("loss", loss);
    grad(loss, [w]).forEach((d, i) => g.output(`g${i}`, d));
    const ops = opTypes(g);
    expect(ops.filter((o) => o === "Shape").length).toBeLessThanOrEqual(2);
    expect(ops).not.toContain("Gemm");
  });

  it("emits only nodes reachable from the outputs, and lowers transB to Transpose + MatMul", () => {
    const g = new Graph();
    const x = g.input("x", "float32", [2, 3]);
    const w = g.input("w", "float32", [4, 3]);
    mul(x, 3); // dead
    g.output("y", matmul(x, w, { transB: true }));
    expect(opTypes(g)).toEqual(["Transpose", "MatMul"]);
  });

  it("writes dim_param for symbolic dims and decodes back", () => {
    const g = new Graph("rt");
    const x = g.input("x", "float32", ["B", 3]);
    g.output("y", unsqueeze(x, [0]));
    g.output("x_again", x);
    const m = onnx.ModelProto.decode(toOnnx(g));
    expect(Number(m.opsetImport[0].version)).toBe(17);
    expect(m.graph!.input![0].type!.tensorType!.shape!.dim![0].dimParam).toBe("B");
    expect(m.graph!.output!.map((o) => o.name)).toEqual(["y", "x_again"]);
    expect(m.graph!.node!.map((n) => n.opType)).toEqual(["Unsqueeze", "Identity"]);
  });

  it("moves Reduce* axes to an input for opset 18 and runs there", async () => {
    const g = new Graph("op18");
    const x = g.input("x", "float32", [2, 3]);
    g.output("m", reduceMean(x, [1], false));
    const node = toModelProto(g, { opset: 18 }).graph!.node![0];
    expect(node.input).toHaveLength(2);
    expect(node.attribute!.map((a) => a.name)).toEqual(["keepdims"]);
    expect(() => toOnnx(g, { opset: 16 })).toThrow(/opset must be an integer in \[17/);
    const session = await ort.InferenceSession.create(toOnnx(g, { opset: 18 }));
    const out = await session.run({ x: new ort.Tensor("float32", Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]) });
    expect(Array.from(out.m.data as Float32Array)).toEqual([2, 5]);
    await session.release();
  });
});
