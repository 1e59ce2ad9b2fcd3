// Datasets written by stages (rejection sampling, STaR iterations): JSONL rows plus a sidecar `<file>.meta.json`
// with the lineage (source checkpoint, seed, sampling settings, task), both written atomically.
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomicSync } from "../util/atomic.js";

export interface DatasetLineage {
  /** stage that wrote the dataset */
  stage: string;
  /** checkpoint the samples came from */
  sourceCheckpoint?: string;
  seed: number;
  /** sampling settings (temperature, n, max tokens, …) */
  sampling?: Record<string, unknown>;
  task?: string;
  [key: string]: unknown;
}

/** One SFT example with where it came from. */
export interface DatasetRow {
  prompt: string;
  completion: string;
  /** the problem's id in its task */
  problem_id: string;
  [key: string]: unknown;
}

export const metaPath = (file: string): string => `${file}.meta.json`;

export function writeDataset(file: string, rows: readonly DatasetRow[], lineage: DatasetLineage): void {
  writeFileAtomicSync(file, rows.map((r) => JSON.stringify(r) + "\n").join(""));
  writeFileAtomicSync(metaPath(file), JSON.stringify({ rows: rows.length, ...lineage }, null, 2) + "\n");
}

/** Reads a dataset written by writeDataset (or any JSONL of {prompt, completion}); errors name file and line. */
export function readDataset(file: string): { rows: DatasetRow[]; lineage?: DatasetLineage } {
  if (!existsSync(file)) throw new Error(`${file}: dataset does not exist`);
  const rows: DatasetRow[] = [];
  readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: invalid JSON`);
    }
    const x = r as Record<string, unknown>;
    if (typeof x.completion !== "string") throw new Error(`${file}:${i + 1}: field completion: expected a string`);
    if (x.prompt !== undefined && typeof x.prompt !== "string") throw new Error(`${file}:${i + 1}: field prompt: expected a string`);
    rows.push({ ...x, prompt: (x.prompt as string | undefined) ?? "", completion: x.completion, problem_id: String(x.problem_id ?? x.id ?? i) });
  });
  const meta = metaPath(file);
  const lineage = existsSync(meta) ? (JSON.parse(readFileSync(meta, "utf8")) as DatasetLineage) : undefined;
  return { rows, lineage };
}
