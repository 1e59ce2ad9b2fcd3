/**
 * Public entry points: verifyMath (extract from a completion, then compare), mathEqual (compare two answers).
 * Neither throws on any input text; invalid options are programmer errors and throw a one-line RangeError.
 */
import { type CompareContext, type PercentMode, shapesEqual, type Verdict } from "./equal.js";
import { extractMarkedAnswer, extractMathAnswer } from "./extract.js";
import { readDecimalCommas } from "./decimal-comma.js";
import { normalizeAnswer } from "./normalize.js";
import { parseShape } from "./structure.js";

/** Default relative tolerance for numeric comparison (Qwen2.5-Math uses 1e-4; Math-Verify rounds to 6 digits). */
export const DEFAULT_REL_TOL = 1e-6;

export interface MathVerifyOptions {
  /** Relative tolerance |a − b| ≤ relTol · max(|a|, |b|); default 1e-6. */
  relTol?: number;
  /** Extract the final answer from the completion first (default true); false compares the text as given. */
  extract?: boolean;
  /** Percent variants (×100, ÷100): "marked" (default, only when a `%` is present), "always" (Qwen), "never". */
  percent?: PercentMode;
  /** Read `1,5` as 1.5 in gold and prediction (a dataset written with decimal commas); default false. */
  decimalComma?: boolean;
}

export interface MathVerifyResult {
  correct: boolean;
  extracted: string | null;
  reason: string;
}

function context(opts: MathVerifyOptions | undefined, goldPercent: boolean, predPercent: boolean): CompareContext {
  const relTol = opts?.relTol ?? DEFAULT_REL_TOL;
  if (!Number.isFinite(relTol) || relTol < 0) {
    throw new RangeError(`math verify: option relTol must be a finite number >= 0, got ${String(relTol)}`);
  }
  const mode = opts?.percent ?? "marked";
  if (mode !== "marked" && mode !== "always" && mode !== "never") {
    throw new RangeError(`math verify: option percent must be "marked", "always" or "never", got ${String(mode)}`);
  }
  if (opts?.decimalComma !== undefined && typeof opts.decimalComma !== "boolean") {
    throw new RangeError(`math verify: option decimalComma must be true or false, got ${String(opts.decimalComma)}`);
  }
  return { relTol, percentVariants: mode === "always" || (mode === "marked" && (goldPercent || predPercent)) };
}

/** Text that marks its answer (Minerva, "the answer is", `<answer>`): a gold given as a whole solution. */
const MARKED_HINT = /answer is|<\/answer>/;

/** A gold answer written as a whole solution is reduced to the answer it marks; any other gold is used as is. */
function goldAnswer(gold: string): string {
  return MARKED_HINT.test(gold) ? (extractMarkedAnswer(gold) ?? gold) : gold;
}

/** Compare a gold answer with a predicted answer (both already extracted). */
export function compareAnswers(gold: string, pred: string, opts?: MathVerifyOptions): Verdict {
  const g = normalizeAnswer(goldAnswer(gold));
  const p = normalizeAnswer(pred);
  const ctx = context(opts, g?.percent ?? false, p?.percent ?? false);
  if (g === null) return { equal: false, reason: "gold-empty-or-too-long" };
  if (p === null) return { equal: false, reason: "answer-empty-or-too-long" };
  const [gt, pt] = readDecimalCommas(g.text, p.text, opts?.decimalComma === true);
  return shapesEqual(parseShape(gt), parseShape(pt), ctx);
}

/** True when the two answers are mathematically equivalent (gold first: relation-vs-interval rules are asymmetric). */
export function mathEqual(a: string, b: string, opts?: MathVerifyOptions): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  context(opts, false, false);
  try {
    return compareAnswers(a, b, opts).equal;
  } catch (e) {
    if (e instanceof RangeError && /^math verify:/.test(e.message)) throw e;
    return false;
  }
}

/** Grade a completion (or a bare answer with `extract: false`) against a gold answer. */
export function verifyMath(gold: string, completionOrAnswer: string, opts?: MathVerifyOptions): MathVerifyResult {
  context(opts, false, false);
  if (typeof gold !== "string" || typeof completionOrAnswer !== "string") {
    return { correct: false, extracted: null, reason: "not-a-string" };
  }
  let extracted: string | null = null;
  try {
    extracted = opts?.extract === false ? completionOrAnswer : extractMathAnswer(completionOrAnswer);
    if (extracted === null || extracted.trim().length === 0) return { correct: false, extracted: null, reason: "no-answer" };
    const v = compareAnswers(gold, extracted, opts);
    return { correct: v.equal, extracted, reason: v.reason };
  } catch (e) {
    // Deep recursion on adversarial input surfaces as RangeError; any failure is "not correct", never a throw.
    return { correct: false, extracted, reason: `error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
