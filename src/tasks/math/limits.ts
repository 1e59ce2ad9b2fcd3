/**
 * Structural limits that keep math verification bounded on adversarial input.
 *
 * Every stage checks one of these before doing work whose cost grows with the input: the extractor only looks
 * at the tail of a completion, the normalizer refuses over-long answers, the LaTeX parser refuses deep nesting,
 * and exact arithmetic refuses huge exponents (it falls back to floating point or gives up). A check that hits a
 * limit answers "not equal" with a reason; it never throws and never hangs.
 */

/** Only the last 64 KiB of a completion are searched for an answer (answers sit at the end). */
export const MAX_SCAN_CHARS = 64 * 1024;

/** Longest extracted/gold answer that is compared at all (characters, after extraction). */
export const MAX_ANSWER_CHARS = 4096;

/** Longest answer handed to the symbolic (CAS) stage. */
export const MAX_SYMBOLIC_CHARS = 1024;

/** Deepest brace/paren nesting the LaTeX parser accepts. */
export const MAX_NESTING_DEPTH = 64;

/** Most tokens the LaTeX parser accepts in one answer. */
export const MAX_TOKENS = 2048;

/** Largest |exponent| computed exactly with BigInt (10^e, a^e); beyond it floats are used. */
export const MAX_EXACT_EXPONENT = 4096;

/** Largest number of digits in one literal parsed exactly. */
export const MAX_LITERAL_DIGITS = 4096;

/** Most elements in a tuple, set, list or matrix that are compared pairwise. */
export const MAX_ELEMENTS = 256;

/** Largest n for which n! and binomials are evaluated; beyond it the value is treated as unknown. */
export const MAX_FACTORIAL_ARG = 170;
