// Scorers are called on arbitrary model output: they must never throw and must bound their work. Every task's
// score() goes through safeScore, which rejects non-strings and over-long completions up front and turns any
// exception into a zero-reward Score with the reason.
import type { Score } from "./types.js";

/** Completions longer than this are not examined (1 MiB of UTF-16 code units). */
export const MAX_COMPLETION_CHARS = 1 << 20;

export function failScore(reason: string, extracted: string | null = null, reward = 0): Score {
  return { reward, correct: false, extracted, reason };
}

export function safeScore(completion: unknown, maxChars: number, fn: (completion: string) => Score): Score {
  if (typeof completion !== "string") return failScore(`completion is not a string (got ${completion === null ? "null" : typeof completion})`);
  if (completion.length > maxChars) return failScore(`completion has ${completion.length} characters, more than the ${maxChars} examined`);
  try {
    const s = fn(completion);
    if (!Number.isFinite(s.reward)) return failScore(`scorer produced a non-finite reward`, s.extracted);
    return s;
  } catch (e) {
    return failScore(`scorer error: ${e instanceof Error ? e.message : String(e)}`.split("\n")[0]);
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
