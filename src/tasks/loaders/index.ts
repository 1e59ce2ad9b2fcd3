// Dataset loading: JSONL / JSON / parquet files → Examples, through a preset (GSM8K, MATH, CommonsenseQA, plain,
// countdown) and an optional field mapping. Errors name the file, the line (or element/row) and the field.
import { basename } from "node:path";
import type { CountdownPreset } from "../countdown/rules.js";
import type { Example } from "../types.js";
import { DatasetError, getPath, normalizeValue, parseFieldMapping } from "./fields.js";
import { DATASET_PRESETS, PRESETS, isCountdownPreset, type DatasetPreset } from "./presets.js";
import { formatOf, readRecords, type DatasetFormat } from "./read.js";

export { DatasetError, getPath, parseFieldMapping } from "./fields.js";
export { DATASET_PRESETS, gsm8kGold, type DatasetPreset } from "./presets.js";
export { formatOf, readRecords, type DatasetFormat, type SourceRecord } from "./read.js";

export interface LoadOptions {
  /** Default "plain". */
  preset?: DatasetPreset;
  /** Logical field → record path, e.g. { question: "problem" } (a config's `dataset.fields`). */
  fields?: Record<string, string>;
  /** Default: from the file extension. */
  format?: DatasetFormat;
  /** Skip this many records first. */
  offset?: number;
  /** Read at most this many records. */
  limit?: number;
  /** Rule set for the countdown preset (default "tinyzero"). */
  countdownPreset?: CountdownPreset;
  /** Keep the whole source record under metadata.record (for rewards that read extra columns). */
  keepRecord?: boolean;
}

/** Loads a dataset file into examples; metadata.task names the task that scores them, metadata.source the record. */
export async function loadDataset(file: string, opts: LoadOptions = {}): Promise<Example[]> {
  const preset = opts.preset ?? "plain";
  if (!DATASET_PRESETS.includes(preset)) throw new DatasetError(`unknown dataset preset "${String(preset)}" (expected one of: ${DATASET_PRESETS.join(", ")})`);
  const spec = PRESETS[preset];
  const allowed = [...Object.keys(spec.fields), "id"];
  const mapping = opts.fields ?? {};
  for (const name of Object.keys(mapping)) {
    if (!allowed.includes(name)) throw new DatasetError(`field mapping "${name}=${mapping[name]}": preset "${preset}" has no field "${name}" (expected one of: ${allowed.join(", ")})`);
  }
  const countdownPreset = opts.countdownPreset ?? "tinyzero";
  if (!isCountdownPreset(countdownPreset)) throw new DatasetError(`unknown countdown preset "${String(countdownPreset)}"`);
  for (const [k, v] of [["offset", opts.offset], ["limit", opts.limit]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new DatasetError(`${k} must be a non-negative integer, got ${String(v)}`);
  }
  const paths: Record<string, string> = { ...spec.fields, id: "id", ...mapping };
  const records = await readRecords(file, opts.format ?? formatOf(file), opts.offset ?? 0, opts.limit ?? Infinity);
  const name = basename(file);
  return records.map(({ record, where }, i) => {
    const rawId = getPath(record, paths.id);
    const id = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : `${name}:${(opts.offset ?? 0) + i + 1}`;
    const ex = spec.build(record, { where, paths, id, countdownPreset });
    ex.metadata = { ...ex.metadata, task: spec.task, source: where, ...(opts.keepRecord ? { record: normalizeValue(record) } : {}) };
    return ex;
  });
}

/** Parses field-mapping specs (`name=path`), checking the names against the preset. */
export function fieldMappingFor(preset: DatasetPreset, specs: string | readonly string[]): Record<string, string> {
  return parseFieldMapping(specs, [...Object.keys(PRESETS[preset].fields), "id"]);
}
