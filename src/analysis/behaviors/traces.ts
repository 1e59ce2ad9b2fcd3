// Traces to analyse, read from any JSONL: a run's samples.jsonl (stage, step, prompt, completion), `ratio eval`
// results.jsonl (problem_id, sample_index, completion), a dataset (completion, or completions: [...]) or plain
// {text}. Each row gives one trace per string of its text field (several when the field is an array).
import { readFileSync } from "node:fs";
import { BEHAVIORS, type Behavior } from "./detect.js";
import type { JudgeContext } from "./judge-prompts.js";

/** Fields tried, in order, when no --field is given. */
export const DEFAULT_TEXT_FIELDS = ["completion", "completions", "text", "trace", "response", "output"] as const;

export interface Trace {
  /** row id (id, problem_id#sample_index, or "line N"), with "/j" for the j-th string of an array field */
  id: string;
  /** 1-based line of the input */
  line: number;
  stage?: string;
  step?: number;
  text: string;
  context: JudgeContext;
  /** hand labels (the labelled-set format: labels, counts, split) when the row has them */
  labels?: Behavior[];
  counts?: Partial<Record<Behavior, number>>;
  split?: string;
}

type Row = Record<string, unknown>;

const isNumberArray = (x: unknown): x is number[] => Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === "number" && Number.isFinite(v));

/** Countdown numbers and target from a TinyZero prompt ("Using the numbers [..], … equals T") or an SoS header. */
export function countdownFromPrompt(prompt: string): { numbers: number[]; target: number } | null {
  const tz = /Using the numbers \[([\d,\s]+)\], create an equation that equals (\d+)/.exec(prompt);
  if (tz) return { numbers: tz[1].split(",").map((s) => Number(s.trim())), target: Number(tz[2]) };
  const sos = /Current State: (\d+):\[([\d,\s]+)\], Operations: \[\]/.exec(prompt);
  if (sos) return { numbers: sos[2].split(",").map((s) => Number(s.trim())), target: Number(sos[1]) };
  return null;
}

function contextOf(row: Row): JudgeContext {
  const problem = [row.prompt, row.question, row.problem].find((v): v is string => typeof v === "string");
  const numbers = isNumberArray(row.nums) ? row.nums : isNumberArray(row.numbers) ? row.numbers : undefined;
  const target = typeof row.target === "number" && Number.isFinite(row.target) ? row.target : undefined;
  if (numbers && target !== undefined) return { numbers, target, ...(problem ? { problem } : {}) };
  const parsed = problem ? countdownFromPrompt(problem) : null;
  return { ...(parsed ?? {}), ...(problem ? { problem } : {}) };
}

function labelsOf(row: Row, where: string): Pick<Trace, "labels" | "counts" | "split"> {
  const out: Pick<Trace, "labels" | "counts" | "split"> = {};
  if (row.labels !== undefined) {
    if (!Array.isArray(row.labels) || !row.labels.every((l) => (BEHAVIORS as readonly unknown[]).includes(l))) {
      throw new Error(`${where}: field "labels" must be a list of behaviors (${BEHAVIORS.join(", ")})`);
    }
    out.labels = row.labels as Behavior[];
  }
  if (row.counts !== undefined) {
    const c = row.counts;
    if (typeof c !== "object" || c === null || Array.isArray(c) || !Object.entries(c).every(([k, v]) => (BEHAVIORS as readonly string[]).includes(k) && Number.isInteger(v) && (v as number) >= 0)) {
      throw new Error(`${where}: field "counts" must map behaviors to non-negative integers`);
    }
    out.counts = c as Partial<Record<Behavior, number>>;
  }
  if (typeof row.split === "string") out.split = row.split;
  return out;
}

function idOf(row: Row, line: number): string {
  if (typeof row.id === "string" || typeof row.id === "number") return String(row.id);
  if (typeof row.problem_id === "string") return Number.isInteger(row.sample_index) ? `${row.problem_id}#${row.sample_index}` : row.problem_id;
  return `line ${line}`;
}

/** Traces of a JSONL text; `file` names it in errors ("file:line: …"). Throws on bad JSON or a missing field. */
export function parseTraces(source: string, file: string, field?: string): Trace[] {
  const out: Trace[] = [];
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "") continue;
    const line = i + 1, where = `${file}:${line}`;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch (e) {
      throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new Error(`${where}: expected a JSON object per line`);
    const r = row as Row;
    const name = field ?? DEFAULT_TEXT_FIELDS.find((f) => r[f] !== undefined);
    if (name === undefined) throw new Error(`${where}: no trace text (none of the fields ${DEFAULT_TEXT_FIELDS.join(", ")}; name yours with --field)`);
    const value = r[name];
    if (value === undefined) throw new Error(`${where}: missing field "${name}" (the row has ${Object.keys(r).join(", ") || "no fields"})`);
    const texts = typeof value === "string" ? [value] : Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
    if (texts === null) throw new Error(`${where}: field "${name}" must be a string or a list of strings`);
    const stage = typeof r.stage === "string" ? r.stage : undefined;
    const step = typeof r.step === "number" && Number.isFinite(r.step) ? r.step : undefined;
    const base = { line, ...(stage !== undefined ? { stage } : {}), ...(step !== undefined ? { step } : {}), context: contextOf(r), ...labelsOf(r, where) };
    const id = idOf(r, line);
    texts.forEach((text, j) => out.push({ ...base, id: texts.length > 1 || Array.isArray(value) ? `${id}/${j}` : id, text }));
  }
  return out;
}

/** Traces of a JSONL file (see parseTraces). */
export function readTraces(file: string, field?: string): Trace[] {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`--input ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, expected a JSONL file" : (e as Error).message}`);
  }
  const traces = parseTraces(source, file, field);
  if (traces.length === 0) throw new Error(`--input ${file}: no traces (the file has no JSON rows)`);
  return traces;
}
