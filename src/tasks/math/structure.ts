/**
 * The shape of a normalized answer: a scalar, or a compound that is compared part by part.
 *
 *   union     A \cup B                      order-free
 *   list      1, 2   /   1 and 2   /  1 \pm \sqrt2 (→ 1+\sqrt2, 1-\sqrt2)       order-free (multiple answers)
 *   set       \{1, 2\}                      order-free, duplicates ignored
 *   seq       (1, 2)  [1, 2)  [0, \infty)   ordered; the bracket characters must match ("brackets matter")
 *   matrix    \begin{pmatrix} a & b \cr c & d \end{pmatrix}  (bmatrix/vmatrix/array alike)
 *   relation  x < 2,  1 \le x < 3,  2x + y = 1
 *   scalar    anything else
 *
 * `x = 5`, `k = 5`, `f(x) = …`, `x \in [1,2)` reduce to their right-hand side when the left is a bare variable
 * (Qwen2.5-Math keeps the right side when the left has ≤ 2 characters). A whole answer that is exactly a number
 * with thousands separators (`1,000`, `12,345.5`) is a number, not a list; inside brackets or sets a comma always
 * separates elements. A European decimal comma (`1,5`) is therefore read as the list 1, 5.
 */
import { MAX_ELEMENTS, MAX_NESTING_DEPTH } from "./limits.js";
import { unwrapBraces } from "./normalize.js";

export type RelOp = "=" | "<" | ">" | "\\le" | "\\ge" | "\\ne";

export type Shape =
  | { readonly kind: "scalar"; readonly text: string }
  | { readonly kind: "list" | "set" | "union"; readonly items: readonly Shape[] }
  | { readonly kind: "seq"; readonly open: string; readonly close: string; readonly items: readonly Shape[] }
  | { readonly kind: "matrix"; readonly rows: readonly (readonly Shape[])[] }
  | { readonly kind: "relation"; readonly parts: readonly string[]; readonly ops: readonly RelOp[] };

const WHOLE_THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const SIMPLE_LHS = /^(?:[a-zA-Z](?:_\{?\w+\}?)?'*|\\[a-zA-Z]+|[a-zA-Z]\s*\(\s*[a-zA-Z]\s*\))$/;
const MATRIX = /^\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}$/s;
const REL_TOKENS: ReadonlyArray<readonly [string, RelOp | "in"]> = [
  ["\\le", "\\le"],
  ["\\ge", "\\ge"],
  ["\\ne", "\\ne"],
  ["\\in", "in"],
  ["\\to", "in"],
  ["=", "="],
  ["<", "<"],
  [">", ">"],
];

type Piece = { text: string; sep: string };

/**
 * Split `s` at top-level occurrences of the given separators. Brackets ( [ { \{ open and ) ] } \} close a level
 * whatever their type, so half-open intervals such as `[1,2)` are balanced.
 */
export function splitTopLevel(s: string, seps: readonly string[]): Piece[] {
  if (!seps.some((t) => s.includes(t))) return [{ text: s, sep: "" }];
  const out: Piece[] = [];
  let depth = 0;
  let start = 0;
  let sep = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      const next = s[i + 1];
      if (next === "{") {
        depth++;
        i++;
        continue;
      }
      if (next === "}") {
        depth--;
        i++;
        continue;
      }
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0) {
      for (const token of seps) {
        if (s.startsWith(token, i) && !(token.startsWith("\\") && /[a-zA-Z]/.test(s[i + token.length] ?? ""))) {
          out.push({ text: s.slice(start, i), sep });
          sep = token;
          i += token.length - 1;
          start = i + 1;
          break;
        }
      }
    }
  }
  out.push({ text: s.slice(start), sep });
  return out;
}

/** Index of the bracket closing the one at 0 (any bracket type), or -1. */
function closingIndex(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && (s[i + 1] === "{" || s[i + 1] === "}")) {
      depth += s[i + 1] === "{" ? 1 : -1;
      i++;
      if (depth === 0) return i;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && --depth === 0) return i;
  }
  return -1;
}

export function parseShape(text: string, depth = 0): Shape {
  const s = unwrapBraces(text.trim());
  if (depth > MAX_NESTING_DEPTH) return { kind: "scalar", text: s };
  const sub = (t: string): Shape => parseShape(t, depth + 1);

  const union = splitTopLevel(s, ["\\cup"]);
  if (union.length > 1) return { kind: "union", items: union.slice(0, MAX_ELEMENTS).map((p) => sub(p.text)) };

  if (!WHOLE_THOUSANDS.test(s)) {
    const parts = splitTopLevel(s, [",", ";"]).filter((p) => p.text.trim().length > 0);
    if (parts.length > 1) return { kind: "list", items: parts.slice(0, MAX_ELEMENTS).map((p) => sub(p.text)) };
  }

  const matrix = MATRIX.exec(s);
  if (matrix !== null) {
    const rows = splitTopLevel(matrix[2], ["\\cr"])
      .map((r) => r.text.trim())
      .filter((r) => r.length > 0)
      .slice(0, MAX_ELEMENTS)
      .map((r) => splitTopLevel(r, ["&"]).slice(0, MAX_ELEMENTS).map((c) => sub(c.text)));
    return { kind: "matrix", rows };
  }

  if (s.startsWith("\\{") && s.endsWith("\\}") && closingIndex(s) === s.length - 1) {
    const inner = s.slice(2, -2).trim();
    const items = inner.length === 0 ? [] : splitTopLevel(inner, [",", ";"]).map((p) => sub(p.text));
    return { kind: "set", items: items.slice(0, MAX_ELEMENTS) };
  }

  const first = s[0];
  const last = s[s.length - 1];
  if ((first === "(" || first === "[") && (last === ")" || last === "]") && closingIndex(s) === s.length - 1) {
    const inner = s.slice(1, -1);
    const items = splitTopLevel(inner, [","]);
    if (items.length > 1) return { kind: "seq", open: first, close: last, items: items.slice(0, MAX_ELEMENTS).map((p) => sub(p.text)) };
    if (first === "(" && last === ")") return sub(inner); // (5) is just 5; [5] stays a one-element bracket
  }

  const rel = splitTopLevel(s, REL_TOKENS.map(([t]) => t));
  if (rel.length > 1) {
    const lhs = rel[0].text.trim();
    const firstOp = REL_TOKENS.find(([t]) => t === rel[1].sep)?.[1];
    if ((firstOp === "=" || firstOp === "in") && SIMPLE_LHS.test(lhs) && rel.every((p, i) => i === 0 || p.sep === "=" || i === 1)) {
      return sub(rel[rel.length - 1].text); // x = 2 + 3 = 5 → 5
    }
    const ops: RelOp[] = [];
    for (const p of rel.slice(1)) {
      const op = REL_TOKENS.find(([t]) => t === p.sep)?.[1];
      if (op === undefined || op === "in") return { kind: "scalar", text: s };
      ops.push(op);
    }
    return { kind: "relation", parts: rel.map((p) => p.text.trim()), ops };
  }

  const pm = splitTopLevel(s, ["\\pm", "\\mp"]);
  if (pm.length === 2) {
    const [a, b] = [pm[0].text.trim(), pm[1].text.trim()];
    return { kind: "list", items: [sub(`${a} + ${b}`.trim()), sub(`${a} - ${b}`.trim())] };
  }
  return { kind: "scalar", text: s };
}
