/**
 * Final-answer extraction from a model completion, in the priority order of Qwen2.5-Math
 * (QwenLM/Qwen2.5-Math evaluation/parser.py `extract_answer`):
 *
 *   1. Minerva: "final answer is $…$. I hope"
 *   2. the LAST brace-balanced `\boxed{…}` / `\fbox{…}` (also `\boxed 5`, up to the next `$` or line end)
 *   3. "he answer is …"      (last occurrence)
 *   4. "final answer is …"   (last occurrence)
 *   5. `<answer>…</answer>`  (last complete tag pair)
 *   6. the last number in the text
 *
 * Differences from the Python original, all deliberate:
 *  - only the last MAX_SCAN_CHARS characters are examined, so a 1 MB completion costs the same as a 64 KB one;
 *  - a trailing unbalanced `\boxed{` (a truncated completion) is skipped in favour of the previous balanced box
 *    (Qwen would take the rest of the text);
 *  - after "he answer is" only the first `$…$` span or the rest of the sentence is taken, not the rest of the text;
 *  - the last-number fallback removes only thousands separators (`1,000`), not every comma, and keeps a trailing
 *    `/d` so "3/4" yields "3/4" rather than "4".
 */
import { MAX_SCAN_CHARS } from "./limits.js";

const MINERVA_START = "final answer is $";
const MINERVA_END = "$. I hope";
const BOX_COMMANDS = ["\\boxed", "\\fbox"] as const;
const ANSWER_PHRASES = ["he answer is", "final answer is"] as const;
const ANSWER_TAG_OPEN = "<answer>";
const ANSWER_TAG_CLOSE = "</answer>";
// Qwen's last-number pattern `-?\d*\.?\d+`, plus an optional `/d+` denominator.
const LAST_NUMBER = /-?\d*\.?\d+(?:\/\d+)?/g;
const THOUSANDS_COMMA = /(\d),(?=\d{3}(?!\d))/g;

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

/** Content of the last balanced `\boxed{…}`/`\fbox{…}` (or `\boxed x`), or null when there is none. */
export function lastBoxed(text: string): string | null {
  const starts: Array<{ at: number; len: number }> = [];
  for (const cmd of BOX_COMMANDS) {
    let from = text.length;
    // Collect occurrences from the end; at most a bounded number is ever inspected below.
    while (from >= 0) {
      const at = text.lastIndexOf(cmd, from);
      if (at < 0) break;
      starts.push({ at, len: cmd.length });
      from = at - 1;
    }
  }
  if (starts.length === 0) return null;
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
      // The last box is usually balanced: one forward scan. Only if it is not, match all braces once (O(n)) so
      // that skipping many unbalanced boxes (`\boxed{` spam) stays linear.
      let end: number;
      if (first) {
        end = scanClose(text, i);
        first = false;
      } else {
        close ??= matchBraces(text);
        end = close[i];
      }
      if (end < 0) continue; // unbalanced (truncated) box: try the previous one
      return text.slice(i + 1, end);
    }
    // `\boxed 5` — Qwen takes everything up to the next `$`; we also stop at a line break.
    const rest = text.slice(i);
    const stop = rest.search(/\$|\n/);
    const value = (stop < 0 ? rest : rest.slice(0, stop)).trim();
    if (value.length > 0) return value;
  }
  return null;
}

/** The answer that follows a phrase such as "the answer is": a `$…$` / `\(…\)` span, or the rest of the sentence. */
function answerAfterPhrase(rest: string): string {
  let s = rest.replace(/^[\s:]+/, "");
  if (s.startsWith("$")) {
    const inner = s.startsWith("$$") ? 2 : 1;
    const end = s.indexOf("$", inner);
    if (end > 0) return s.slice(inner, end);
  }
  if (s.startsWith("\\(")) {
    const end = s.indexOf("\\)");
    if (end > 0) return s.slice(2, end);
  }
  const nl = s.indexOf("\n");
  if (nl >= 0) s = s.slice(0, nl);
  // End of sentence: a period followed by whitespace (a decimal point is followed by a digit).
  const period = s.search(/\.(\s|$)/);
  if (period >= 0) s = s.slice(0, period);
  return s;
}

/** Qwen's post-processing: drop line breaks, a leading ":" and a trailing "." or "/". */
function tidy(pred: string): string {
  let s = pred.replace(/\n\s*/g, "").trim();
  if (s.startsWith(":")) s = s.slice(1).trim();
  if (s.endsWith(".")) s = s.slice(0, -1);
  if (s.endsWith("/")) s = s.slice(0, -1);
  return s.trim();
}

/**
 * Extract the final answer from a completion; null when nothing answer-like is found.
 * Never throws; examines only the last MAX_SCAN_CHARS characters.
 */
export function extractMathAnswer(text: string): string | null {
  if (typeof text !== "string" || text.length === 0) return null;
  const s = text.length > MAX_SCAN_CHARS ? text.slice(text.length - MAX_SCAN_CHARS) : text;

  // 1. Minerva: "final answer is $…$. I hope"
  const minerva = s.indexOf(MINERVA_START);
  if (minerva >= 0) {
    const rest = s.slice(minerva + MINERVA_START.length);
    const end = rest.indexOf(MINERVA_END);
    if (end >= 0) return nonEmpty(tidy(rest.slice(0, end)));
  }

  // 2. last \boxed{…} / \fbox{…}
  const boxed = lastBoxed(s);
  if (boxed !== null) return nonEmpty(tidy(boxed));

  // 3./4. "he answer is", "final answer is" (last occurrence)
  for (const phrase of ANSWER_PHRASES) {
    const at = s.lastIndexOf(phrase);
    if (at >= 0) {
      const found = nonEmpty(tidy(answerAfterPhrase(s.slice(at + phrase.length))));
      if (found !== null) return found;
    }
  }

  // 5. <answer>…</answer>
  const close = s.lastIndexOf(ANSWER_TAG_CLOSE);
  if (close >= 0) {
    const open = s.lastIndexOf(ANSWER_TAG_OPEN, close);
    if (open >= 0) {
      const found = nonEmpty(tidy(s.slice(open + ANSWER_TAG_OPEN.length, close)));
      if (found !== null) return found;
    }
  }

  // 6. last number
  const numbers = s.replace(THOUSANDS_COMMA, "$1").match(LAST_NUMBER);
  if (numbers !== null && numbers.length > 0) return numbers[numbers.length - 1];
  return null;
}

function nonEmpty(s: string): string | null {
  return s.length > 0 ? s : null;
}
