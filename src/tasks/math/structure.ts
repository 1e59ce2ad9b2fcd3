/**
 * The shape of a normalized answer: a scalar, or a compound that is compared part by part.
 *
 *   union     A \cup B                      order-free
 *   list      1, 2   /   1 and 2   /  1 \pm \sqrt2 (→ 1+\sqrt2, 1-\sqrt2)       order-free (multiple answers)
 *   set       \{1, 2\}                      order-free, duplicates ignored
 *   seq       (1, 2)  [1, 2)  [0, \infty)  (0;0;6)   ordered; the bracket characters must match ("brackets matter")
 *   matrix    \begin{pmatrix} a & b \cr c & d \end{pmatrix}, also sums and products of them (matrix.ts)
 *   relation  x < 2,  1 \le x < 3,  2x + y = 1,  x = 5  (an assignment: see below)
 *   scalar    anything else
 *
 * Assignments. An `=` chain whose first side is a name (symbols.ts: `x`, `AB`, `f(x)`, `(p,q)`, `|AB|`, `A:B`) is an
 * assignment of its last side (`x = 2 + 3 = 5` assigns 5); so is a chain whose second-to-last side is a name
 * (`1 = \zzz = x = 0` assigns 0), and a computation whose sides are all variable-free (`\frac12 = \frac{10}{9}`
 * assigns 10/9). The relation keeps its parts and carries the `assigned` value; equal.ts decides which one to compare.
 * `x \in [1,2)` reduces to its right side. `a \approx b` reads as `a` (the exact value) unless `a` is a name.
 *
 * Solutions separated by `;` whose components are assignments (`p=5,q=2;p=7,q=2`) are tuples: `(5,2), (7,2)`.
 * A whole answer that is exactly a number with thousands separators (`1,000`, `12,345.5`; the first group does not
 * start with 0) is a number, not a list; inside brackets or sets a comma always separates elements.
 */
import { MAX_ELEMENTS, MAX_NESTING_DEPTH } from "./limits.js";
import { matrixCells } from "./matrix.js";
import { unwrapBraces } from "./normalize.js";
import { onlySymbols, variableFree } from "./symbols.js";

export type RelOp = "=" | "<" | ">" | "\\le" | "\\ge" | "\\ne";

export type Shape =
  | { readonly kind: "scalar"; readonly text: string }
  | { readonly kind: "list" | "set" | "union"; readonly items: readonly Shape[] }
  | { readonly kind: "seq"; readonly open: string; readonly close: string; readonly items: readonly Shape[] }
  | { readonly kind: "matrix"; readonly rows: readonly (readonly Shape[])[] }
  | {
      readonly kind: "relation";
      readonly parts: readonly string[];
      readonly ops: readonly RelOp[];
      /** For an assignment or a computation: the value it assigns, and the name it assigns to (null: none). */
      readonly assigned?: { readonly value: Shape; readonly name: string | null };
    };

export const WHOLE_THOUSANDS = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;
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

const nonEmpty = (pieces: Piece[]): Piece[] => pieces.filter((p) => p.text.trim().length > 0);

/** `name = value` with a name on the left (one `=`), as [name, value]; null otherwise. */
function assignmentParts(text: string): [string, string] | null {
  const parts = splitTopLevel(text, ["="]);
  if (parts.length !== 2 || !onlySymbols(parts[0].text)) return null;
  return [parts[0].text.trim(), parts[1].text.trim()];
}

/** `p=5,q=2;p=7,q=2` → the tuples (5,2), (7,2); null when the `;` groups are not all assignments. */
function assignmentGroups(s: string, depth: number): Shape | null {
  const groups = nonEmpty(splitTopLevel(s, [";"]));
  if (groups.length < 2) return null;
  const tuples: Shape[] = [];
  for (const g of groups.slice(0, MAX_ELEMENTS)) {
    const values = nonEmpty(splitTopLevel(g.text, [","])).map((p) => assignmentParts(p.text));
    if (values.length < 2 || values.some((v) => v === null)) return null;
    const items = (values as Array<[string, string]>).map(([, v]) => parseShape(v, depth + 1));
    tuples.push({ kind: "seq", open: "(", close: ")", items });
  }
  return { kind: "list", items: tuples };
}

/** The value an `=` chain assigns (see the header), or undefined when it is a plain relation. */
function assignment(parts: readonly string[], ops: readonly RelOp[], depth: number): { value: Shape; name: string | null } | undefined {
  if (!ops.every((o) => o === "=")) return undefined;
  const value = (): Shape => parseShape(parts[parts.length - 1], depth + 1);
  if (onlySymbols(parts[0])) return { value: value(), name: parts[0] };
  if (parts.length > 2 && onlySymbols(parts[parts.length - 2])) return { value: value(), name: parts[parts.length - 2] };
  if (parts.every(variableFree)) return { value: value(), name: null };
  return undefined;
}

export function parseShape(text: string, depth = 0): Shape {
  const s = unwrapBraces(text.trim());
  if (depth > MAX_NESTING_DEPTH) return { kind: "scalar", text: s };
  const sub = (t: string): Shape => parseShape(t, depth + 1);

  const union = splitTopLevel(s, ["\\cup"]);
  if (union.length > 1) return { kind: "union", items: union.slice(0, MAX_ELEMENTS).map((p) => sub(p.text)) };

  if (!WHOLE_THOUSANDS.test(s)) {
    if (s.includes(";")) {
      const grouped = assignmentGroups(s, depth);
      if (grouped !== null) return grouped;
    }
    const parts = nonEmpty(splitTopLevel(s, [",", ";"]));
    if (parts.length > 1) return { kind: "list", items: parts.slice(0, MAX_ELEMENTS).map((p) => sub(p.text)) };
  }

  const matrix = s.includes("\\begin") ? matrixCells(s, splitTopLevel) : null;
  if (matrix !== null) return { kind: "matrix", rows: matrix.map((row) => row.map(sub)) };

  if (s.startsWith("\\{") && s.endsWith("\\}") && closingIndex(s) === s.length - 1) {
    const inner = s.slice(2, -2).trim();
    const items = inner.length === 0 ? [] : splitTopLevel(inner, [",", ";"]).map((p) => sub(p.text));
    return { kind: "set", items: items.slice(0, MAX_ELEMENTS) };
  }

  const first = s[0];
  const last = s[s.length - 1];
  if ((first === "(" || first === "[") && (last === ")" || last === "]") && closingIndex(s) === s.length - 1) {
    const inner = s.slice(1, -1);
    let items = splitTopLevel(inner, [","]);
    if (items.length === 1) items = splitTopLevel(inner, [";"]); // (0;-2;6)
    if (items.length > 1) return { kind: "seq", open: first, close: last, items: items.slice(0, MAX_ELEMENTS).map((p) => sub(p.text)) };
    if (first === "(" && last === ")") return sub(inner); // (5) is just 5; [5] stays a one-element bracket
  }

  const approx = splitTopLevel(s, ["\\approx"]);
  if (approx.length > 1) {
    const exact = approx[0].text.trim();
    return sub(onlySymbols(exact) ? approx[1].text : exact);
  }

  const rel = splitTopLevel(s, REL_TOKENS.map(([t]) => t));
  if (rel.length > 1) {
    const firstOp = REL_TOKENS.find(([t]) => t === rel[1].sep)?.[1];
    if (firstOp === "in" && onlySymbols(rel[0].text)) return sub(rel[rel.length - 1].text); // x \in [1,2) → [1,2)
    const ops: RelOp[] = [];
    for (const p of rel.slice(1)) {
      const op = REL_TOKENS.find(([t]) => t === p.sep)?.[1];
      if (op === undefined || op === "in") return { kind: "scalar", text: s };
      ops.push(op);
    }
    const parts = rel.map((p) => p.text.trim());
    if (parts.some((p) => p.length === 0)) return { kind: "scalar", text: s };
    const assigned = assignment(parts, ops, depth);
    return assigned === undefined ? { kind: "relation", parts, ops } : { kind: "relation", parts, ops, assigned };
  }

  const pm = splitTopLevel(s, ["\\pm", "\\mp"]);
  if (pm.length === 2) {
    const [a, b] = [pm[0].text.trim(), pm[1].text.trim()];
    return { kind: "list", items: [sub(`${a} + ${b}`.trim()), sub(`${a} - ${b}`.trim())] };
  }
  return { kind: "scalar", text: s };
}
