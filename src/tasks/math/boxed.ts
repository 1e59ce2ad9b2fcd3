/**
 * `\boxed{…}` / `\fbox{…}` in a completion: the last balanced box, and the run of boxes that ends with it.
 *
 * Several boxes form one answer when each gap between two neighbours is short (under MAX_BOX_GAP characters) and
 * holds a separator — a comma, a semicolon, or the word "and" / "or" — but no end of sentence (`\boxed{1}, \boxed{2}`,
 * `\boxed{(2,2)} \quad \text{and} \quad \boxed{(6,2)}`, `\boxed{1} papers and \boxed{2} bins`). The answer is then
 * the list of their contents, `1, 2`. Boxes separated by anything else (`\boxed{1} no no \boxed{2}`,
 * `\boxed{1}. Or rather, \boxed{2}`, or a long stretch of text) are a revision, and only the last one counts.
 */
import { MAX_ELEMENTS } from "./limits.js";

const BOX_COMMANDS = ["\\boxed", "\\fbox"] as const;
/** Longest gap between two boxes of one answer. */
export const MAX_BOX_GAP = 70;
const BOX_SEPARATOR = /[,;]|(?<![a-zA-Z])(?:and|or)(?![a-zA-Z])/;
const SENTENCE_END = /[.!?](?:\s|$)/;

/** One box: where its command starts, where it ends (exclusive) and what it holds. */
export interface Box {
  readonly at: number;
  readonly end: number;
  readonly content: string;
}

/** Brace matching over `text` in one pass: close[i] = index of the `}` matching the `{` at i, or -1. */
function matchBraces(text: string): Int32Array {
  const close = new Int32Array(text.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 123 || next === 125) i++; // skip escaped \{ and \}
      continue;
    }
    if (c === 123 /* { */) stack.push(i);
    else if (c === 125 /* } */ && stack.length > 0) close[stack.pop() as number] = i;
  }
  return close;
}

/** Index of the `}` matching the `{` at `open` (escaped braces ignored), or -1. */
function scanClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 123 || next === 125) i++;
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}

/**
 * Balanced boxes from the last one backwards. A trailing unbalanced `\boxed{` (a truncated completion) is skipped.
 * Linear in the text length however many boxes there are: the first box is matched with one forward scan, and only
 * if it is unbalanced are all braces matched once.
 */
export function* boxesFromEnd(text: string): Generator<Box> {
  const starts: Array<{ at: number; len: number }> = [];
  for (const cmd of BOX_COMMANDS) {
    for (let at = text.lastIndexOf(cmd); at >= 0; at = at === 0 ? -1 : text.lastIndexOf(cmd, at - 1)) {
      starts.push({ at, len: cmd.length });
    }
  }
  starts.sort((a, b) => b.at - a.at);
  let close: Int32Array | null = null;
  let first = true;
  for (const { at, len } of starts) {
    let i = at + len;
    // `\boxed` must not be the prefix of a longer command name (e.g. a hypothetical `\boxedx`).
    const after = text.charCodeAt(i);
    if ((after >= 65 && after <= 90) || (after >= 97 && after <= 122)) continue;
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
    if (text[i] === "{") {
      let end: number;
      if (first) {
        end = scanClose(text, i);
        first = false;
      } else {
        close ??= matchBraces(text);
        end = close[i];
      }
      if (end < 0) continue; // unbalanced (truncated) box: try the previous one
      yield { at, end: end + 1, content: text.slice(i + 1, end) };
      continue;
    }
    // `\boxed 5` — Qwen takes everything up to the next `$`; we also stop at a line break.
    const rest = text.slice(i);
    const stop = rest.search(/\$|\n/);
    const value = (stop < 0 ? rest : rest.slice(0, stop)).trim();
    if (value.length > 0) yield { at, end: stop < 0 ? text.length : i + stop, content: value };
  }
}

/** Content of the last balanced `\boxed{…}`/`\fbox{…}` (or `\boxed x`), or null when there is none. */
export function lastBoxed(text: string): string | null {
  for (const box of boxesFromEnd(text)) return box.content;
  return null;
}

/**
 * The boxed answer of a completion: the last box, joined (as `a, b, …`) with the boxes before it that are separated
 * from their neighbour by a short gap holding a separator (see the header). Null when there is no balanced box.
 */
export function boxedAnswer(text: string): string | null {
  const run: Box[] = [];
  for (const box of boxesFromEnd(text)) {
    if (run.length > 0) {
      const later = run[run.length - 1];
      if (box.end > later.at) break; // a box that contains the later one: not a neighbour
      const gap = text.slice(box.end, later.at);
      if (gap.length >= MAX_BOX_GAP || !BOX_SEPARATOR.test(gap) || SENTENCE_END.test(gap)) break;
    }
    // The same answer boxed twice is one answer (`\boxed{840}, … \boxed{840}`).
    if (!run.some((b) => b.content.trim() === box.content.trim())) run.push(box);
    else run.push({ ...box, content: "" });
    if (run.length >= MAX_ELEMENTS) break;
  }
  if (run.length === 0) return null;
  return run
    .reverse()
    .map((b) => b.content.trim())
    .filter((c) => c.length > 0)
    .join(", ");
}
