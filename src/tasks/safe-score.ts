// Scorers are called on arbitrary model output: they must never throw and must bound their work. Every task's
// score() goes through safeScore, which rejects non-strings and over-long completions up front. An exception inside
// a scorer is a bug, never a property of the completion: it becomes a zero-reward Score whose reason starts with
// "internal-error: " (counted by `ratio score`), not a silent "incorrect".
import type { Score } from "./types.js";

/** Completions longer than this are not examined (1 MiB of UTF-16 code units). */
export const MAX_COMPLETION_CHARS = 1 << 20;

/** Reason prefix of a score that met an unexpected exception (the same prefix as the math verifier's). */
export const INTERNAL_ERROR_REASON = "internal-error";

export function failScore(reason: string, extracted: string | null = null, reward = 0): Score {
  return { reward, correct: false, extracted, reason };
}

/** The score of a completion that is not examined at all (not a string, or longer than maxChars); null otherwise. */
export function precheckCompletion(completion: unknown, maxChars: number): Score | null {
  if (typeof completion !== "string") return failScore(`completion is not a string (got ${completion === null ? "null" : typeof completion})`);
  if (completion.length > maxChars) return failScore(`completion has ${completion.length} characters, more than the ${maxChars} examined`);
  return null;
}

/** True when a score's reason reports a scorer bug (an unexpected exception) rather than a verdict. */
export function isInternalError(reason: string): boolean {
  return reason.startsWith(INTERNAL_ERROR_REASON);
}

export function safeScore(completion: unknown, maxChars: number, fn: (completion: string) => Score): Score {
  const early = precheckCompletion(completion, maxChars);
  if (early !== null) return early;
  try {
    const s = fn(completion as string);
    if (!Number.isFinite(s.reward)) return failScore(`${INTERNAL_ERROR_REASON}: scorer produced a non-finite reward`, s.extracted);
    return s;
  } catch (e) {
    return failScore(`${INTERNAL_ERROR_REASON}: ${e instanceof Error ? e.message : String(e)}`.split("\n")[0]);
  }
}

/** Content of the last `<tag>…</tag>` pair, found with lastIndexOf (linear time, no regex backtracking). */
export function lastTagContent(text: string, tag: string): string | null {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const end = text.lastIndexOf(close);
  if (end < 0) return null;
  const start = text.lastIndexOf(open, end - open.length);
  if (start < 0) return null;
  return text.slice(start + open.length, end);
}
