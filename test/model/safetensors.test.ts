import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { freshDir } from "../fixtures/tmp.js";
import { describe, expect, it } from "vitest";
import {
  encodeSafetensors,
  halfToFloat,
  openModelWeights,
  readSafetensors,
  SafetensorsFile,
  writeSafetensors,
} from "../../src/model/safetensors.js";
import { PYTHON_FIXTURE_FILES } from "../fixtures/python-fixture-files.js";
import { hasPython3, pythonFixtureDir, runPythonWriter } from "../fixtures/python-fixture.js";

const fresh = () => freshDir("ratio-st-");

/** Builds a file from a raw header object and data bytes (for corrupt-file cases). */
function rawFile(header: unknown, data: Uint8Array, headerText?: string): string {
  const text = Buffer.from(headerText ?? JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  const f = path.join(fresh(), "bad.safetensors");
  writeFileSync(f, Buffer.concat([len, text, data]));
  return f;
}

describe("safetensors", () => {
  it("round-trips F32 tensors bit-exactly, with metadata and 8-byte aligned data", async () => {
    const f = path.join(fresh(), "x.safetensors");
    const a = new Float32Array([1, -2.5, NaN, Infinity, -0, 3e-42]);
    const b = new Float32Array([0.1]);
    await writeSafetensors(f, [["layer.a", { shape: [2, 3], data: a }], ["b", { shape: [], data: b }], ["empty", { shape: [0, 4], data: new Float32Array(0) }]], { format: "pt" });
    const bytes = readFileSync(f);
    const headerLen = Number(bytes.readBigUInt64LE(0));
    expect((8 + headerLen) % 8).toBe(0);
    const { tensors, metadata } = await readSafetensors(f);
    expect(metadata).toEqual({ format: "pt" });
    expect([...tensors.keys()]).toEqual(["layer.a", "b", "empty"]);
    expect(tensors.get("layer.a")?.shape).toEqual([2, 3]);
    expect(Buffer.from(tensors.get("layer.a")!.data.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(tensors.get("b")?.shape).toEqual([]);
    expect(tensors.get("b")?.data[0]).toBe(Math.fround(0.1));
    expect(tensors.get("empty")?.data.length).toBe(0);
  });

  it("reads a file written by an independent writer (python struct + json): F32, F16, BF16, F64, scalar", async () => {
    const { dir } = pythonFixtureDir();
    const { tensors, metadata } = await readSafetensors(path.join(dir, "tensors.safetensors"));
    expect(metadata).toEqual({ format: "pt", writer: "python-struct" });
    const get = (n: string) => Array.from(tensors.get(n)!.data);
    expect(tensors.get("a.f32")!.shape).toEqual([2, 3]);
    expect(get("a.f32")).toEqual([0, 1.5, -2, 3.25, 1e-3, -7e5].map(Math.fround));
    expect(get("b.f16")).toEqual([1, -0.5, 65504, 2 ** -14, 2 ** -24]);
    expect(get("c.bf16")).toEqual([1, -2.5, 3.140625, -0.0078125]);
    expect(get("d.f64")).toEqual([0.1, -1e10, 2.5].map(Math.fround));
    expect(tensors.get("e.scalar")!.shape).toEqual([]);
    expect(get("e.scalar")).toEqual([7]);
  });

  it.runIf(hasPython3())("committed fixture bytes equal the python writer's output", () => {
    const dir = runPythonWriter();
    for (const [name, b64] of Object.entries(PYTHON_FIXTURE_FILES)) {
      expect(readFileSync(path.join(dir, name)).toString("base64"), name).toBe(b64);
    }
  });

  it("converts half precision exactly, including subnormals, infinities and NaN", () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
  });

  it("names the file and tensor in errors for corrupt files", async () => {
    const good = path.join(fresh(), "g.safetensors");
    await writeSafetensors(good, [["w", { shape: [4], data: new Float32Array(4) }]]);
    const bytes = readFileSync(good);
    const truncated = path.join(fresh(), "t.safetensors");
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 3));
    await expect(SafetensorsFile.open(truncated)).rejects.toThrow(`${truncated}: tensor w: data_offsets [0, 16] out of range (data is 13 bytes; file truncated?)`);
    const tiny = path.join(fresh(), "tiny.safetensors");
    writeFileSync(tiny, bytes.subarray(0, 5));
    await expect(SafetensorsFile.open(tiny)).rejects.toThrow(`${tiny}: truncated safetensors file (5 bytes, no header length)`);
    const cutHeader = path.join(fresh(), "h.safetensors");
    writeFileSync(cutHeader, bytes.subarray(0, 20));
    await expect(SafetensorsFile.open(cutHeader)).rejects.toThrow(/h\.safetensors: truncated safetensors file \(header needs \d+ bytes, file has 12\)/);

    const badJson = rawFile(null, new Uint8Array(0), '{"w": {"dtype": "F32",');
    await expect(SafetensorsFile.open(badJson)).rejects.toThrow(new RegExp(`${badJson}: bad safetensors header JSON`));
    const notObj = rawFile(null, new Uint8Array(0), "[1, 2]");
    await expect(SafetensorsFile.open(notObj)).rejects.toThrow(/does not start with "\{"/);
    const wrongSpan = rawFile({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8));
    await expect(SafetensorsFile.open(wrongSpan)).rejects.toThrow(`${wrongSpan}: tensor w: data_offsets span 8 bytes, but F32[3] needs 12`);
    const hole = rawFile({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8));
    await expect(SafetensorsFile.open(hole)).rejects.toThrow(`${hole}: tensor a: data_offsets [4, 8] leave a hole at 0`);
    const trailing = rawFile({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8));
    await expect(SafetensorsFile.open(trailing)).rejects.toThrow(`${trailing}: 4 trailing bytes not covered by any tensor`);
    const dtype = rawFile({ a: { dtype: "Q4", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    await expect(SafetensorsFile.open(dtype)).rejects.toThrow(`${dtype}: tensor a: unknown dtype "Q4"`);

    const ints = rawFile({ a: { dtype: "I32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    const f = await SafetensorsFile.open(ints);
    await expect(f.read("a")).rejects.toThrow(`${ints}: tensor a has dtype I32; only F32, F16, BF16 and F64 can be read as float32`);
    await expect(f.read("b")).rejects.toThrow(`${ints}: missing tensor b`);
    await expect(f.readInto("a", new Float32Array(2))).rejects.toThrow(`${ints}: tensor a has shape [1] (1 elements), destination holds 2`);
    await f.close();
    await expect(SafetensorsFile.open("/nonexistent.safetensors")).rejects.toThrow("/nonexistent.safetensors: cannot open (ENOENT)");
  });

  it("rejects inconsistent tensors when writing", () => {
    expect(() => encodeSafetensors([["a", { shape: [2, 2], data: new Float32Array(3) }]])).toThrow(/tensor a has 3 elements, shape \[2,2\] needs 4/);
    const t = { shape: [1], data: new Float32Array(1) };
    expect(() => encodeSafetensors([["a", t], ["a", t]])).toThrow(/duplicate or reserved tensor name a/);
  });

  it("reads sharded checkpoints through model.safetensors.index.json", async () => {
    const dir = fresh();
    await writeSafetensors(path.join(dir, "model-00001-of-00002.safetensors"), [["x", { shape: [2], data: new Float32Array([1, 2]) }]]);
    await writeSafetensors(path.join(dir, "model-00002-of-00002.safetensors"), [["y", { shape: [1], data: new Float32Array([3]) }]]);
    const index = { metadata: { total_size: 12 }, weight_map: { x: "model-00001-of-00002.safetensors", y: "model-00002-of-00002.safetensors" } };
    writeFileSync(path.join(dir, "model.safetensors.index.json"), JSON.stringify(index));
    const src = await openModelWeights(dir);
    expect([...src.names].sort()).toEqual(["x", "y"]);
    expect(Array.from(await src.read("y"))).toEqual([3]);
    expect(src.info("x").file).toBe(path.join(dir, "model-00001-of-00002.safetensors"));
    expect(src.metadata.total_size).toBe("12");
    await src.close();
    writeFileSync(path.join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { ...index.weight_map, z: "model-00002-of-00002.safetensors" } }));
    await expect(openModelWeights(dir)).rejects.toThrow(/model-00002-of-00002\.safetensors: missing tensor z \(listed in .*model\.safetensors\.index\.json\)/);
    await expect(openModelWeights(fresh())).rejects.toThrow(/missing model\.safetensors \(or model\.safetensors\.index\.json\)/);
  });
});
