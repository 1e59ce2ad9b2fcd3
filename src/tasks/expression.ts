// The one arithmetic-expression parser of the Countdown task: integers, + − × * / ÷ and parentheses, evaluated
// in exact rationals. Never JavaScript eval/Function. Work is bounded structurally: the text, the literals, the
// nesting depth and the number count are capped before any arithmetic, so BigInt sizes stay small.
// Grammar:  expr := term (('+' | '-') term)* ;  term := factor (('*' | '/') factor)* ;  factor := INT | '(' expr ')'
// There are no unary signs, decimals or exponents: Countdown combines the given numbers with the four operations.
import { add, div, fromInt, mul, sub, type Rational } from "./rational.js";

// Limits of this parser (the math verifier's are in src/tasks/math/limits.ts, under other names and for other sizes).
export const MAX_EXPRESSION_CHARS = 512;
export const MAX_EXPRESSION_LITERAL_DIGITS = 12;
export const MAX_EXPRESSION_DEPTH = 32;
export const MAX_EXPRESSION_NUMBERS = 32;

export type Operator = "+" | "-" | "*" | "/";

export type Expr = { kind: "num"; value: bigint } | { kind: "bin"; op: Operator; left: Expr; right: Expr };

export type ParseResult = { ok: true; expr: Expr; numbers: bigint[] } | { ok: false; error: string };
export type EvalResult = { ok: true; value: Rational } | { ok: false; error: string };

const OPERATOR_CHARS: Record<string, Operator> = {
  "+": "+",
  "-": "-",
  "\u2212": "-", // − minus sign
  "*": "*",
  "\u00d7": "*", // ×
  "/": "/",
  "\u00f7": "/", // ÷
};

type Token = { kind: "num"; value: bigint; at: number } | { kind: "op"; op: Operator; at: number } | { kind: "(" | ")"; at: number };

class ParseError extends Error {}

function isAsciiDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let numbers = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (isAsciiDigit(c)) {
      let j = i;
      while (j < text.length && isAsciiDigit(text[j])) j++;
      const digits = text.slice(i, j);
      if (text[j] === ".") throw new ParseError(`only integers are allowed, found "${text.slice(i, j + 2)}" at ${i}`);
      if (digits.length > MAX_EXPRESSION_LITERAL_DIGITS) throw new ParseError(`number at ${i} has more than ${MAX_EXPRESSION_LITERAL_DIGITS} digits`);
      if (digits.length > 1 && digits[0] === "0") throw new ParseError(`number "${digits}" at ${i} has a leading zero`);
      if (++numbers > MAX_EXPRESSION_NUMBERS) throw new ParseError(`more than ${MAX_EXPRESSION_NUMBERS} numbers`);
      tokens.push({ kind: "num", value: BigInt(digits), at: i });
      i = j;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (c in OPERATOR_CHARS) {
      if (c === "*" && text[i + 1] === "*") throw new ParseError(`exponentiation is not allowed (at ${i})`);
      if (c === "/" && text[i + 1] === "/") throw new ParseError(`floor division "//" is not allowed (at ${i})`);
      tokens.push({ kind: "op", op: OPERATOR_CHARS[c], at: i });
      i++;
    } else if (c === "^") {
      throw new ParseError(`exponentiation is not allowed (at ${i})`);
    } else {
      const cp = text.codePointAt(i) ?? 0;
      throw new ParseError(`unexpected character ${JSON.stringify(String.fromCodePoint(cp))} (U+${cp.toString(16).toUpperCase().padStart(4, "0")}) at ${i}`);
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expr {
    if (this.tokens.length === 0) throw new ParseError("empty expression");
    const e = this.expr(0);
    const t = this.tokens[this.pos];
    if (t) throw new ParseError(`unexpected ${t.kind === "num" ? "number" : t.kind === "op" ? `"${t.op}"` : `"${t.kind}"`} at ${t.at}`);
    return e;
  }

  private expr(depth: number): Expr {
    let left = this.term(depth);
    for (;;) {
      const t = this.tokens[this.pos];
      if (t?.kind !== "op" || (t.op !== "+" && t.op !== "-")) return left;
      this.pos++;
      left = { kind: "bin", op: t.op, left, right: this.term(depth) };
    }
  }

  private term(depth: number): Expr {
    let left = this.factor(depth);
    for (;;) {
      const t = this.tokens[this.pos];
      if (t?.kind !== "op" || (t.op !== "*" && t.op !== "/")) return left;
      this.pos++;
      left = { kind: "bin", op: t.op, left, right: this.factor(depth) };
    }
  }

  private factor(depth: number): Expr {
    const t = this.tokens[this.pos];
    if (!t) throw new ParseError("expression ends too early");
    if (t.kind === "num") {
      this.pos++;
      return { kind: "num", value: t.value };
    }
    if (t.kind === "(") {
      if (depth + 1 > MAX_EXPRESSION_DEPTH) throw new ParseError(`parentheses nested deeper than ${MAX_EXPRESSION_DEPTH}`);
      this.pos++;
      const e = this.expr(depth + 1);
      if (this.tokens[this.pos]?.kind !== ")") throw new ParseError(`missing ")" for "(" at ${t.at}`);
      this.pos++;
      return e;
    }
    if (t.kind === "op") throw new ParseError(`unexpected "${t.op}" at ${t.at} (signs and unary operators are not allowed)`);
    throw new ParseError(`unexpected ")" at ${t.at}`);
  }
}

/** Parses an expression; never throws. */
export function parseExpression(text: string): ParseResult {
  if (text.length > MAX_EXPRESSION_CHARS) return { ok: false, error: `expression longer than ${MAX_EXPRESSION_CHARS} characters` };
  try {
    const tokens = tokenize(text);
    const expr = new Parser(tokens).parseAll();
    const numbers = tokens.flatMap((t) => (t.kind === "num" ? [t.value] : []));
    return { ok: true, expr, numbers };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Exact value of an expression; division by zero is an error, not Infinity. */
/** The exact value of an expression (the Countdown parser's; the engine's graph evaluator is another thing). */
export function evaluateExpression(e: Expr): EvalResult {
  if (e.kind === "num") return { ok: true, value: fromInt(e.value) };
  const l = evaluateExpression(e.left);
  if (!l.ok) return l;
  const r = evaluateExpression(e.right);
  if (!r.ok) return r;
  switch (e.op) {
    case "+":
      return { ok: true, value: add(l.value, r.value) };
    case "-":
      return { ok: true, value: sub(l.value, r.value) };
    case "*":
      return { ok: true, value: mul(l.value, r.value) };
    case "/": {
      const q = div(l.value, r.value);
      return q ? { ok: true, value: q } : { ok: false, error: "division by zero" };
    }
  }
}

const PRECEDENCE: Record<Operator, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

/** Formats with ASCII operators and the fewest parentheses that keep the same value: "(1 + 2) / 3". */
export function formatExpression(e: Expr): string {
  if (e.kind === "num") return e.value.toString();
  const p = PRECEDENCE[e.op];
  const wrap = (child: Expr, isRight: boolean): string => {
    const s = formatExpression(child);
    if (child.kind === "num") return s;
    const cp = PRECEDENCE[child.op];
    const needs = cp < p || (isRight && cp === p && (e.op === "-" || e.op === "/"));
    return needs ? `(${s})` : s;
  };
  return `${wrap(e.left, false)} ${e.op} ${wrap(e.right, true)}`;
}

/** Sorted-multiset equality of two lists of integers. */
export function sameMultiset(a: readonly bigint[], b: readonly bigint[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const sb = [...b].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return sa.every((x, i) => x === sb[i]);
}

/** @deprecated The old name of evaluateExpression. */
export const evaluate = evaluateExpression;
