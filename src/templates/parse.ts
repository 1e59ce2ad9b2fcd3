// Splitting a completion into thinking and answer with plain indexOf scans (linear time on any input).
import type { ParseOptions, ParsedCompletion } from "./types.js";

export interface Delimiters {
  thinkStart?: string;
  thinkEnd?: string;
  /** Reads the answer from the text after the thinking block (or the whole text when there is none). */
  answer(text: string): string | null;
}

/**
 * Thinking starts at the first thinkStart (or at 0 when the prompt opened it, or when only thinkEnd appears, as
 * with chat templates that put the opening tag in the prompt) and ends at the first thinkEnd after it. An
 * unclosed thinking block has no answer.
 */
export function parseDelimited(completion: string, d: Delimiters, opts: ParseOptions = {}): ParsedCompletion {
  if (typeof completion !== "string") return { thinking: null, answer: null, thinkingClosed: false };
  if (!d.thinkStart || !d.thinkEnd) return { thinking: null, answer: d.answer(completion), thinkingClosed: false };
  let start = opts.openThink ? 0 : completion.indexOf(d.thinkStart);
  let contentFrom = start >= 0 && !opts.openThink ? start + d.thinkStart.length : 0;
  if (opts.openThink) {
    // A model that repeats the opening tag the prompt already gave: skip it.
    const lead = completion.length - completion.trimStart().length;
    if (completion.startsWith(d.thinkStart, lead)) contentFrom = lead + d.thinkStart.length;
  }
  if (start < 0) {
    if (completion.indexOf(d.thinkEnd) < 0) return { thinking: null, answer: d.answer(completion), thinkingClosed: false };
    start = 0;
    contentFrom = 0;
  }
  const end = completion.indexOf(d.thinkEnd, contentFrom);
  if (end < 0) return { thinking: completion.slice(contentFrom), answer: null, thinkingClosed: false };
  return { thinking: completion.slice(contentFrom, end), answer: d.answer(completion.slice(end + d.thinkEnd.length)), thinkingClosed: true };
}

/** Trimmed text, or null when empty. */
export const nonEmpty = (s: string): string | null => {
  const t = s.trim();
  return t === "" ? null : t;
};

/** Text up to the first `end` marker (or all of it). */
export const upTo = (s: string, end: string): string => {
  const at = s.indexOf(end);
  return at < 0 ? s : s.slice(0, at);
};
