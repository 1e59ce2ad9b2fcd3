/**
 * Recursive-descent parser for the LaTeX (and plain-text) expressions found in final answers.
 *
 * Grammar (standard precedence; implicit multiplication binds like `*`):
 *   expr    := term (("+" | "-") term)*
 *   term    := signed (("*" | "\cdot" | "\times" | "/" | "\div") signed | <implicit> power)*   left-assoc
 *   signed  := ("-" | "+") signed | power
 *   power   := postfix ("^" arg)?            right-associative
 *   postfix := primary "!"*
 *   primary := number | letter[_sub] | "(" expr ")" | "[" expr "]" | "{" expr "}" | "|" expr "|"
 *            | \frac a b | \sqrt[n] a | \binom a b | \pi | \infty | greek | func[^p][_b] arg | \lfloor … \rfloor
 *
 * LaTeX argument rules: `\frac12` = `\frac{1}{2}` (one digit per argument, as TeX reads it and as Qwen2.5-Math's
 * `_fix_fracs` rewrites it); `\sqrt12` = `\sqrt{12}` (Qwen2.5-Math's `_fix_sqrt`). A letter run such as `xy` is the
 * product x·y, except known function words (`sin`, `sqrt`, `pi`, …) written without a backslash. A number followed by
 * `e`/`E` and an (optionally signed) integer is scientific notation (`5e-3`), as in the exact fast path.
 * Returns null (never throws) on anything outside the grammar or beyond MAX_NESTING_DEPTH / MAX_TOKENS.
 */
import { FUNCTIONS, type FunctionName, type MathNode } from "./latex-ast.js";
import { MAX_NESTING_DEPTH, MAX_TOKENS } from "./limits.js";

type Token =
  | { t: "num"; v: string }
  | { t: "id"; v: string }
  | { t: "cmd"; v: string }
  | { t: "op"; v: string }
  | { t: "eof"; v: "" };

class ParseError extends Error {}

const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
  "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
  "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
]);
/** Function words recognised without a backslash, longest first so `sinh` wins over `sin`. */
const PLAIN_WORDS = [
  "arcsin", "arccos", "arctan", "sqrt", "sinh", "cosh", "tanh", "sin", "cos", "tan", "sec", "csc", "cot", "log",
  "exp", "ln", "pi",
];
const INVERSE_TRIG: Partial<Record<FunctionName, FunctionName>> = { sin: "arcsin", cos: "arccos", tan: "arctan" };
/** Commands that are pure layout and carry no meaning inside an expression. */
const SKIPPED = new Set(["left", "right", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "displaystyle", ",", ";", ":", "!", " ", "quad", "qquad"]);
const MUL_COMMANDS = new Set(["cdot", "times"]);

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    if (out.length > MAX_TOKENS) throw new ParseError("too many tokens");
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 126 /* ~ */) {
      i++;
    } else if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      let j = i;
      while (j < src.length && isDigit(src.charCodeAt(j))) j++;
      if (src[j] === "." && isDigit(src.charCodeAt(j + 1))) {
        j++;
        while (j < src.length && isDigit(src.charCodeAt(j))) j++;
      }
      // Scientific notation `1.5e3`, `5e-324`, as the exact fast path reads it (a bare `e` is Euler's number).
      const sign = src[j + 1] === "+" || src[j + 1] === "-" ? 1 : 0;
      if ((src[j] === "e" || src[j] === "E") && isDigit(src.charCodeAt(j + 1 + sign))) {
        j += 1 + sign;
        while (j < src.length && isDigit(src.charCodeAt(j))) j++;
      }
      out.push({ t: "num", v: src.slice(i, j) });
      i = j;
    } else if (c === 92 /* \ */) {
      let j = i + 1;
      if (isLetter(src.charCodeAt(j))) {
        while (j < src.length && isLetter(src.charCodeAt(j))) j++;
      } else {
        j++;
      }
      const name = src.slice(i + 1, j);
      if (!SKIPPED.has(name)) out.push({ t: "cmd", v: name });
      i = j;
    } else if (isLetter(c)) {
      const word = PLAIN_WORDS.find((w) => src.startsWith(w, i));
      if (word !== undefined) {
        out.push({ t: "cmd", v: word });
        i += word.length;
      } else {
        out.push({ t: "id", v: src[i] });
        i++;
      }
    } else if ("+-*/^_()[]{}!|,.".includes(src[i])) {
      out.push({ t: "op", v: src[i] });
      i++;
    } else {
      throw new ParseError(`unexpected character ${JSON.stringify(src[i])}`);
    }
  }
  out.push({ t: "eof", v: "" });
  return out;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private absDepth = 0;
  constructor(private readonly toks: Token[]) {}

  parseAll(): MathNode {
    const node = this.expr();
    if (this.peek().t !== "eof") throw new ParseError(`unexpected ${this.peek().v}`);
    return node;
  }

  private peek(): Token {
    return this.toks[this.pos];
  }
  private next(): Token {
    return this.toks[this.pos++];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.t !== "op" || t.v !== v) throw new ParseError(`expected ${v}`);
  }
  private enter(): void {
    if (++this.depth > MAX_NESTING_DEPTH) throw new ParseError("nesting too deep");
  }

  private expr(): MathNode {
    this.enter();
    let left = this.term();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().v as "+" | "-";
      left = { kind: "bin", op, left, right: this.term() };
    }
    this.depth--;
    return left;
  }

  private term(): MathNode {
    let left = this.signed();
    for (;;) {
      const t = this.peek();
      if ((t.t === "op" && t.v === "*") || (t.t === "cmd" && MUL_COMMANDS.has(t.v))) {
        this.next();
        left = { kind: "bin", op: "*", left, right: this.signed() };
      } else if ((t.t === "op" && t.v === "/") || (t.t === "cmd" && t.v === "div")) {
        this.next();
        left = { kind: "bin", op: "/", left, right: this.signed() };
      } else if (this.startsFactor(t)) {
        left = { kind: "bin", op: "*", left, right: this.power() };
      } else {
        break;
      }
    }
    return left;
  }

  /** A power with optional leading signs: `-x^2` = −(x²). */
  private signed(): MathNode {
    this.enter();
    let node: MathNode;
    if (this.isOp("-")) {
      this.next();
      node = { kind: "neg", arg: this.signed() };
    } else if (this.isOp("+")) {
      this.next();
      node = this.signed();
    } else {
      node = this.power();
    }
    this.depth--;
    return node;
  }

  private startsFactor(t: Token): boolean {
    if (t.t === "num" || t.t === "id") return true;
    if (t.t === "op") return t.v === "(" || t.v === "[" || t.v === "{" || (t.v === "|" && this.absDepth === 0);
    if (t.t === "cmd") return !MUL_COMMANDS.has(t.v) && t.v !== "div" && t.v !== "rfloor" && t.v !== "rceil" && t.v !== "rvert";
    return false;
  }

  private power(): MathNode {
    this.enter();
    const base = this.postfix();
    let node = base;
    if (this.isOp("^")) {
      this.next();
      const exponent = this.superscript();
      node = { kind: "bin", op: "^", left: base, right: exponent };
      while (this.isOp("!")) {
        this.next();
        node = { kind: "fact", arg: node };
      }
    }
    this.depth--;
    return node;
  }

  /** `^{…}`, `^2`, `^-1`, `^23` (= ^2 followed by 3, as TeX reads it). */
  private superscript(): MathNode {
    this.enter();
    let e: MathNode;
    if (this.isOp("-")) {
      this.next();
      e = { kind: "neg", arg: this.argument(true) };
    } else {
      e = this.argument(true);
      if (this.isOp("^")) {
        this.next();
        e = { kind: "bin", op: "^", left: e, right: this.superscript() };
      }
    }
    this.depth--;
    return e;
  }

  private postfix(): MathNode {
    let node = this.primary();
    while (this.isOp("!")) {
      this.next();
      node = { kind: "fact", arg: node };
    }
    return node;
  }

  /** A TeX macro argument: a `{group}` or one token (one digit when splitDigits). */
  private argument(splitDigits: boolean): MathNode {
    const t = this.peek();
    if (t.t === "op" && t.v === "{") {
      this.next();
      const inner = this.expr();
      this.expect("}");
      return inner;
    }
    if (t.t === "num" && splitDigits && t.v.length > 1) {
      const digit = t.v[0];
      const rest = t.v.slice(1);
      if (rest.startsWith(".")) return this.primary(); // `^.5` style: take the whole literal
      this.toks[this.pos] = { t: "num", v: rest };
      return { kind: "num", value: digit };
    }
    return this.primary();
  }

  private primary(): MathNode {
    this.enter();
    const node = this.primaryInner();
    this.depth--;
    return node;
  }

  private primaryInner(): MathNode {
    const t = this.next();
    if (t.t === "num") return { kind: "num", value: t.v };
    if (t.t === "id") return this.symbol(t.v);
    if (t.t === "op") {
      if (t.v === "(" || t.v === "[" || t.v === "{") {
        const inner = this.expr();
        this.expect(t.v === "(" ? ")" : t.v === "[" ? "]" : "}");
        return inner;
      }
      if (t.v === "|") {
        this.absDepth++;
        const inner = this.expr();
        this.absDepth--;
        this.expect("|");
        return { kind: "fn", name: "abs", args: [inner] };
      }
      throw new ParseError(`unexpected ${t.v}`);
    }
    if (t.t === "cmd") return this.command(t.v);
    throw new ParseError("unexpected end of input");
  }

  private symbol(letter: string): MathNode {
    if (this.isOp("_")) {
      this.next();
      const sub = this.next();
      let text: string;
      if (sub.t === "op" && sub.v === "{") {
        text = "";
        while (!this.isOp("}")) {
          const s = this.next();
          if (s.t === "eof" || !(s.t === "num" || s.t === "id")) throw new ParseError("unsupported subscript");
          text += s.v;
        }
        this.next();
      } else if (sub.t === "num" || sub.t === "id") {
        text = sub.v;
      } else {
        throw new ParseError("unsupported subscript");
      }
      return { kind: "sym", name: `${letter}_${text}` };
    }
    if (letter === "e") return { kind: "const", name: "e" };
    if (letter === "i") return { kind: "const", name: "i" };
    return { kind: "sym", name: letter };
  }

  private command(name: string): MathNode {
    switch (name) {
      case "frac":
      case "dfrac":
      case "tfrac":
      case "cfrac": {
        const num = this.argument(true);
        const den = this.argument(true);
        return { kind: "bin", op: "/", left: num, right: den };
      }
      case "sqrt": {
        if (this.isOp("[")) {
          this.next();
          const index = this.expr();
          this.expect("]");
          return { kind: "root", index, arg: this.argument(false) };
        }
        return { kind: "fn", name: "sqrt", args: [this.argument(false)] };
      }
      case "binom":
      case "dbinom":
      case "tbinom": {
        const n = this.argument(true);
        return { kind: "binom", n, k: this.argument(true) };
      }
      case "pi":
        return { kind: "const", name: "pi" };
      case "infty":
        return { kind: "const", name: "infty" };
      case "lfloor":
      case "lceil": {
        const inner = this.expr();
        const close = this.next();
        if (close.t !== "cmd" || close.v !== (name === "lfloor" ? "rfloor" : "rceil")) throw new ParseError("unclosed floor/ceil");
        return { kind: "fn", name: name === "lfloor" ? "floor" : "ceil", args: [inner] };
      }
      case "lvert":
      case "vert": {
        this.absDepth++;
        const inner = this.expr();
        this.absDepth--;
        const close = this.next();
        if (close.t !== "cmd" || (close.v !== "rvert" && close.v !== "vert")) throw new ParseError("unclosed |…|");
        return { kind: "fn", name: "abs", args: [inner] };
      }
      case "operatorname": {
        const word = this.braceWord();
        if (!Object.hasOwn(FUNCTIONS, word)) throw new ParseError(`unknown function ${word}`);
        return this.func(word as FunctionName);
      }
      default:
        if (GREEK.has(name)) return { kind: "sym", name };
        if (Object.hasOwn(FUNCTIONS, name)) return this.func(name as FunctionName);
        throw new ParseError(`unsupported command \\${name}`);
    }
  }

  private braceWord(): string {
    this.expect("{");
    let word = "";
    while (!this.isOp("}")) {
      const t = this.next();
      if (t.t === "eof") throw new ParseError("unclosed {");
      word += t.v;
    }
    this.next();
    return word;
  }

  /** `\sin x`, `\sin^2 x`, `\sin^{-1} x`, `\log_2 8`, `\ln(x)`, `\sqrt` handled elsewhere. */
  private func(name: FunctionName): MathNode {
    let fname: FunctionName = name;
    let powerOf: MathNode | null = null;
    let base: MathNode | null = null;
    for (let k = 0; k < 2; k++) {
      if (this.isOp("^")) {
        this.next();
        const p = this.superscript();
        const inverse = INVERSE_TRIG[fname];
        if (p.kind === "neg" && p.arg.kind === "num" && p.arg.value === "1" && inverse !== undefined) fname = inverse;
        else powerOf = p;
      } else if (this.isOp("_")) {
        this.next();
        base = this.argument(false);
      }
    }
    let arg: MathNode;
    if (this.isOp("(")) {
      this.next();
      arg = this.expr();
      this.expect(")");
    } else {
      // `\sin 2x` = sin(2x): the argument is the following implicit product.
      arg = this.power();
      while (this.startsFactor(this.peek()) && !(this.peek().t === "cmd" && Object.hasOwn(FUNCTIONS, this.peek().v))) {
        arg = { kind: "bin", op: "*", left: arg, right: this.power() };
      }
    }
    let node: MathNode =
      base !== null && fname === "log" ? { kind: "logb", base, arg } : { kind: "fn", name: fname, args: [arg] };
    if (powerOf !== null) node = { kind: "bin", op: "^", left: node, right: powerOf };
    return node;
  }
}

/** Parse one expression; null when it is outside the supported grammar or over a structural limit. */
export function parseLatexExpression(src: string): MathNode | null {
  try {
    return new Parser(tokenize(src)).parseAll();
  } catch (e) {
    if (e instanceof ParseError || e instanceof RangeError) return null;
    throw e;
  }
}
