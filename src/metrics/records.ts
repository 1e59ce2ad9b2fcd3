// Reading per-sample correctness records from JSONL, one sample per line:
//   {"id": "p1", "correct": true, "answer": "42"}
// also the output of `ratio score` joined with ids: `problem_id` for `id`, `extracted` for `answer`.
// `correct` is a boolean (0/1 accepted); the answer is a string, a number (kept as written) or null.
// Blank lines are skipped. Errors name the file and line.
import type { SampleRecord } from "./evaluate.js";

function fail(file: string, line: number, what: string): never {
  throw new Error(`${file}:${line}: ${what}`);
}

function pick(obj: Record<string, unknown>, names: readonly string[]): [string, unknown] | null {
  for (const name of names) if (Object.hasOwn(obj, name) && obj[name] !== undefined) return [name, obj[name]];
  return null;
}

export function parseSampleRecord(text: string, file: string, line: number): SampleRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail(file, line, `malformed JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(file, line, "expected a JSON object");
  const obj = value as Record<string, unknown>;
  const idField = pick(obj, ["id", "problem_id"]);
  if (!idField && typeof obj.error === "string") {
    fail(file, line, `an error line of ratio score, not a sample (${obj.error.split("\n")[0]}); fix that input line and score again, or drop this line`);
  }
  if (!idField) fail(file, line, `missing field "id" (or "problem_id")`);
  const [idName, id] = idField;
  if (typeof id !== "string" && !(typeof id === "number" && Number.isFinite(id))) fail(file, line, `field "${idName}" must be a string or a number, got ${JSON.stringify(id)}`);
  if (!Object.hasOwn(obj, "correct")) fail(file, line, `missing field "correct"`);
  let correct: boolean;
  if (typeof obj.correct === "boolean") correct = obj.correct;
  else if (obj.correct === 0 || obj.correct === 1) correct = obj.correct === 1;
  else fail(file, line, `field "correct" must be true/false (or 0/1), got ${JSON.stringify(obj.correct)}`);
  const answerField = pick(obj, ["answer", "extracted"]);
  let answer: string | null = null;
  if (answerField) {
    const [name, a] = answerField;
    if (typeof a === "string") answer = a;
    else if (typeof a === "number" && Number.isFinite(a)) answer = String(a);
    else if (a !== null) fail(file, line, `field "${name}" must be a string, a number or null, got ${JSON.stringify(a)}`);
  }
  return { id, correct, answer };
}

/** Parses a whole JSONL text; `file` is used in error messages only. */
export function parseSampleRecords(text: string, file: string): SampleRecord[] {
  const records: SampleRecord[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.length > 0) records.push(parseSampleRecord(line, file, i + 1));
  });
  if (records.length === 0) throw new Error(`${file}: no records (expected JSONL lines like {"id": "p1", "correct": true, "answer": "42"})`);
  return records;
}
