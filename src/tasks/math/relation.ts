/**
 * Comparing relations (structure.ts `relation` shapes): equations, inequalities, chains, and a gold relation read
 * as the interval it describes.
 *
 *  - `a > b` is read as `b < a` before comparing, so `2 > x` = `x < 2` and `x < 2` ≠ `x > 2`.
 *  - Equations (an `=` chain is its first side = its last side): l₁ − r₁ ≡ c·(l₂ − r₂) for a constant c ≠ 0, so
 *    `2x+4y-3=0` = `y=-\frac12x+\frac34` and `x^2/4 + y^2/3 = 1` = `x^2/16 + y^2/12 = 1/4`.
 *  - A single inequality: the same operator after orientation and l₁ − r₁ ≡ c·(l₂ − r₂) with c > 0, so
 *    `x < 1` = `-x > -1` = `2x < 2`. Chains (`1 < x \le 3`) compare side by side.
 *  - A gold relation on one name with constant bounds is the interval it describes when the prediction is an
 *    interval: `-793 < a < 10` = `(-793, 10)`, `x \le 2` = `(-\infty, 2]`. The converse (a predicted relation for
 *    a gold interval) is not accepted: a gold `(0, 1)` may be a point.
 */
import type { MathNode } from "./latex-ast.js";
import { parseLatexExpression } from "./latex-parse.js";
import type { RelOp, Shape } from "./structure.js";
import { fingerprint, proportional } from "./symbolic.js";
import { onlySymbols, variableFree } from "./symbols.js";

type Relation = Extract<Shape, { kind: "relation" }>;

export interface RelationContext {
  readonly relTol: number;
  /** Compare two scalar texts (equal.ts scalarEqual). */
  readonly scalarEqual: (gold: string, pred: string) => boolean;
}

const FLIP: Partial<Record<RelOp, RelOp>> = { ">": "<", "\\ge": "\\le" };

/** Orient a relation so it reads with < / ≤ (a > b > c → c < b < a); = and ≠ chains are left as written. */
function orient(parts: readonly string[], ops: readonly RelOp[]): { parts: string[]; ops: RelOp[] } {
  if (ops.some((o) => FLIP[o] !== undefined)) {
    return { parts: [...parts].reverse(), ops: [...ops].reverse().map((o) => FLIP[o] ?? o) };
  }
  return { parts: [...parts], ops: [...ops] };
}

/** l − r as a tree; null when a side does not parse. */
function difference(l: string, r: string): MathNode | null {
  const left = parseLatexExpression(l);
  const right = parseLatexExpression(r);
  return left === null || right === null ? null : { kind: "bin", op: "-", left, right };
}

/** l₁ − r₁ ≡ c·(l₂ − r₂) (c > 0 when `positive`); null when a side does not parse or the CAS rejects it. */
function differencesProportional(g: [string, string], p: [string, string], relTol: number, positive: boolean): boolean | null {
  const a = difference(g[0], g[1]);
  const b = difference(p[0], p[1]);
  if (a === null || b === null) return null;
  const fa = fingerprint(a);
  const fb = fingerprint(b);
  if (fa === null || fb === null) return null;
  return proportional(fa, fb, relTol, positive);
}

export function relationEqual(g: Relation, p: Relation, ctx: RelationContext): { equal: boolean; reason: string } {
  const isEquation = (r: Relation): boolean => r.ops.every((o) => o === "=");
  if (isEquation(g) && isEquation(p)) {
    const ends = (r: Relation): [string, string] => [r.parts[0], r.parts[r.parts.length - 1]];
    const same = differencesProportional(ends(g), ends(p), ctx.relTol, false);
    if (same !== null) return same ? { equal: true, reason: "equation-equal" } : { equal: false, reason: "equation-mismatch" };
  }
  const go = orient(g.parts, g.ops);
  const po = orient(p.parts, p.ops);
  const sameOps = (x: RelOp[], y: RelOp[]): boolean => x.length === y.length && x.every((o, i) => o === y[i]);
  const partsEqual = (x: string[], y: string[]): boolean => x.every((t, i) => ctx.scalarEqual(t, y[i]));
  if (sameOps(go.ops, po.ops)) {
    if (partsEqual(go.parts, po.parts)) return { equal: true, reason: "relation-equal" };
    const op = go.ops[0];
    if (go.ops.length === 1 && (op === "<" || op === "\\le")) {
      const same = differencesProportional([go.parts[0], go.parts[1]], [po.parts[0], po.parts[1]], ctx.relTol, true);
      if (same === true) return { equal: true, reason: "inequality-equal" };
    }
  }
  // = / ≠ chains may be written in either direction.
  const rev = { parts: [...po.parts].reverse(), ops: [...po.ops].reverse() };
  if (po.ops.every((o) => o === "=" || o === "\\ne") && sameOps(go.ops, rev.ops) && partsEqual(go.parts, rev.parts)) {
    return { equal: true, reason: "relation-equal" };
  }
  return { equal: false, reason: "relation-mismatch" };
}

const scalar = (text: string): Shape => ({ kind: "scalar", text });

/**
 * The interval a relation on one name describes (`a < x \le b` → `(a, b]`, `x < b` → `(-\infty, b)`), or null when it
 * is not of that form (bounds must be variable-free).
 */
export function relationAsInterval(r: Relation): Extract<Shape, { kind: "seq" }> | null {
  const { parts, ops } = orient(r.parts, r.ops);
  if (!ops.every((o) => o === "<" || o === "\\le")) return null;
  const open = (o: RelOp): string => (o === "<" ? "(" : "[");
  const close = (o: RelOp): string => (o === "<" ? ")" : "]");
  if (parts.length === 3 && onlySymbols(parts[1]) && variableFree(parts[0]) && variableFree(parts[2])) {
    return { kind: "seq", open: open(ops[0]), close: close(ops[1]), items: [scalar(parts[0]), scalar(parts[2])] };
  }
  if (parts.length === 2 && onlySymbols(parts[0]) && variableFree(parts[1])) {
    return { kind: "seq", open: "(", close: close(ops[0]), items: [scalar("-\\infty"), scalar(parts[1])] };
  }
  if (parts.length === 2 && onlySymbols(parts[1]) && variableFree(parts[0])) {
    return { kind: "seq", open: open(ops[0]), close: ")", items: [scalar(parts[0]), scalar("\\infty")] };
  }
  return null;
}
