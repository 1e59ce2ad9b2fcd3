/**
 * Equivalence of two normalized answers: shape by shape (structure.ts), scalars by
 *   1. identical text (spaces ignored),
 *   2. the exact numeric fast path (fast-number.ts, BigInt rationals; relative tolerance unless both are integers,
 *      which must match exactly),
 *   3. the CAS (symbolic.ts: mathjs, numeric identity test at sample points) only when 2 cannot decide.
 *
 * Percent (Qwen2.5-Math grader.py `is_numerical_equal` with include_percentage): the prediction may equal the gold
 * value g, g/100 or g·100. Qwen applies these variants to EVERY comparison, which accepts `5` for a gold `500`;
 * by default ("marked") we apply them only when either answer carried a percent sign, so `50\%` = `0.5` = `50`
 * but `50` ≠ `0.5`. "always" reproduces Qwen, "never" disables the variants.
 *
 * Relations, assignments and relation-vs-interval: relationShapesEqual below and relation.ts.
 */
import type { MathNode } from "./latex-ast.js";
import { parseLatexExpression } from "./latex-parse.js";
import { MAX_SYMBOLIC_CHARS } from "./limits.js";
import { parseExactNumber } from "./fast-number.js";
import { mul, relClose, type Rational } from "../rational.js";
import { relationAsInterval, relationEqual, type RelationContext } from "./relation.js";
import type { Shape } from "./structure.js";
import { fingerprint, fingerprintsEqual, type Fingerprint } from "./symbolic.js";

export type PercentMode = "marked" | "always" | "never";

export interface CompareContext {
  readonly relTol: number;
  /** Whether the ×100 / ÷100 percent variants are tried for this pair. */
  readonly percentVariants: boolean;
}

export interface Verdict {
  readonly equal: boolean;
  readonly reason: string;
}

const HUNDRED: Rational = { n: 100n, d: 1n };
const HUNDREDTH: Rational = { n: 1n, d: 100n };
/** The gold value is also tried ×1/100 and ×100 when percent variants apply. */
const PERCENT_SCALES = [0.01, 100] as const;

function numNode(r: Rational): MathNode {
  const n: MathNode = { kind: "num", value: (r.n < 0n ? -r.n : r.n).toString() };
  const v: MathNode = r.d === 1n ? n : { kind: "bin", op: "/", left: n, right: { kind: "num", value: r.d.toString() } };
  return r.n < 0n ? { kind: "neg", arg: v } : v;
}

interface ScalarValue {
  /** The text without spaces, for the exact-string check. */
  readonly compact: string;
  readonly exact: Rational | null;
  /** Parsed expression: undefined until first needed, null when unparsable or too long. */
  node?: MathNode | null;
  /** CAS values at the sample points: undefined until first needed, null when the CAS rejects it. */
  fp?: Fingerprint | null;
}

/** Parsed scalars by text (golds repeat across samples; set elements repeat across pairs). Cleared when full. */
const scalars = new Map<string, ScalarValue>();
const SCALAR_CACHE_LIMIT = 4096;

function scalarValue(text: string): ScalarValue {
  let v = scalars.get(text);
  if (v === undefined) {
    v = { compact: text.replace(/\s+/g, ""), exact: parseExactNumber(text) };
    if (scalars.size >= SCALAR_CACHE_LIMIT) scalars.clear();
    scalars.set(text, v);
  }
  return v;
}

function scalarNode(text: string, v: ScalarValue): MathNode | null {
  if (v.node === undefined) {
    v.node = v.exact !== null ? numNode(v.exact) : text.length > MAX_SYMBOLIC_CHARS ? null : parseLatexExpression(text);
  }
  return v.node;
}

function scalarFingerprint(text: string, v: ScalarValue): Fingerprint | null {
  if (v.fp === undefined) {
    const node = scalarNode(text, v);
    v.fp = node === null ? null : fingerprint(node);
  }
  return v.fp;
}

export function scalarEqual(gold: string, pred: string, ctx: CompareContext): Verdict {
  const gv = scalarValue(gold);
  const pv = scalarValue(pred);
  if (gv.compact === pv.compact) return { equal: true, reason: "exact-string" };
  const g = gv.exact;
  const p = pv.exact;
  if (g !== null && p !== null) {
    // Two integers must match exactly (counting answers: 1000000 ≠ 1000001 although they are 1e-6 apart).
    const tol = g.d === 1n && p.d === 1n ? 0 : ctx.relTol;
    if (relClose(g, p, tol)) return { equal: true, reason: "numeric-equal" };
    if (ctx.percentVariants && (relClose(mul(g, HUNDREDTH), p, tol) || relClose(mul(g, HUNDRED), p, tol))) {
      return { equal: true, reason: "numeric-equal-percent" };
    }
    return { equal: false, reason: "numeric-mismatch" };
  }
  if (gold.length > MAX_SYMBOLIC_CHARS || pred.length > MAX_SYMBOLIC_CHARS) return { equal: false, reason: "too-long" };
  if (scalarNode(gold, gv) === null || scalarNode(pred, pv) === null) return { equal: false, reason: "unparsable" };
  const gf = scalarFingerprint(gold, gv);
  const pf = scalarFingerprint(pred, pv);
  if (gf === null || pf === null) return { equal: false, reason: "cas-compile-failed" };
  const first = fingerprintsEqual(gf, pf, ctx.relTol);
  if (first.equal || !ctx.percentVariants) return { equal: first.equal, reason: first.reason };
  for (const by of PERCENT_SCALES) {
    const v = fingerprintsEqual(gf, pf, ctx.relTol, by);
    if (v.equal) return { equal: true, reason: `${v.reason}-percent` };
  }
  return { equal: false, reason: first.reason };
}

/** Order-free multiset matching (greedy; equality is an equivalence relation up to tolerance). */
function unorderedEqual(gold: readonly Shape[], pred: readonly Shape[], ctx: CompareContext): boolean {
  if (gold.length !== pred.length) return false;
  const used = new Array<boolean>(pred.length).fill(false);
  for (const g of gold) {
    let found = false;
    for (let j = 0; j < pred.length; j++) {
      if (!used[j] && shapesEqual(g, pred[j], ctx).equal) {
        used[j] = true;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function dedupe(items: readonly Shape[], ctx: CompareContext): Shape[] {
  const out: Shape[] = [];
  for (const it of items) if (!out.some((o) => shapesEqual(o, it, ctx).equal)) out.push(it);
  return out;
}

function relationCtx(ctx: CompareContext): RelationContext {
  return { relTol: ctx.relTol, scalarEqual: (g, p) => scalarEqual(g, p, ctx).equal };
}

/**
 * Relations against relations and against other shapes. An assignment (`x = 5`) or a computation (`2+3 = 5`) on one
 * side compares by its value with anything that is not a relation; two assignments to the same name compare by
 * value; every other pair of relations compares as relations (relation.ts). A gold relation on one name equals a
 * predicted interval it describes (`-793 < a < 10` = `(-793, 10)`).
 */
function relationShapesEqual(gold: Shape, pred: Shape, ctx: CompareContext): Verdict | null {
  const g = gold.kind === "relation" ? gold : null;
  const p = pred.kind === "relation" ? pred : null;
  if (g === null && p === null) return null;
  if (g !== null && p !== null) {
    const compact = (t: string | null): string | null => (t === null ? null : t.replace(/\s+/g, ""));
    if (g.assigned !== undefined && p.assigned !== undefined) {
      const [gn, pn] = [compact(g.assigned.name), compact(p.assigned.name)];
      if (gn === null || pn === null || gn === pn) {
        const v = shapesEqual(g.assigned.value, p.assigned.value, ctx);
        if (v.equal || (gn !== null && pn !== null)) return v;
      }
    }
    return relationEqual(g, p, relationCtx(ctx));
  }
  if (g !== null && g.assigned !== undefined) return shapesEqual(g.assigned.value, pred, ctx);
  if (p !== null && p.assigned !== undefined) return shapesEqual(gold, p.assigned.value, ctx);
  if (g !== null && (pred.kind === "seq" || pred.kind === "union")) {
    const interval = relationAsInterval(g);
    if (interval !== null) {
      const v = shapesEqual(interval, pred, ctx);
      return { equal: v.equal, reason: v.equal ? "relation-interval-equal" : "relation-interval-mismatch" };
    }
  }
  return { equal: false, reason: "structure-mismatch" };
}

export function shapesEqual(gold: Shape, pred: Shape, ctx: CompareContext): Verdict {
  if (gold.kind === "scalar" && pred.kind === "scalar") return scalarEqual(gold.text, pred.text, ctx);
  const relation = relationShapesEqual(gold, pred, ctx);
  if (relation !== null) return relation;
  if (gold.kind === "seq" && pred.kind === "seq") {
    if (gold.open !== pred.open || gold.close !== pred.close) return { equal: false, reason: "bracket-mismatch" };
    if (gold.items.length !== pred.items.length) return { equal: false, reason: "length-mismatch" };
    const ok = gold.items.every((g, i) => shapesEqual(g, pred.items[i], ctx).equal);
    return { equal: ok, reason: ok ? "tuple-equal" : "element-mismatch" };
  }
  if (gold.kind === "matrix" && pred.kind === "matrix") {
    const ok =
      gold.rows.length === pred.rows.length &&
      gold.rows.every((row, i) => row.length === pred.rows[i].length && row.every((c, j) => shapesEqual(c, pred.rows[i][j], ctx).equal));
    return { equal: ok, reason: ok ? "matrix-equal" : "matrix-mismatch" };
  }
  const unordered = (s: Shape): s is Extract<Shape, { kind: "list" | "set" | "union" }> =>
    s.kind === "list" || s.kind === "set" || s.kind === "union";
  if (unordered(gold) && unordered(pred) && (gold.kind === pred.kind || (gold.kind !== "union" && pred.kind !== "union"))) {
    // Sets ignore duplicates; a list ignores a prediction's repeated answers when the gold repeats none.
    const gi = dedupe(gold.items, ctx);
    const goldRepeats = gi.length !== gold.items.length;
    const asSet = gold.kind === "set" || pred.kind === "set" || !goldRepeats;
    const pi = asSet ? dedupe(pred.items, ctx) : pred.items;
    const ok = unorderedEqual(asSet ? gi : gold.items, pi, ctx);
    return { equal: ok, reason: ok ? "unordered-equal" : "unordered-mismatch" };
  }
  return { equal: false, reason: "structure-mismatch" };
}
