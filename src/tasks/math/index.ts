/**
 * Math answer extraction and equivalence (the verifiable-reward grader for math tasks).
 *
 *   extractMathAnswer(completion)        final answer in Qwen2.5-Math's priority order, or null
 *   verifyMath(gold, completion, opts)   { correct, extracted, reason }
 *   mathEqual(a, b, opts)                equivalence of two bare answers
 *   MathVerifierPool                     the same in worker threads, with a per-check time limit
 *
 * See docs/math-verify.md for the rules (thousands separators, percents, brackets, relations) and measurements.
 */
export { boxedAnswer, extractMarkedAnswer, extractMathAnswer, lastBoxed } from "./extract.js";
export { compareAnswers, DEFAULT_REL_TOL, failureReason, INTERNAL_ERROR, mathEqual, MathVerifyInternalError, verifyMath } from "./verify.js";
export type { MathVerifyOptions, MathVerifyResult } from "./verify.js";
export type { PercentMode, Verdict } from "./equal.js";
export { normalizeAnswer, type NormalizedAnswer } from "./normalize.js";
export { parseExactNumber } from "./fast-number.js";
export { parseShape, type Shape } from "./structure.js";
export { MathVerifierPool, DEFAULT_TIMEOUT_MS } from "./pool.js";
export { parseConformanceCases, runConformance, formatConformanceReport } from "./conformance.js";
export type { ConformanceCase, ConformanceOutcome, ConformanceReport, CategoryTally } from "./conformance.js";
export type { MathVerifierPoolOptions, MathVerifyItem } from "./pool.js";
