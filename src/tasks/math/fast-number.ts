/**
 * The numeric fast path: an exact parser for the answer forms that make up most of GSM8K/MATH gold answers,
 * with no CAS involved. Input is a normalized answer (normalize.ts: `$`, spacing, `\left`, units, `%` removed).
 *
 * Accepted (optionally signed, optionally wrapped in `{…}` or `(…)`):
 *   integer / decimal        42   -3.5   .5   5.
 *   thousands separators     1,000   12,345,678.5   (only exact groups of three: `1,000` = 1000; `1.000` = 1)
 *   fraction                 \frac{3}{4}  \frac34  \frac3{4}  \frac{-3}{4}  3/4  1.5/2
 *   mixed number             2\frac{1}{3}  2 1/3     (proper fraction only: p < q; `2\frac{5}{3}` is left to the CAS)
 *   scientific notation      1.5e3   1.5E-3   1.5\times10^{3}   1.5\cdot 10^3   10^{-2}
 * Anything else returns null and is left to the CAS.
 */
import { MAX_EXACT_EXPONENT, MAX_LITERAL_DIGITS } from "./limits.js";
import { add, div, mul, neg, pow10, rational, type Rational } from "../rational.js";

const DEC = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
const SDEC = String.raw`[+-]?${DEC}`;
const RE_DECIMAL = new RegExp(`^${DEC}$`);
const RE_THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const RE_SCI_E = new RegExp(`^(${DEC})[eE]([+-]?\\d+)$`);
const RE_SCI_TIMES = new RegExp(String.raw`^(${DEC})\s*(?:\\times|\\cdot|\*)\s*10\s*\^\s*(?:\{\s*([+-]?\d+)\s*\}|([+-]?\d+))$`);
const RE_POW10 = /^10\s*\^\s*(?:\{\s*([+-]?\d+)\s*\}|([+-]?\d+))$/;
const FRAC_ARG = String.raw`(?:\{\s*(${SDEC})\s*\}|(\d))`;
const RE_FRAC = new RegExp(String.raw`^\\frac\s*${FRAC_ARG}\s*${FRAC_ARG}$`);
const RE_SLASH = new RegExp(`^(${SDEC})\\s*/\\s*(${SDEC})$`);
const RE_MIXED_FRAC = new RegExp(String.raw`^(\d+)\s*\\frac\s*(?:\{\s*(\d+)\s*\}|(\d))\s*(?:\{\s*(\d+)\s*\}|(\d))$`);
const RE_MIXED_SLASH = /^(\d+)\s+(\d+)\s*\/\s*(\d+)$/;

/** "12.50" → 1250/100 exactly; null when over MAX_LITERAL_DIGITS. */
export function decimalToRational(lit: string): Rational | null {
  if (lit.length > MAX_LITERAL_DIGITS) return null;
  let sign = 1n;
  let s = lit;
  if (s[0] === "-" || s[0] === "+") {
    if (s[0] === "-") sign = -1n;
    s = s.slice(1);
  }
  const dot = s.indexOf(".");
  if (dot < 0) return { n: sign * BigInt(s), d: 1n };
  const intPart = s.slice(0, dot);
  const frac = s.slice(dot + 1);
  const digits = (intPart + frac).replace(/^0+(?=\d)/, "") || "0";
  return rational(sign * BigInt(digits), 10n ** BigInt(frac.length));
}

function exponent(text: string): number | null {
  const e = Number(text);
  return Number.isInteger(e) && Math.abs(e) <= MAX_EXACT_EXPONENT ? e : null;
}

function unsigned(s: string): Rational | null {
  if (RE_DECIMAL.test(s)) return decimalToRational(s);
  if (RE_THOUSANDS.test(s)) return decimalToRational(s.replace(/,/g, ""));
  let m = RE_FRAC.exec(s);
  if (m !== null) {
    const a = decimalToRational(m[1] ?? m[2]);
    const b = decimalToRational(m[3] ?? m[4]);
    return a === null || b === null ? null : div(a, b);
  }
  m = RE_SLASH.exec(s);
  if (m !== null) {
    const a = decimalToRational(m[1]);
    const b = decimalToRational(m[2]);
    return a === null || b === null ? null : div(a, b);
  }
  m = RE_MIXED_FRAC.exec(s) ?? RE_MIXED_SLASH.exec(s);
  if (m !== null) {
    const whole = BigInt(m[1]);
    const p = BigInt(m.length === 6 ? (m[2] ?? m[3]) : m[2]);
    const q = BigInt(m.length === 6 ? (m[4] ?? m[5]) : m[3]);
    if (q === 0n || p >= q) return null; // not a proper mixed number: let the CAS read it as a product
    return add({ n: whole, d: 1n }, rational(p, q));
  }
  m = RE_SCI_E.exec(s);
  if (m !== null) {
    const mant = decimalToRational(m[1]);
    const e = exponent(m[2]);
    return mant === null || e === null ? null : mul(mant, pow10(e));
  }
  m = RE_SCI_TIMES.exec(s);
  if (m !== null) {
    const mant = decimalToRational(m[1]);
    const e = exponent(m[2] ?? m[3]);
    return mant === null || e === null ? null : mul(mant, pow10(e));
  }
  m = RE_POW10.exec(s);
  if (m !== null) {
    const e = exponent(m[1] ?? m[2]);
    return e === null ? null : pow10(e);
  }
  return null;
}

/** Strip one level of `{…}` or `(…)` that wraps the whole string (only when nothing else is bracketed). */
function unwrap(s: string): string {
  for (;;) {
    const first = s[0];
    const last = s[s.length - 1];
    if (!((first === "{" && last === "}") || (first === "(" && last === ")"))) return s;
    const inner = s.slice(1, -1);
    if (/[{}()]/.test(inner)) return s;
    s = inner.trim();
  }
}

/** Exact value of a purely numeric answer, or null when the fast path cannot read it. */
export function parseExactNumber(text: string): Rational | null {
  let s = unwrap(text.trim());
  let negative = false;
  if (s[0] === "-" || s[0] === "+") {
    negative = s[0] === "-";
    s = unwrap(s.slice(1).trim());
  }
  if (s.length === 0) return null;
  const v = unsigned(s);
  if (v === null) return null;
  return negative ? neg(v) : v;
}
