/**
 * Final-answer extraction from a model completion, in the priority order of Qwen2.5-Math's `extract_answer`,
 * with a math-span step before the last-number fallback:
 *
 *   1. Minerva: "final answer is $…$. I hope"   (last occurrence)
 *   2. the LAST brace-balanced `\boxed{…}` / `\fbox{…}`, joined with the boxes just before it when they are
 *      separated by a comma, "and" or "or" (boxed.ts; also `\boxed 5`, up to the next `$` or line end)
 *   3. "he answer is …"      (last occurrence)
 *   4. "final answer is …"   (last occurrence)
 *   5. `<answer>…</answer>`  (last complete tag pair)
 *   6. the last math span (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`), unless a number follows it
 *   7. the last number in the text that does not stand inside a word
 *
 * Steps 1–5 are "marked" answers (extractMarkedAnswer); a gold answer given as a whole solution goes through them
 * too. Differences from the Python original, all deliberate, are listed in docs/math-verify.md ("Extraction").
 */
import { boxedAnswer } from "./boxed.js";
import { undoubleBackslashes } from "./escapes.js";
import { MAX_SCAN_CHARS } from "./limits.js";

export { boxedAnswer, lastBoxed } from "./boxed.js";

const MINERVA_START = "final answer is $";
const MINERVA_END = "$. I hope";
const ANSWER_PHRASES = ["he answer is", "final answer is"] as const;
const ANSWER_TAG_OPEN = "<answer>";
const ANSWER_TAG_CLOSE = "</answer>";
/**
 * A number not preceded by a letter or digit (so `AZYUK2A` holds none): thousands groups (`1,250`), a decimal with a
 * point or a comma (`2.5`, `2,74`), a leading-point decimal, each with an optional `/d` denominator (`3/4`).
 */
const LAST_NUMBER = /(?<![A-Za-z0-9.,])-?(?:[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:[.,]\d+)?|\.\d+)(?:\/\d+)?/g;
const THOUSANDS = /^-?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;

/** A math span's content and the index just past its closing delimiter. */
interface Span {
  readonly content: string;
  readonly end: number;
}

/**
 * The last complete math span: `$…$` (not across a line break), `$$…$$`, `\(…\)` or `\[…\]`. Escaped characters
 * (`\$`, `\\`) never open or close a span. One linear pass.
 */
export function lastMathSpan(text: string): Span | null {
  let last: Span | null = null;
  let kind: "$" | "$$" | "(" | "[" | null = null;
  let start = 0;
  const close = (at: number, delimiter: number): void => {
    const content = text.slice(start, at);
    if (content.trim().length > 0) last = { content, end: at + delimiter };
    kind = null;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      const n = text[i + 1];
      if (kind === null && (n === "(" || n === "[")) {
        kind = n;
        start = i + 2;
      } else if ((kind === "(" && n === ")") || (kind === "[" && n === "]")) {
        close(i, 2);
      }
      i++; // the escaped character never opens or closes a `$` span
    } else if (c === "$") {
      const double = text[i + 1] === "$";
      if (kind === null) {
        kind = double ? "$$" : "$";
        start = i + (double ? 2 : 1);
        if (double) i++;
      } else if (kind === "$$" && double) {
        close(i, 2);
        i++;
      } else if (kind === "$") {
        close(i, 1);
      }
    } else if (c === "\n" && kind === "$") {
      kind = null; // inline math does not cross a line break: that `$` was not a delimiter
    }
  }
  return last;
}

/** The last number token (see LAST_NUMBER) and the index just past it. */
function lastNumber(text: string): { value: string; end: number } | null {
  let found: RegExpExecArray | null = null;
  LAST_NUMBER.lastIndex = 0;
  for (let m = LAST_NUMBER.exec(text); m !== null; m = LAST_NUMBER.exec(text)) found = m;
  if (found === null) return null;
  const value = THOUSANDS.test(found[0]) ? found[0].replace(/,/g, "") : found[0];
  return { value, end: found.index + found[0].length };
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

function nonEmpty(s: string): string | null {
  return s.length > 0 ? s : null;
}

/** The tail of a completion that is examined, with doubled backslashes undone (escapes.ts). */
function scanned(text: string): string {
  return undoubleBackslashes(text.length > MAX_SCAN_CHARS ? text.slice(text.length - MAX_SCAN_CHARS) : text);
}

/** Minerva's "final answer is $…$. I hope": the last such span. */
function minerva(s: string): string | null {
  const end = s.lastIndexOf(MINERVA_END);
  if (end < 0) return null;
  const start = s.lastIndexOf(MINERVA_START, end);
  if (start < 0) return null;
  return nonEmpty(tidy(s.slice(start + MINERVA_START.length, end)));
}

function marked(s: string): string | null {
  // 1. Minerva: "final answer is $…$. I hope" (last)
  const m = minerva(s);
  if (m !== null) return m;

  // 2. the last \boxed{…} / \fbox{…}, with the boxes joined to it
  const boxed = boxedAnswer(s);
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
    if (open >= 0) return nonEmpty(tidy(s.slice(open + ANSWER_TAG_OPEN.length, close)));
  }
  return null;
}

/**
 * The answer a text marks as final (steps 1–5 of the header: Minerva, boxes, "the answer is", `<answer>` tags), or
 * null when it marks none. Never throws; examines only the last MAX_SCAN_CHARS characters.
 */
export function extractMarkedAnswer(text: string): string | null {
  if (typeof text !== "string" || text.length === 0) return null;
  return marked(scanned(text));
}

/**
 * Extract the final answer from a completion; null when nothing answer-like is found.
 * Never throws; examines only the last MAX_SCAN_CHARS characters.
 */
export function extractMathAnswer(text: string): string | null {
  if (typeof text !== "string" || text.length === 0) return null;
  const s = scanned(text);
  const found = marked(s);
  if (found !== null) return found;

  // 6./7. the last math span, unless a number stands after it; else the last number
  const span = lastMathSpan(s);
  const number = lastNumber(s);
  if (span !== null && (number === null || number.end <= span.end)) return nonEmpty(tidy(span.content));
  return number?.value ?? null;
}
