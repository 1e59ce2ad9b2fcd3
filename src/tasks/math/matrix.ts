/**
 * Matrices in a normalized answer: one literal (`pmatrix`, `bmatrix`, `vmatrix`, `array`, also `\left[ array \right]`),
 * or a sum, difference or product of literals (`A + B`, `A - B`, `A B`, `A \cdot B`), worked out cell by cell as
 * expression text: the cell (i, j) of A + B is `(a_ij)+(b_ij)`, of A·B is `(a_i1)*(b_1j)+…`. The cells are then
 * compared like any scalar answer (exact fast path, else the CAS), so `\begin{pmatrix}1&2\\3&4\end{pmatrix} +
 * \begin{pmatrix}5&6\\7&8\end{pmatrix}` equals `\begin{pmatrix}6&8\\10&12\end{pmatrix}`. Shapes that do not fit
 * (a 2×2 plus a 3×3) are not a matrix. Determinants, inverses and scalar multiples are not worked out.
 */
import { MAX_ELEMENTS, MAX_SYMBOLIC_CHARS } from "./limits.js";

/** Rows of cell texts. */
export type Cells = string[][];

/** Largest side of a matrix that takes part in a product (the product's cell texts grow with it). */
const MAX_PRODUCT_SIDE = 16;
const LITERAL = /\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*?)\\end\{\1\}/gs;
const BRACKETED_ARRAY = /^[[(]\s*(\\begin\{array\}.*\\end\{array\})\s*[\])]$/s;
const OPERATOR = /^\s*(\+|-|\\cdot|\\times|\*)?\s*$/;

type Split = (s: string, seps: readonly string[]) => Array<{ text: string }>;

function cells(body: string, split: Split): Cells {
  return split(body, ["\\cr"])
    .map((r) => r.text.trim())
    .filter((r) => r.length > 0)
    .slice(0, MAX_ELEMENTS)
    .map((r) => split(r, ["&"]).slice(0, MAX_ELEMENTS).map((c) => c.text.trim()));
}

function rectangular(m: Cells): boolean {
  return m.length > 0 && m.every((row) => row.length === m[0].length);
}

/** Null when a cell grew past what the CAS accepts (a long chain of products doubles the text each time). */
function bounded(m: Cells): Cells | null {
  return m.every((row) => row.every((c) => c.length <= MAX_SYMBOLIC_CHARS)) ? m : null;
}

function sum(a: Cells, b: Cells, op: "+" | "-"): Cells | null {
  if (a.length !== b.length || a.some((row, i) => row.length !== b[i].length)) return null;
  return bounded(a.map((row, i) => row.map((x, j) => `(${x})${op}(${b[i][j]})`)));
}

function product(a: Cells, b: Cells): Cells | null {
  if (!rectangular(a) || !rectangular(b) || a[0].length !== b.length) return null;
  if (Math.max(a.length, b.length, b[0].length) > MAX_PRODUCT_SIDE) return null;
  // Cell (i, j) has length ≈ n·(|a_ik| + |b_kj|): refuse before building anything over the limit.
  const longest = (m: Cells): number => Math.max(...m.map((row) => Math.max(...row.map((c) => c.length))));
  if (b.length * (longest(a) + longest(b) + 6) > MAX_SYMBOLIC_CHARS) return null;
  return bounded(a.map((row) => b[0].map((_, j) => row.map((x, k) => `(${x})*(${b[k][j]})`).join("+"))));
}

/**
 * The cells of a matrix answer (one literal, or literals joined by + − × / juxtaposition, evaluated left to right
 * with products first); null when `s` is not such an answer. `split` is structure.ts's top-level splitter.
 */
export function matrixCells(text: string, split: Split): Cells | null {
  const s = BRACKETED_ARRAY.exec(text)?.[1] ?? text;
  if (!s.includes("\\begin")) return null;
  const literals: Cells[] = [];
  const ops: string[] = [];
  let at = 0;
  LITERAL.lastIndex = 0;
  for (let m = LITERAL.exec(s); m !== null; m = LITERAL.exec(s)) {
    const between = OPERATOR.exec(s.slice(at, m.index));
    if (between === null || (literals.length === 0 && between[1] !== undefined)) return null;
    if (literals.length > 0) ops.push(between[1] ?? "*");
    literals.push(cells(m[2], split));
    at = m.index + m[0].length;
    if (literals.length > MAX_ELEMENTS) return null;
  }
  if (literals.length === 0 || s.slice(at).trim().length > 0) return null;
  // Products bind first: fold each run of products, then add the terms left to right.
  const terms: Array<{ sign: "+" | "-"; m: Cells }> = [{ sign: "+", m: literals[0] }];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const next = literals[i + 1];
    if (op === "+" || op === "-") {
      terms.push({ sign: op, m: next });
    } else {
      const last = terms[terms.length - 1];
      const m = product(last.m, next);
      if (m === null) return null;
      last.m = m;
    }
  }
  let result: Cells | null = terms[0].m;
  for (const t of terms.slice(1)) {
    result = sum(result, t.m, t.sign);
    if (result === null) return null;
  }
  return result;
}
