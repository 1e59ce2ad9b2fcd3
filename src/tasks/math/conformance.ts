/**
 * Conformance against an external suite of (gold, prediction, expected) cases — the verdicts stated in Hugging Face
 * Math-Verify's tests (conformance/math-verify/). Each case is graded with verifyMath and compared with the
 * stated verdict; the report counts agreement, false positives (Ratio says equal, the suite says not) and false
 * negatives, per category. Cases marked `suspect` (the stated verdict looks wrong) are listed but not counted.
 *
 * How a prediction is presented (`pred_form`): `answer` is a bare answer and is graded as `\boxed{…}`; `marked`
 * (it has a box, "the answer is" or tags), `text` and `prose` are whole completions, graded as given. The gold is
 * passed as given (verifyMath reads a gold written as a whole solution through its box or "final answer is").
 */
import { verifyMath, type MathVerifyOptions } from "./verify.js";

export interface ConformanceCase {
  readonly id: string;
  readonly gold: string;
  readonly prediction: string;
  readonly expected: boolean;
  readonly category: string;
  readonly predForm: "answer" | "marked" | "text" | "prose";
  /** Why the stated verdict looks wrong; such a case is not counted. */
  readonly suspect: string | null;
}

export interface ConformanceOutcome {
  readonly case: ConformanceCase;
  readonly correct: boolean;
  readonly extracted: string | null;
  readonly reason: string;
}

export interface CategoryTally {
  readonly category: string;
  readonly counted: number;
  readonly agree: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

export interface ConformanceReport {
  readonly total: number;
  readonly counted: number;
  readonly agree: number;
  /** agree / counted. */
  readonly agreement: number;
  readonly falsePositives: readonly ConformanceOutcome[];
  readonly falseNegatives: readonly ConformanceOutcome[];
  readonly suspect: readonly ConformanceOutcome[];
  readonly categories: readonly CategoryTally[];
}

const PRED_FORMS = ["answer", "marked", "text", "prose"] as const;

/** Parse the suite's JSONL; a malformed line is an error naming the file, the line and the field. */
export function parseConformanceCases(text: string, file: string): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const where = `${file}:${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(lines[i]);
    } catch (e) {
      throw new Error(`${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new Error(`${where}: expected a JSON object`);
    const r = row as Record<string, unknown>;
    for (const field of ["id", "gold", "prediction", "category"] as const) {
      if (typeof r[field] !== "string") throw new Error(`${where}: field "${field}" must be a string`);
    }
    if (typeof r.expected !== "boolean") throw new Error(`${where}: field "expected" must be true or false`);
    const form = r.pred_form;
    if (typeof form !== "string" || !(PRED_FORMS as readonly string[]).includes(form)) {
      throw new Error(`${where}: field "pred_form" must be one of ${PRED_FORMS.join(", ")}`);
    }
    const suspect = r.suspect === undefined || r.suspect === false ? null : r.suspect === true ? "suspect" : String(r.suspect);
    out.push({
      id: r.id as string,
      gold: r.gold as string,
      prediction: r.prediction as string,
      expected: r.expected,
      category: r.category as string,
      predForm: form as ConformanceCase["predForm"],
      suspect,
    });
  }
  return out;
}

/** The completion a case's prediction is graded as (see the header). */
export function presentPrediction(c: ConformanceCase): string {
  return c.predForm === "answer" ? `\\boxed{${c.prediction}}` : c.prediction;
}

/** Grade every case and tally the agreement with the stated verdicts. */
export function runConformance(cases: readonly ConformanceCase[], opts?: MathVerifyOptions): ConformanceReport {
  const outcomes = cases.map((c): ConformanceOutcome => {
    const v = verifyMath(c.gold, presentPrediction(c), opts);
    return { case: c, correct: v.correct, extracted: v.extracted, reason: v.reason };
  });
  const counted = outcomes.filter((o) => o.case.suspect === null);
  const tallies = new Map<string, { counted: number; agree: number; falsePositives: number; falseNegatives: number }>();
  for (const o of counted) {
    const t = tallies.get(o.case.category) ?? { counted: 0, agree: 0, falsePositives: 0, falseNegatives: 0 };
    t.counted++;
    if (o.correct === o.case.expected) t.agree++;
    else if (o.correct) t.falsePositives++;
    else t.falseNegatives++;
    tallies.set(o.case.category, t);
  }
  const agree = counted.filter((o) => o.correct === o.case.expected).length;
  return {
    total: cases.length,
    counted: counted.length,
    agree,
    agreement: counted.length === 0 ? 0 : agree / counted.length,
    falsePositives: counted.filter((o) => o.correct && !o.case.expected),
    falseNegatives: counted.filter((o) => !o.correct && o.case.expected),
    suspect: outcomes.filter((o) => o.case.suspect !== null),
    categories: [...tallies.entries()]
      .map(([category, t]) => ({ category, ...t }))
      .sort((a, b) => b.counted - a.counted || a.category.localeCompare(b.category)),
  };
}

const percent = (a: number, b: number): string => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)} %`);

/** A plain-text table: one row per category, then the total and every disagreement. */
export function formatConformanceReport(r: ConformanceReport): string {
  const rows = r.categories.map((t) => [t.category, `${t.agree}/${t.counted}`, percent(t.agree, t.counted), String(t.falsePositives), String(t.falseNegatives)]);
  rows.push(["total", `${r.agree}/${r.counted}`, percent(r.agree, r.counted), String(r.falsePositives.length), String(r.falseNegatives.length)]);
  const head = ["category", "agree", "%", "false pos.", "false neg."];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cols: string[]): string => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const out = [line(head), ...rows.map(line)];
  if (r.suspect.length > 0) out.push(`not counted (suspect verdict): ${r.suspect.map((o) => o.case.id).join(", ")}`);
  for (const o of [...r.falsePositives, ...r.falseNegatives]) {
    const kind = o.correct ? "false positive" : "false negative";
    out.push(`${kind}: ${o.case.id} [${o.case.category}] extracted ${JSON.stringify(o.extracted)} (${o.reason})`);
  }
  return out.join("\n");
}
