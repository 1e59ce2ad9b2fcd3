// The safetensors format (https://github.com/huggingface/safetensors, README "Format"):
//   8 bytes  N, little-endian u64: header length
//   N bytes  UTF-8 JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
//            starting with "{", right-padded with spaces (writers pad so the data starts 8-byte aligned)
//   rest     the byte buffer, little-endian, row-major; offsets are relative to its start; it must be fully
//            covered by the tensors, without holes or overlaps.
// Reading converts F32/F16/BF16/F64 to float32; writing is F32 only.
import { endianness } from "node:os";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { writeFileAtomic } from "../util/atomic.js";
import { numel } from "./params.js";

const HEADER_LENGTH_BYTES = 8;
const MAX_HEADER_BYTES = 100_000_000; // the reference implementation's limit
const HEADER_ALIGNMENT = 8;
const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};
const READABLE_DTYPES = new Set(["F32", "F16", "BF16", "F64"]);
const METADATA_KEY = "__metadata__";
export const SHARD_INDEX_FILE = "model.safetensors.index.json";
export const WEIGHTS_FILE = "model.safetensors";

if (endianness() !== "LE") throw new Error("safetensors: this implementation needs a little-endian machine");

export interface TensorInfo {
  dtype: string;
  shape: number[];
  /** Absolute byte range in the file. */
  begin: number;
  end: number;
  file: string;
}

/** Anything that serves named tensors as float32: one safetensors file or a sharded checkpoint. */
export interface TensorSource {
  readonly names: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  info(name: string): TensorInfo;
  /** Reads a tensor into `dest` (converting to float32); `dest.length` must equal its element count. */
  readInto(name: string, dest: Float32Array): Promise<void>;
  read(name: string): Promise<Float32Array>;
  close(): Promise<void>;
}

function parseHeader(file: string, bytes: Uint8Array, bufferBytes: number): { tensors: Map<string, TensorInfo>; metadata: Record<string, string> } {
  if (bytes[0] !== 0x7b) throw new Error(`${file}: bad safetensors header (does not start with "{")`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`${file}: bad safetensors header JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new Error(`${file}: bad safetensors header (not a JSON object)`);
  const dataStart = HEADER_LENGTH_BYTES + bytes.length;
  const metadata: Record<string, string> = {};
  const ranges: [number, number, string][] = [];
  const tensors = new Map<string, TensorInfo>();
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof entry !== "object" || entry === null) throw new Error(`${file}: __metadata__ must be an object of strings`);
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== "string") throw new Error(`${file}: __metadata__.${k} must be a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `${file}: tensor ${name}`;
    if (typeof e !== "object" || e === null) throw new Error(`${where}: header entry is not an object`);
    if (typeof e.dtype !== "string" || !(e.dtype in DTYPE_BYTES)) throw new Error(`${where}: unknown dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((s) => Number.isSafeInteger(s) && s >= 0)) throw new Error(`${where}: bad shape ${JSON.stringify(e.shape)}`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[0] > offs[1]) {
      throw new Error(`${where}: bad data_offsets ${JSON.stringify(offs)}`);
    }
    const [b, en] = offs as [number, number];
    const expected = numel(e.shape as number[]) * DTYPE_BYTES[e.dtype];
    if (en - b !== expected) throw new Error(`${where}: data_offsets span ${en - b} bytes, but ${e.dtype}${JSON.stringify(e.shape)} needs ${expected}`);
    if (en > bufferBytes) throw new Error(`${where}: data_offsets [${b}, ${en}] out of range (data is ${bufferBytes} bytes; file truncated?)`);
    ranges.push([b, en, name]);
    tensors.set(name, { dtype: e.dtype, shape: e.shape as number[], begin: dataStart + b, end: dataStart + en, file });
  }
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let cursor = 0;
  for (const [b, en, name] of ranges) {
    if (b !== cursor) throw new Error(`${file}: tensor ${name}: data_offsets [${b}, ${en}] ${b < cursor ? "overlap the previous tensor" : `leave a hole at ${cursor}`}`);
    cursor = en;
  }
  if (cursor !== bufferBytes) throw new Error(`${file}: ${bufferBytes - cursor} trailing bytes not covered by any tensor`);
  return { tensors, metadata };
}

/** Converts raw little-endian bytes of a float dtype to float32, into `dest`. */
function convertInto(dtype: string, raw: Uint8Array, dest: Float32Array): void {
  const n = dest.length;
  if (dtype === "F64") {
    const src = new Float64Array(raw.buffer, raw.byteOffset, n);
    dest.set(src);
  } else if (dtype === "BF16") {
    // bfloat16 is the upper half of a float32
    const src = new Uint16Array(raw.buffer, raw.byteOffset, n);
    const bits = new Uint32Array(dest.buffer, dest.byteOffset, n);
    for (let i = 0; i < n; i++) bits[i] = src[i] << 16;
  } else if (dtype === "F16") {
    const src = new Uint16Array(raw.buffer, raw.byteOffset, n);
    for (let i = 0; i < n; i++) dest[i] = halfToFloat(src[i]);
  } else {
    throw new Error(`unsupported dtype ${dtype}`);
  }
}

/** IEEE 754 binary16 → number: sign·2^(e−15)·(1 + m/1024), subnormals 2^−14·m/1024, e = 31 → Inf/NaN. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Reader over one .safetensors file; tensor data is read on demand. */
export class SafetensorsFile implements TensorSource {
  readonly names: readonly string[];
  private constructor(
    readonly file: string,
    private readonly handle: fsp.FileHandle,
    private readonly tensors: Map<string, TensorInfo>,
    readonly metadata: Readonly<Record<string, string>>,
  ) {
    this.names = [...tensors.keys()];
  }

  static async open(file: string): Promise<SafetensorsFile> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, "r");
    } catch (e) {
      throw new Error(`${file}: cannot open (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    try {
      const size = (await handle.stat()).size;
      if (size < HEADER_LENGTH_BYTES) throw new Error(`${file}: truncated safetensors file (${size} bytes, no header length)`);
      const lenBytes = Buffer.alloc(HEADER_LENGTH_BYTES);
      await handle.read(lenBytes, 0, HEADER_LENGTH_BYTES, 0);
      const headerLen = Number(lenBytes.readBigUInt64LE(0));
      if (headerLen > MAX_HEADER_BYTES) throw new Error(`${file}: bad safetensors header length ${headerLen}`);
      if (HEADER_LENGTH_BYTES + headerLen > size) throw new Error(`${file}: truncated safetensors file (header needs ${headerLen} bytes, file has ${size - HEADER_LENGTH_BYTES})`);
      const header = new Uint8Array(headerLen);
      await handle.read(header, 0, headerLen, HEADER_LENGTH_BYTES);
      const { tensors, metadata } = parseHeader(file, header, size - HEADER_LENGTH_BYTES - headerLen);
      return new SafetensorsFile(file, handle, tensors, metadata);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  info(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (t === undefined) throw new Error(`${this.file}: missing tensor ${name}`);
    return t;
  }

  async readInto(name: string, dest: Float32Array): Promise<void> {
    const t = this.info(name);
    const n = numel(t.shape);
    if (dest.length !== n) throw new Error(`${this.file}: tensor ${name} has shape ${JSON.stringify(t.shape)} (${n} elements), destination holds ${dest.length}`);
    if (!READABLE_DTYPES.has(t.dtype)) throw new Error(`${this.file}: tensor ${name} has dtype ${t.dtype}; only F32, F16, BF16 and F64 can be read as float32`);
    const bytes = t.end - t.begin;
    const raw = t.dtype === "F32" ? new Uint8Array(dest.buffer, dest.byteOffset, bytes) : new Uint8Array(bytes);
    let done = 0;
    while (done < bytes) {
      const { bytesRead } = await this.handle.read(raw, done, bytes - done, t.begin + done);
      if (bytesRead === 0) throw new Error(`${this.file}: tensor ${name}: unexpected end of file`);
      done += bytesRead;
    }
    if (t.dtype !== "F32") convertInto(t.dtype, raw, dest);
  }

  async read(name: string): Promise<Float32Array> {
    const out = new Float32Array(numel(this.info(name).shape));
    await this.readInto(name, out);
    return out;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A sharded checkpoint: model.safetensors.index.json {"metadata": …, "weight_map": {tensor: shard file}}. */
export class ShardedSafetensors implements TensorSource {
  readonly names: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  private constructor(
    private readonly indexFile: string,
    private readonly owner: Map<string, SafetensorsFile>,
    private readonly shards: SafetensorsFile[],
    metadata: Record<string, string>,
  ) {
    this.names = [...owner.keys()];
    this.metadata = metadata;
  }

  static async open(indexFile: string): Promise<ShardedSafetensors> {
    let index: { weight_map?: unknown; metadata?: unknown };
    try {
      index = JSON.parse(await fsp.readFile(indexFile, "utf8"));
    } catch (e) {
      throw new Error(`${indexFile}: cannot read shard index (${(e as Error).message})`);
    }
    const map = index.weight_map;
    if (typeof map !== "object" || map === null) throw new Error(`${indexFile}: missing weight_map`);
    const dir = path.dirname(indexFile);
    const shards = new Map<string, SafetensorsFile>();
    const owner = new Map<string, SafetensorsFile>();
    try {
      for (const [name, shard] of Object.entries(map)) {
        if (typeof shard !== "string") throw new Error(`${indexFile}: weight_map.${name} must be a file name`);
        let f = shards.get(shard);
        if (f === undefined) {
          f = await SafetensorsFile.open(path.join(dir, shard));
          shards.set(shard, f);
        }
        if (!f.names.includes(name)) throw new Error(`${f.file}: missing tensor ${name} (listed in ${indexFile})`);
        owner.set(name, f);
      }
    } catch (e) {
      await Promise.all([...shards.values()].map((f) => f.close()));
      throw e;
    }
    const meta: Record<string, string> = {};
    if (typeof index.metadata === "object" && index.metadata !== null) {
      for (const [k, v] of Object.entries(index.metadata)) meta[k] = String(v);
    }
    return new ShardedSafetensors(indexFile, owner, [...shards.values()], meta);
  }

  private shardOf(name: string): SafetensorsFile {
    const f = this.owner.get(name);
    if (f === undefined) throw new Error(`${this.indexFile}: missing tensor ${name}`);
    return f;
  }

  info(name: string): TensorInfo {
    return this.shardOf(name).info(name);
  }

  readInto(name: string, dest: Float32Array): Promise<void> {
    return this.shardOf(name).readInto(name, dest);
  }

  read(name: string): Promise<Float32Array> {
    return this.shardOf(name).read(name);
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((f) => f.close()));
  }
}

/** Opens a model directory's weights: model.safetensors, else model.safetensors.index.json (sharded). */
export async function openModelWeights(dir: string): Promise<TensorSource> {
  const single = path.join(dir, WEIGHTS_FILE);
  const index = path.join(dir, SHARD_INDEX_FILE);
  const exists = async (f: string) => fsp.access(f).then(() => true, () => false);
  if (await exists(single)) return SafetensorsFile.open(single);
  if (await exists(index)) return ShardedSafetensors.open(index);
  throw new Error(`${dir}: missing ${WEIGHTS_FILE} (or ${SHARD_INDEX_FILE})`);
}

export interface F32Tensor {
  shape: readonly number[];
  data: Float32Array;
}

/** Serializes F32 tensors (in the given order) to safetensors bytes, as chunks that view the tensors' memory. */
export function encodeSafetensors(tensors: Iterable<[string, F32Tensor]>, metadata?: Record<string, string>): Uint8Array[] {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  const chunks: Uint8Array[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === METADATA_KEY || seen.has(name)) throw new Error(`safetensors: duplicate or reserved tensor name ${name}`);
    const n = numel(t.shape);
    if (t.data.length !== n) throw new Error(`safetensors: tensor ${name} has ${t.data.length} elements, shape ${JSON.stringify(t.shape)} needs ${n}`);
    const bytes = n * 4;
    seen.add(name);
    header[name] = { dtype: "F32", shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    chunks.push(new Uint8Array(t.data.buffer, t.data.byteOffset, bytes));
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const jsonBytes = Buffer.byteLength(json, "utf8");
  json += " ".repeat((HEADER_ALIGNMENT - (jsonBytes % HEADER_ALIGNMENT)) % HEADER_ALIGNMENT);
  const headerBytes = Buffer.from(json, "utf8");
  const len = Buffer.alloc(HEADER_LENGTH_BYTES);
  len.writeBigUInt64LE(BigInt(headerBytes.length));
  return [len, headerBytes, ...chunks];
}

/** Writes F32 tensors to a .safetensors file atomically. */
export async function writeSafetensors(file: string, tensors: Iterable<[string, F32Tensor]>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}

/** Reads every tensor of a file as float32 (small files, tests). */
export async function readSafetensors(file: string): Promise<{ tensors: Map<string, F32Tensor>; metadata: Record<string, string> }> {
  const f = await SafetensorsFile.open(file);
  try {
    const tensors = new Map<string, F32Tensor>();
    for (const name of f.names) tensors.set(name, { shape: f.info(name).shape, data: await f.read(name) });
    return { tensors, metadata: { ...f.metadata } };
  } finally {
    await f.close();
  }
}
