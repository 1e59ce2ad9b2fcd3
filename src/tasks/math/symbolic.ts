/**
 * Symbolic equality through the CAS (mathjs), used only when the exact numeric fast path cannot decide.
 *
 * Method: both answers are parsed by our own LaTeX parser (latex-parse.ts), printed as whitelisted mathjs text
 * (latex-to-mathjs.ts), compiled once, and evaluated
 *   - once when the answer has no free variable, or
 *   - at SAMPLE_POINTS deterministic pseudo-random points otherwise. The value of variable v at point p is drawn
 *     from ±[0.3, 3.1] by a hash of (v, p), so it depends only on the variable's NAME: each answer's value vector
 *     (its "fingerprint") is computed once and cached, and comparing the k elements of two sets costs k
 *     evaluations, not k² (Schwartz–Zippel: distinct polynomials/rational functions agree at a random point with
 *     probability ~0). Values are almost surely non-integers, so removable singularities such as x = 1 in
 *     (x²−1)/(x−1) are not hit, and both signs are sampled, so `\sqrt{x^2}` ≠ `x`.
 * Two fingerprints are equal when at every point both sides are undefined, or both are finite and
 *   |a − b| ≤ relTol · max(|a|, |b|) + ABS_TOL           (complex values compared by modulus of the difference)
 * and at least one point was finite on both sides. `\sin^2 x + \cos^2 x` = 1 is accepted this way.
 */
import { createRequire } from "node:module";
import type { EvalFunction } from "mathjs";
import { hashString } from "../../util/rng.js";
import { freeSymbols, type MathNode } from "./latex-ast.js";
import { toMathjs, VARIABLE_PREFIX } from "./latex-to-mathjs.js";

/** Points at which expressions with free variables are compared. */
export const SAMPLE_POINTS = 6;
/** Absolute slack so that `\sin(\pi)` (≈1.2e−16) equals 0. */
export const ABS_TOL = 1e-12;
/** Sampled magnitudes lie in [SAMPLE_MIN, SAMPLE_MIN + SAMPLE_SPAN]. */
const SAMPLE_MIN = 0.3;
const SAMPLE_SPAN = 2.8;
/** Most fingerprints kept in the cache before it is cleared. */
const CACHE_LIMIT = 4096;

export type SymbolicVerdict = { equal: boolean; decided: boolean; reason: string };

type Complexish = { re: number; im: number };

/** Values of an answer at the sample points (one value when it has no free variable); null = undefined there. */
export interface Fingerprint {
  readonly constant: boolean;
  readonly values: ReadonlyArray<Complexish | null>;
}

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


/** Value of variable `name` at sample point `p`: ±[0.3, 3.1], a function of the name only. */
export function sampleValue(name: string, p: number): number {
  const h = hashString(`${name}#${p}`); // FNV-1a, the project's one string hash
  const magnitude = SAMPLE_MIN + SAMPLE_SPAN * ((h >>> 1) / 0x80000000);
  return h & 1 ? -magnitude : magnitude;
}

function asComplex(v: unknown): Complexish | null {
  if (typeof v === "number") return { re: v, im: 0 };
  if (typeof v === "object" && v !== null && "re" in v && "im" in v) {
    const c = v as { re: unknown; im: unknown };
    if (typeof c.re === "number" && typeof c.im === "number") return { re: c.re, im: c.im };
  }
  return null;
}

function finiteOrNull(c: Complexish | null): Complexish | null {
  return c !== null && Number.isFinite(c.re) && Number.isFinite(c.im) ? c : null;
}

export function closeEnough(a: Complexish, b: Complexish, relTol: number): boolean {
  const diff = Math.hypot(a.re - b.re, a.im - b.im);
  const scale = Math.max(Math.hypot(a.re, a.im), Math.hypot(b.re, b.im));
  return diff <= relTol * scale + ABS_TOL;
}

function evaluate(fn: EvalFunction, scope: Map<string, number>): Complexish | null {
  try {
    return finiteOrNull(asComplex(fn.evaluate(scope)));
  } catch {
    return null;
  }
}

const cache = new Map<string, Fingerprint | null>();

/** Forget cached fingerprints (benchmarks measure the uncached cost with it). */
export function clearFingerprintCache(): void {
  cache.clear();
}

/** Fingerprint of a parsed answer; null when mathjs rejects it. Cached by the printed expression. */
export function fingerprint(node: MathNode): Fingerprint | null {
  const text = toMathjs(node);
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const compile = cas(); // a missing mathjs install is an error, not "not equal"
  let fp: Fingerprint | null = null;
  let fn: EvalFunction | null = null;
  try {
    fn = compile(text);
  } catch {
    fn = null;
  }
  if (fn !== null) {
    const vars = [...freeSymbols(node)];
    const points = vars.length === 0 ? 1 : SAMPLE_POINTS;
    const values: Array<Complexish | null> = [];
    for (let p = 0; p < points; p++) {
      const scope = new Map<string, number>();
      for (const v of vars) scope.set(VARIABLE_PREFIX + v, sampleValue(v, p));
      values.push(evaluate(fn, scope));
    }
    fp = { constant: vars.length === 0, values };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, fp);
  return fp;
}

/** Compare two fingerprints; `scaleA` multiplies a's values (percent variants). */
export function fingerprintsEqual(a: Fingerprint, b: Fingerprint, relTol: number, scaleA = 1): SymbolicVerdict {
  const points = Math.max(a.values.length, b.values.length);
  const symbolic = !(a.constant && b.constant);
  let compared = 0;
  for (let p = 0; p < points; p++) {
    const va = a.constant ? a.values[0] : a.values[p];
    const vb = b.constant ? b.values[0] : b.values[p];
    if (va === null && vb === null) continue;
    if (va === null || vb === null) return { equal: false, decided: true, reason: symbolic ? "symbolic-mismatch" : "numeric-mismatch" };
    compared++;
    const sa = scaleA === 1 ? va : { re: va.re * scaleA, im: va.im * scaleA };
    if (!closeEnough(sa, vb, relTol)) return { equal: false, decided: true, reason: symbolic ? "symbolic-mismatch" : "numeric-mismatch" };
  }
  if (compared === 0) return { equal: false, decided: false, reason: "cas-undefined" };
  return { equal: true, decided: true, reason: symbolic ? "symbolic-equal" : "numeric-equal" };
}

export function symbolicEqual(a: MathNode, b: MathNode, relTol: number, scaleA = 1): SymbolicVerdict {
  const fa = fingerprint(a);
  const fb = fingerprint(b);
  if (fa === null || fb === null) return { equal: false, decided: false, reason: "cas-compile-failed" };
  return fingerprintsEqual(fa, fb, relTol, scaleA);
}

/**
 * True when a ≡ c·b for one real constant c ≠ 0 (c > 0 when `positive`), at every sample point: two equations
 * l₁ = r₁ and l₂ = r₂ are the same when l₁ − r₁ ≡ c·(l₂ − r₂), two inequalities when additionally c > 0. Both
 * fingerprints must depend on a variable (an equation between constants says nothing about one).
 */
export function proportional(a: Fingerprint, b: Fingerprint, relTol: number, positive: boolean): boolean {
  if (a.constant || b.constant) return false;
  let c: Complexish | null = null;
  for (let p = 0; p < a.values.length; p++) {
    const va = a.values[p];
    const vb = b.values[p];
    if (va === null || vb === null) continue;
    const bb = vb.re * vb.re + vb.im * vb.im;
    if (bb <= ABS_TOL * ABS_TOL) continue;
    c = { re: (va.re * vb.re + va.im * vb.im) / bb, im: (va.im * vb.re - va.re * vb.im) / bb };
    break;
  }
  if (c === null) return false;
  const size = Math.hypot(c.re, c.im);
  if (size <= ABS_TOL || Math.abs(c.im) > 1e-9 * size || (positive && c.re <= 0)) return false;
  let compared = 0;
  for (let p = 0; p < a.values.length; p++) {
    const va = a.values[p];
    const vb = b.values[p];
    if (va === null && vb === null) continue;
    if (va === null || vb === null) return false;
    if (!closeEnough(va, { re: c.re * vb.re, im: c.re * vb.im }, relTol)) return false;
    compared++;
  }
  return compared > 0;
}
