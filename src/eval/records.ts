// The files of an evaluation directory:
//   eval.json      the settings that decide what is sampled (a resumed run must match them)
//   results.jsonl  one line per sample, written problem by problem (all n lines of a problem in one append)
//   summary.json   metrics over every problem in results.jsonl
// Resume: lines of problems with all n samples are kept; a torn last line and the lines of a problem cut short by a
// crash are dropped (the file is rewritten without them), and those problems are sampled again.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../util/atomic.js";
import type { ForcedSegment } from "./sample.js";

export const RESULTS_FILE = "results.jsonl";
export const SETTINGS_FILE = "eval.json";
export const SUMMARY_FILE = "summary.json";
export const SETTINGS_FORMAT = "ratio-eval/1";

/** One line of results.jsonl. `extracted` is what the scorer read as the answer; `gold` the reference answer. */
export interface EvalRecord {
  problem_id: string;
  sample_index: number;
  task: string;
  /** the thinking budget B (budget forcing with max) */
  budget: number | null;
  completion: string;
  tokens: number | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
  extracted: string | null;
  correct: boolean;
  reward: number;
  reason: string;
  gold: string;
  finish_reason: "stop" | "length";
  extensions: number;
  forced_end: boolean;
  cut_tokens: number;
  forced_segments: ForcedSegment[];
  mean_logprob: number | null;
}

function isRecord(x: unknown): x is EvalRecord {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r.problem_id === "string" && Number.isInteger(r.sample_index) && typeof r.correct === "boolean" && typeof r.completion === "string";
}

export interface ExistingResults {
  records: EvalRecord[];
  /** problems with all n samples */
  done: Set<string>;
  /** lines dropped (torn, or of problems with fewer than n samples) */
  dropped: number;
}

/** Reads results.jsonl for a resume, keeping complete problems only (and rewriting the file if anything is dropped). */
export async function readResults(file: string, n: number): Promise<ExistingResults> {
  if (!existsSync(file)) return { records: [], done: new Set(), dropped: 0 };
  const lines = readFileSync(file, "utf8").split("\n");
  const parsed: { line: string; rec: EvalRecord }[] = [];
  let dropped = 0;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // a torn line can only be the last one written
      if (lines.slice(i + 1).every((l) => l.trim() === "")) { dropped++; return; }
      throw new Error(`${file}:${i + 1}: malformed JSON (not the last line, so not a torn write: the file was edited?)`);
    }
    if (!isRecord(value)) throw new Error(`${file}:${i + 1}: not an eval record (problem_id, sample_index, completion, correct)`);
    parsed.push({ line, rec: value });
  });
  const byProblem = new Map<string, EvalRecord[]>();
  for (const { rec } of parsed) {
    let list = byProblem.get(rec.problem_id);
    if (!list) byProblem.set(rec.problem_id, (list = []));
    list.push(rec);
  }
  const done = new Set<string>();
  for (const [id, list] of byProblem) {
    const indices = new Set(list.map((r) => r.sample_index));
    if (list.length === n && indices.size === n && [...indices].every((s) => s >= 0 && s < n)) done.add(id);
  }
  const kept = parsed.filter((p) => done.has(p.rec.problem_id));
  dropped += parsed.length - kept.length;
  if (dropped > 0) await writeFileAtomic(file, kept.map((p) => p.line + "\n").join(""));
  return { records: kept.map((p) => p.rec), done, dropped };
}

/** Appends one problem's records in one write (a crash loses at most the problems being written). */
export function appendProblem(file: string, records: readonly EvalRecord[]): void {
  appendFileSync(file, records.map((r) => JSON.stringify(r) + "\n").join(""));
}

/** The first setting that differs between a saved eval.json and this run's, or null. */
export function settingsDiff(saved: Record<string, unknown>, current: Record<string, unknown>): string | null {
  for (const key of new Set([...Object.keys(saved), ...Object.keys(current)])) {
    const a = JSON.stringify(saved[key] ?? null);
    const b = JSON.stringify(current[key] ?? null);
    if (a !== b) return `${key}: ${a} before, ${b} now`;
  }
  return null;
}
