// Symbolic dims: a dim is a number or a polynomial with integer coefficients over symbol names,
// written canonically as a string: "B", "B*T", "T-1", "P+T", "2*B". Used for static shape inference.
import type { Dim } from "./types.js";

/** monomial key (sorted symbols joined by "*", "" for the constant term) → integer coefficient */
type Poly = Map<string, number>;

const SYMBOL_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOKEN_RE = /\s*([A-Za-z_][A-Za-z0-9_]*|\d+|[+\-*])/y;

export function isStaticDim(d: Dim): d is number {
  return typeof d === "number";
}

export function isSymbolName(s: string): boolean {
  return SYMBOL_RE.test(s);
}

function parsePoly(text: string): Poly {
  const tokens: string[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (!m) throw new Error(`dims: cannot parse symbolic dim "${text}" (expected names, integers, + - *)`);
    tokens.push(m[1]);
    pos = TOKEN_RE.lastIndex;
  }
  const poly: Poly = new Map();
  let i = 0;
  let sign = 1;
  if (tokens[0] === "-") { sign = -1; i++; } else if (tokens[0] === "+") i++;
  for (;;) {
    let coeff = sign;
    const syms: string[] = [];
    for (;;) {
      const t = tokens[i++];
      if (t === undefined || t === "+" || t === "-" || t === "*") {
        throw new Error(`dims: cannot parse symbolic dim "${text}" (expected a name or integer)`);
      }
      if (/^\d+$/.test(t)) coeff *= Number(t); else syms.push(t);
      if (tokens[i] !== "*") break;
      i++;
    }
    addTerm(poly, syms.sort().join("*"), coeff);
    const op = tokens[i];
    if (op === undefined) break;
    if (op !== "+" && op !== "-") throw new Error(`dims: cannot parse symbolic dim "${text}" (unexpected "${op}")`);
    sign = op === "+" ? 1 : -1;
    i++;
  }
  return poly;
}

function addTerm(p: Poly, key: string, coeff: number): void {
  const c = (p.get(key) ?? 0) + coeff;
  if (c === 0) p.delete(key); else p.set(key, c);
}

function toPoly(d: Dim): Poly {
  if (typeof d === "number") {
    if (!Number.isInteger(d) || d < 0) throw new Error(`dims: a dim must be a non-negative integer or a symbol, got ${d}`);
    const p: Poly = new Map();
    if (d !== 0) p.set("", d);
    return p;
  }
  return parsePoly(d);
}

function degree(key: string): number {
  return key === "" ? 0 : key.split("*").length;
}

function fromPoly(p: Poly): Dim {
  const keys = [...p.keys()].sort((a, b) => degree(b) - degree(a) || (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return 0;
  if (keys.length === 1 && keys[0] === "") return p.get("")!;
  let s = "";
  for (const k of keys) {
    const c = p.get(k)!;
    const mag = Math.abs(c);
    const body = k === "" ? String(mag) : mag === 1 ? k : `${mag}*${k}`;
    s += c < 0 ? `-${body}` : s === "" ? body : `+${body}`;
  }
  return s;
}

/** Canonical form of a dim (validates it); "T+0" → "T", "2" → 2. */
export function canonicalDim(d: Dim): Dim {
  return fromPoly(toPoly(d));
}

export function dimEquals(a: Dim, b: Dim): boolean {
  return canonicalDim(a) === canonicalDim(b);
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a + b;
  const p = toPoly(a);
  for (const [k, c] of toPoly(b)) addTerm(p, k, c);
  return fromPoly(p);
}

export function dimSub(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const p = toPoly(a);
  for (const [k, c] of toPoly(b)) addTerm(p, k, -c);
  return fromPoly(p);
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a * b;
  const pa = toPoly(a);
  const pb = toPoly(b);
  const p: Poly = new Map();
  for (const [ka, ca] of pa) {
    for (const [kb, cb] of pb) {
      const key = [...(ka ? ka.split("*") : []), ...(kb ? kb.split("*") : [])].sort().join("*");
      addTerm(p, key, ca * cb);
    }
  }
  return fromPoly(p);
}

/** Product of dims (1 for none). */
export function dimProduct(ds: readonly Dim[]): Dim {
  let acc: Dim = 1;
  for (const d of ds) acc = dimMul(acc, d);
  return acc;
}

/** Exact quotient a / b, or undefined when it is not a polynomial with integer coefficients (or b is 0). */
export function dimDiv(a: Dim, b: Dim): Dim | undefined {
  if (typeof a === "number" && typeof b === "number") return b !== 0 && a % b === 0 ? a / b : undefined;
  const pa = toPoly(a);
  const pb = toPoly(b);
  if (pb.size !== 1) {
    // only exact multiples k·b of a non-monomial divisor
    const [kb, cb] = [...pb.entries()][0] ?? ["", 0];
    const ca = pa.get(kb);
    if (ca === undefined || cb === 0 || ca % cb !== 0) return undefined;
    const k = ca / cb;
    return dimEquals(dimMul(b, k), a) ? k : undefined;
  }
  const [kb, cb] = [...pb.entries()][0];
  const divSyms = kb ? kb.split("*") : [];
  const q: Poly = new Map();
  for (const [ka, ca] of pa) {
    if (ca % cb !== 0) return undefined;
    const syms = ka ? ka.split("*") : [];
    for (const s of divSyms) {
      const j = syms.indexOf(s);
      if (j < 0) return undefined;
      syms.splice(j, 1);
    }
    addTerm(q, syms.join("*"), ca / cb);
  }
  return fromPoly(q);
}

/** Symbol names a dim depends on. */
export function dimSymbols(d: Dim): string[] {
  if (typeof d === "number") return [];
  const out = new Set<string>();
  for (const k of toPoly(d).keys()) for (const s of k ? k.split("*") : []) out.add(s);
  return [...out].sort();
}

/** The polynomial's terms as (coefficient, symbols) pairs, for building the dim at run time. */
export function dimTerms(d: Dim): { coeff: number; symbols: string[] }[] {
  return [...toPoly(d).entries()].map(([k, c]) => ({ coeff: c, symbols: k ? k.split("*") : [] }));
}

let freshCounter = 0;
/** A new opaque symbol for a dim that cannot be expressed in terms of known symbols. */
export function freshSymbol(): string {
  return `_u${++freshCounter}`;
}

export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(", ")}]`;
}
