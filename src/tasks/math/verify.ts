/**
 * Public entry points: verifyMath (extract from a completion, then compare), mathEqual (compare two answers).
 * Neither throws on any input text; invalid options are programmer errors and throw a one-line RangeError. An
 * unexpected exception inside the verifier is a bug and is never silently "not correct": verifyMath reports it as
 * reason `internal-error: …`, mathEqual throws MathVerifyInternalError.
 */
import { type CompareContext, type PercentMode, shapesEqual, type Verdict } from "./equal.js";
import { extractMarkedAnswer, extractMathAnswer } from "./extract.js";
import { readDecimalCommas } from "./decimal-comma.js";
import { normalizeAnswer } from "./normalize.js";
import { parseShape } from "./structure.js";

/** Reason prefix of a check that met an unexpected exception (a verifier bug, never a property of the input). */
export const INTERNAL_ERROR = "internal-error";

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

/**
 * Why a check failed with an exception. Deep recursion on adversarial input (a RangeError "Maximum call stack size
 * exceeded") is an expected limit: "too-deep". Anything else is a verifier bug: "internal-error: <message>".
 */
export function failureReason(e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
  if (e instanceof RangeError && /call stack/i.test(message)) return "too-deep";
  return `${INTERNAL_ERROR}: ${message}`;
}

/** A verifier bug met by mathEqual, which has no reason to report it in: the message names the failure. */
export class MathVerifyInternalError extends Error {
  override name = "MathVerifyInternalError";
}

const isOptionError = (e: unknown): boolean => e instanceof RangeError && /^math verify:/.test(e.message);

/**
 * True when the two answers are mathematically equivalent (gold first: relation-vs-interval rules are asymmetric).
 * Never throws on input text; a verifier bug throws MathVerifyInternalError rather than reading as "not equal".
 */
export function mathEqual(a: string, b: string, opts?: MathVerifyOptions): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  context(opts, false, false);
  try {
    return compareAnswers(a, b, opts).equal;
  } catch (e) {
    if (isOptionError(e)) throw e;
    const reason = failureReason(e);
    if (reason === "too-deep") return false;
    throw new MathVerifyInternalError(`math verify: ${reason}`, { cause: e });
  }
}

/**
 * Grade a completion (or a bare answer with `extract: false`) against a gold answer. Never throws on input text:
 * expected failures have their reason (`unparsable`, `too-long`, `too-deep`, …) and an unexpected exception, a
 * verifier bug, gives `internal-error: <message>` (counted by `ratio score`).
 */
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
    if (isOptionError(e)) throw e;
    return { correct: false, extracted, reason: failureReason(e) };
  }
}
