/**
 * Symbolic equality through the CAS (mathjs), used only when the exact numeric fast path cannot decide.
 *
 * Method: both answers are parsed by our own LaTeX parser (latex-parse.ts), printed as whitelisted mathjs text
 * (latex-to-mathjs.ts), compiled once, and evaluated
 *   - once when neither side has a free variable, or
 *   - at SAMPLE_POINTS deterministic pseudo-random points (each free variable drawn from ±[0.3, 3.1], never an
 *     integer, so removable singularities such as x = 1 in (x²−1)/(x−1) are not hit) otherwise.
 * The answers are equal when every point where at least one side is finite agrees within
 *   |a − b| ≤ relTol · max(|a|, |b|) + ABS_TOL           (complex values compared by modulus of the difference)
 * and at least one point was comparable. Two polynomials/rational functions that differ agree on a random
 * point with probability ~0, so this is the Schwartz–Zippel identity test done numerically; it accepts
 * `\sin^2 x + \cos^2 x = 1` and rejects `\sqrt{x^2}` vs `x` (negative points are sampled).
 */
import { createRequire } from "node:module";
import type { EvalFunction } from "mathjs";
import { freeSymbols, type MathNode } from "./latex-ast.js";
import { toMathjs, VARIABLE_PREFIX } from "./latex-to-mathjs.js";

/** Points at which expressions with free variables are compared. */
export const SAMPLE_POINTS = 6;
/** Absolute slack so that `\sin(\pi)` (≈1.2e−16) equals 0. */
export const ABS_TOL = 1e-12;
/** Fixed sample values (irrational-looking, both signs, away from 0 and from integers). */
const SAMPLE_VALUES = [0.7316, -1.3719, 2.2361, -0.5772, 1.6181, -2.7183, 0.4142, 3.1416, -1.7321, 2.6458, -0.9135];

type Compile = (expr: string) => EvalFunction;
/**
 * mathjs's single-file bundle (an exported path of the package): it loads in ≈0.15 s, where the default entry
 * requires hundreds of modules (≈1–2.5 s measured here), which matters for every worker the pool starts.
 */
const MATHJS_BUNDLE = "mathjs/lib/browser/math.js";
let compileFn: Compile | null = null;
/** mathjs is loaded on first use, so callers that only need the fast path never pay for it. */
function cas(): Compile {
  if (compileFn === null) {
    const mathjs = createRequire(import.meta.url)(MATHJS_BUNDLE) as { compile: Compile };
    compileFn = mathjs.compile;
  }
  return compileFn;
}

export type SymbolicVerdict = { equal: boolean; decided: boolean; reason: string };

type Complexish = { re: number; im: number };

function asComplex(v: unknown): Complexish | null {
  if (typeof v === "number") return { re: v, im: 0 };
  if (typeof v === "object" && v !== null && "re" in v && "im" in v) {
    const c = v as { re: unknown; im: unknown };
    if (typeof c.re === "number" && typeof c.im === "number") return { re: c.re, im: c.im };
  }
  return null;
}

function isFiniteC(c: Complexish | null): c is Complexish {
  return c !== null && Number.isFinite(c.re) && Number.isFinite(c.im);
}

export function closeEnough(a: Complexish, b: Complexish, relTol: number): boolean {
  const diff = Math.hypot(a.re - b.re, a.im - b.im);
  const scale = Math.max(Math.hypot(a.re, a.im), Math.hypot(b.re, b.im));
  return diff <= relTol * scale + ABS_TOL;
}

function evaluate(fn: EvalFunction, scope: Map<string, number>): Complexish | null {
  try {
    return asComplex(fn.evaluate(scope));
  } catch {
    return null;
  }
}

/** Compiled form of an answer for the CAS; null when mathjs rejects it. */
export function compileNode(node: MathNode): EvalFunction | null {
  const compile = cas(); // a missing mathjs install is an error, not "not equal"
  try {
    return compile(toMathjs(node));
  } catch {
    return null;
  }
}

export function symbolicEqual(a: MathNode, b: MathNode, relTol: number): SymbolicVerdict {
  const fa = compileNode(a);
  const fb = compileNode(b);
  if (fa === null || fb === null) return { equal: false, decided: false, reason: "cas-compile-failed" };
  const vars = [...freeSymbols(b, freeSymbols(a))].sort();
  const points = vars.length === 0 ? 1 : SAMPLE_POINTS;
  let compared = 0;
  for (let p = 0; p < points; p++) {
    const scope = new Map<string, number>();
    vars.forEach((v, j) => scope.set(VARIABLE_PREFIX + v, SAMPLE_VALUES[(p * 3 + j * 5) % SAMPLE_VALUES.length]));
    const va = evaluate(fa, scope);
    const vb = evaluate(fb, scope);
    const okA = isFiniteC(va);
    const okB = isFiniteC(vb);
    if (!okA && !okB) continue;
    if (okA !== okB) return { equal: false, decided: true, reason: "symbolic-mismatch" };
    compared++;
    if (!closeEnough(va as Complexish, vb as Complexish, relTol)) {
      return { equal: false, decided: true, reason: vars.length === 0 ? "numeric-mismatch" : "symbolic-mismatch" };
    }
  }
  if (compared === 0) return { equal: false, decided: false, reason: "cas-undefined" };
  return { equal: true, decided: true, reason: vars.length === 0 ? "numeric-equal" : "symbolic-equal" };
}
