// Record readers for JSONL, JSON (an array of objects) and parquet files, each record with its location.
import { createReadStream, promises as fs } from "node:fs";
import { createInterface } from "node:readline";
import { DatasetError, normalizeValue } from "./fields.js";

export type DatasetFormat = "jsonl" | "json" | "parquet";

export interface SourceRecord {
  record: Record<string, unknown>;
  /** "file:12" (JSONL line), "file: element 3" (JSON array), "file: row 3" (parquet), all 1-based. */
  where: string;
}

export function formatOf(file: string): DatasetFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".parquet")) return "parquet";
  throw new DatasetError(`${file}: cannot tell the format from the extension (expected .jsonl, .json or .parquet, or pass a format)`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Reads records [offset, offset + limit) from the file. */
export async function readRecords(file: string, format: DatasetFormat, offset = 0, limit = Infinity): Promise<SourceRecord[]> {
  try {
    await fs.access(file);
  } catch {
    throw new DatasetError(`${file}: file not found`);
  }
  if (format === "jsonl") return readJsonl(file, offset, limit);
  if (format === "json") return readJsonArray(file, offset, limit);
  return readParquet(file, offset, limit);
}

async function readJsonl(file: string, offset: number, limit: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNo = 0;
  let seen = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw; // a UTF-8 byte order mark (files saved on Windows)
      if (line.trim() === "") continue;
      if (seen++ < offset) continue;
      if (out.length >= limit) break;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw new DatasetError(`${file}:${lineNo}: invalid JSON (${(e as Error).message.split("\n")[0]})`);
      }
      if (!isObject(value)) throw new DatasetError(`${file}:${lineNo}: expected a JSON object, got ${Array.isArray(value) ? "an array" : typeof value}`);
      out.push({ record: value, where: `${file}:${lineNo}` });
    }
  } finally {
    lines.close();
  }
  return out;
}

async function readJsonArray(file: string, offset: number, limit: number): Promise<SourceRecord[]> {
  let value: unknown;
  try {
    value = JSON.parse((await fs.readFile(file, "utf8")).replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new DatasetError(`${file}: invalid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  const items = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.data) ? value.data : null;
  if (!items) throw new DatasetError(`${file}: expected a JSON array of objects (or {"data": [...]})`);
  const out: SourceRecord[] = [];
  for (let i = offset; i < items.length && out.length < limit; i++) {
    const item: unknown = items[i];
    if (!isObject(item)) throw new DatasetError(`${file}: element ${i + 1}: expected a JSON object`);
    out.push({ record: item, where: `${file}: element ${i + 1}` });
  }
  return out;
}

async function readParquet(file: string, offset: number, limit: number): Promise<SourceRecord[]> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import("hyparquet");
  let rows: Record<string, unknown>[];
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const total = Number(metadata.num_rows);
    const end = Math.min(total, offset + limit);
    if (offset >= end) return [];
    rows = await parquetReadObjects({ file: buffer, metadata, rowStart: offset, rowEnd: end });
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`${file}: cannot read parquet (${(e as Error).message.split("\n")[0]})`);
  }
  return rows.map((r, i) => ({ record: normalizeValue(r) as Record<string, unknown>, where: `${file}: row ${offset + i + 1}` }));
}
