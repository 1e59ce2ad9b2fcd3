/**
 * Answer normalization, modelled on Qwen2.5-Math `strip_string` (evaluation/parser.py) with documented changes:
 *
 *  - Unicode NFKC first (fullwidth `５` → `5`), then common math symbols (− × · ÷ π √ ∞ ≤ ≥ ≠ ∪ ± °) to LaTeX.
 *  - Doubled backslashes undone (`\\frac` → `\frac`, escapes.ts).
 *  - Math delimiters `$`, `\(`, `\)`, `\[`, `\]` and currency `\$` removed; `\boxed{…}` unwrapped (several boxes joined
 *    by a separator become a list, boxed.ts).
 *  - Layout removed: `\left`, `\right`, `\big…`, `\displaystyle`, spacing `\! \, \; \: \ \quad ~`
 *    (`1\,000` and `1\!000` between digits become `1000`).
 *  - `\dfrac`/`\tfrac`/`\cfrac` → `\frac`, `\dbinom`/`\tbinom` → `\binom`, `\leq`/`<=` → `\le` etc.
 *  - Degrees `^\circ`, `^{\circ}`, `\degree`, `°` removed (as Qwen).
 *  - Percent `\%`, `%`, "percent" removed and REPORTED (Qwen deletes it silently and then tries ×100 / ÷100 on
 *    every comparison; we only try those variants when a percent sign was actually present — see equal.ts).
 *  - A trailing `\text{…}`/`\mbox{…}`/`\mathrm{…}` after a value is a unit and is dropped (as Qwen); a trailing
 *    plain unit word from UNIT_WORDS is dropped too (Qwen's list also removes single letters such as `a`, `t`, `c`,
 *    which would turn `\frac{1}{2}x`-style answers into numbers, so we only drop multi-letter unit words).
 *  - `\text{ and }`, `\text{or}`, ` and ` become a top-level comma (multiple answers); other `\text{X}` → `X`.
 *  - `\emptyset` → `\{\}`, `infinity`/`inf` → `\infty`, `{,}` → `,`; whitespace collapsed; a trailing `.` dropped.
 */
import { undoubleBackslashes } from "./escapes.js";
import { boxedAnswer } from "./boxed.js";
import { MAX_ANSWER_CHARS } from "./limits.js";

export interface NormalizedAnswer {
  /** Normalized LaTeX-ish text (single spaces kept; they matter for `2 1/3`). */
  readonly text: string;
  /** True when a percent sign or the word "percent" was removed. */
  readonly percent: boolean;
}

const UNICODE_MAP: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u2212\u2013\u2014\uFE63]/g, "-"],
  [/\u00D7/g, "\\times "],
  [/[\u00B7\u22C5]/g, "\\cdot "],
  [/\u00F7/g, "\\div "],
  [/\u03C0/g, "\\pi "],
  [/\u221A/g, "\\sqrt"],
  [/\u221E/g, "\\infty "],
  [/\u2264/g, "\\le "],
  [/\u2265/g, "\\ge "],
  [/\u2260/g, "\\ne "],
  [/\u222A/g, "\\cup "],
  [/\u00B1/g, "\\pm "],
  [/\u2205/g, "\\emptyset "],
  [/\u00B0/g, "^\\circ"],
  [/\u2044/g, "/"],
  [/\u2248/g, "\\approx "],
];

const COMMAND_ALIASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\\[dtc]frac(?![a-zA-Z])/g, "\\frac"],
  [/\\[dt]binom(?![a-zA-Z])/g, "\\binom"],
  [/\\leqslant(?![a-zA-Z])|\\leq(?![a-zA-Z])|<=/g, "\\le "],
  [/\\geqslant(?![a-zA-Z])|\\geq(?![a-zA-Z])|>=/g, "\\ge "],
  [/\\neq(?![a-zA-Z])|!=/g, "\\ne "],
  [/\\lt(?![a-zA-Z])/g, "<"],
  [/\\gt(?![a-zA-Z])/g, ">"],
  [/\\(?:emptyset|varnothing)(?![a-zA-Z])/g, "\\{\\}"],
  [/\\mathbf|\\boldsymbol|\\bm(?![a-zA-Z])/g, ""],
];

/** Plain-text unit words dropped at the end of an answer (multi-letter only; see header). */
const UNIT_WORDS = [
  "units?", "square units?", "sq units?", "cubic units?", "cm", "centimeters?", "centimetres?", "mm", "millimeters?",
  "km", "kilometers?", "meters?", "metres?", "inches", "inch", "in\\.", "feet", "foot", "ft", "yards?", "yd", "miles?",
  "mph", "km/h", "kg", "grams?", "pounds?", "lbs?", "ounces?", "oz", "liters?", "litres?", "ml", "gallons?",
  "dollars?", "cents?", "euros?", "degrees?", "radians?", "rad", "seconds?", "sec", "minutes?", "mins?", "hours?",
  "hrs?", "days?", "weeks?", "months?", "years?", "people", "students", "times", "ways", "cm\\^?2", "cm\\^?3",
  "m\\^?2", "m\\^?3", "sq\\.? ?(?:ft|m|cm|in)", "square (?:feet|meters|metres|inches|centimeters|miles|units)",
  "cubic (?:feet|meters|metres|inches|centimeters|units)",
];
const TRAILING_UNIT = new RegExp(`(?<=[\\d}).])\\s*(?:${UNIT_WORDS.join("|")})\\s*\\.?$`, "i");
const TEXT_COMMAND = /\\(?:text|textrm|textnormal|textbf|textit|mbox|mathrm|mathit|mathsf|mathtt|operatorname\*?)\s*\{([^{}]*)\}/;
const UNIT_COMMAND = /\\(?:text|textrm|textnormal|textbf|textit|mbox|mathrm)\s*\{/g;
const UNIT_POWER_TAIL = /^\s*(?:\^\s*\{?\s*[23]\s*\}?)?\s*$/;
const CONNECTOR = /^\s*(?:and|or|,)\s*$/i;
/** Answers made only of these characters need no rewriting beyond whitespace/period/brace cleanup. */
const PLAIN = /^[\d.,+\-*/ ()[\]^]*$/;
const NON_ASCII = /[^\x00-\x7f]/;
const LAYOUT_HINT = /\\(?:left|right|big|Big)/;
const SPACING_HINT = /\\(?:displaystyle|textstyle|quad|qquad|[,;:! ])|~/;
const ALIAS_HINT = /\\(?:[dtc]frac|[dt]binom|leq|geq|neq|lt|gt|emptyset|varnothing|mathbf|boldsymbol|bm)|[<>!]=/;
const TEXT_HINT = /\\(?:text|mbox|math|operatorname)/;
/** "percent", "percentage", "pct", also as `\text{…}`, not inside a longer word. */
const PERCENT_WORD = /\s*(?:\\(?:text|mbox)\s*\{\s*(?:percent(?:age)?|pct)\s*\}|(?<![a-zA-Z])(?:percent(?:age)?|pct)(?![a-zA-Z]))/gi;

/** Normalize an answer; null when it is empty or longer than MAX_ANSWER_CHARS. */
export function normalizeAnswer(raw: string): NormalizedAnswer | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_ANSWER_CHARS) return null;
  if (PLAIN.test(raw)) return finish(raw, false); // fast path: ASCII digits/operators only, nothing to rewrite
  let s = raw;
  if (NON_ASCII.test(s)) {
    s = s.normalize("NFKC");
    for (const [re, to] of UNICODE_MAP) s = s.replace(re, to);
  }

  // Each rewrite is guarded by a cheap substring test: most answers need only a few of them.
  if (s.includes("\\\\")) s = undoubleBackslashes(s);
  if (s.includes("boxed") || s.includes("fbox")) s = boxedAnswer(s) ?? s;
  if (s.includes("\\\\")) s = s.replace(/\\\\/g, "\\cr "); // row break `\\` (matrices) → `\cr`, before spacing
  if (s.includes("$")) s = s.replace(/\\\$/g, "").replace(/\$/g, "");
  if (s.includes("\\(") || s.includes("\\)") || s.includes("\\[") || s.includes("\\]")) s = s.replace(/\\[()[\]]/g, "");
  if (LAYOUT_HINT.test(s)) s = s.replace(/\\(?:left|right|bigg?l?r?|Bigg?l?r?)(?![a-zA-Z])\s*\.?/g, "");
  if (s.includes("\\,") || s.includes("\\!") || s.includes("{")) {
    // Thousands separators: `1\,000`, `1\!000`, `1{,}000`, `1{, }000` and MATH's `10,\!000`.
    s = s
      .replace(/(\d)\s*(?:\\[,!]|\{\s*,\s*\}|,\s*\\!)\s*(?=\d{3}(?!\d))/g, "$1")
      .replace(/\{\s*,\s*\}/g, ",")
      .replace(/\\!/g, "");
  }
  // `\quad` also when glued to a following letter (`\quadx_2`): no command name starts with "quad".
  if (SPACING_HINT.test(s)) s = s.replace(/\\(?:displaystyle|textstyle)(?![a-zA-Z])|\\q?quad|\\[,;:! ]|~/g, " ");
  if (ALIAS_HINT.test(s)) for (const [re, to] of COMMAND_ALIASES) s = s.replace(re, to);
  if (s.includes("circ") || s.includes("degree")) {
    s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])|\\degree(?![a-zA-Z])/g, "");
  }

  let percent = false;
  if (/\\?%|percent|pct/i.test(s)) {
    const stripped = s.replace(/\\?%/g, "").replace(PERCENT_WORD, "");
    percent = stripped !== s;
    s = stripped;
  }

  if (TEXT_HINT.test(s)) {
    // Units: trailing \text{…} (repeatedly: `5\text{ m}\text{/s}`), unless it is all there is or a connector.
    for (let k = 0; k < 3; k++) {
      const stripped = stripTrailingUnit(s);
      if (stripped === null) break;
      s = stripped;
    }
    s = s.replace(/\\(?:text|mbox|textrm)\s*\{\s*(?:and|or)\s*\}/gi, ",");
    for (let k = 0; k < 64; k++) {
      const m = TEXT_COMMAND.exec(s);
      if (m === null) break;
      s = s.slice(0, m.index) + m[1] + s.slice(m.index + m[0].length);
    }
  }
  // "and" / "or" between answers (`1 and 2`, `(11,7)or(7,11)`), not inside a word or a command (`\lor`).
  if (/and|or/i.test(s)) s = s.replace(/\s*(?<![a-zA-Z\\])(?:and|or)(?![a-zA-Z])\s*/gi, ", ");
  if (/[a-zA-Z](?:\^?\d)?\.?\s*$/.test(s)) s = s.replace(TRAILING_UNIT, "");
  if (/inf/i.test(s)) s = s.replace(/\binfinity\b|\binf\b/gi, "\\infty");
  return finish(s, percent);
}

/** Collapse whitespace, drop a trailing period, unwrap whole-answer braces. */
function finish(raw: string, percent: boolean): NormalizedAnswer | null {
  let s = raw.replace(/\s+/g, " ").trim();
  s = s.replace(/[\s.]+$/, "");
  s = unwrapBraces(s);
  if (s.length === 0) return null;
  return { text: s, percent };
}

/** `5\text{ cm}` → `5`; null when the answer has no trailing unit text (or the text is a connector/all there is). */
function stripTrailingUnit(s: string): string | null {
  let last: RegExpExecArray | null = null;
  UNIT_COMMAND.lastIndex = 0;
  for (let m = UNIT_COMMAND.exec(s); m !== null; m = UNIT_COMMAND.exec(s)) last = m;
  if (last === null) return null;
  const open = last.index + last[0].length - 1;
  const close = matchingClose(s, open);
  if (close < 0 || !UNIT_POWER_TAIL.test(s.slice(close + 1))) return null;
  const prefix = s.slice(0, last.index).trim();
  if (prefix.length === 0 || CONNECTOR.test(s.slice(open + 1, close))) return null;
  return prefix;
}

/** Remove `{…}` that wraps the whole answer (repeatedly), as long as the braces match each other. */
export function unwrapBraces(s: string): string {
  while (s.length >= 2 && s[0] === "{" && s[s.length - 1] === "}" && matchingClose(s, 0) === s.length - 1) {
    s = s.slice(1, -1).trim();
  }
  return s;
}

/** Index of the `}` matching the `{` at `open` (escaped `\{`/`\}` ignored), or -1. */
export function matchingClose(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}
