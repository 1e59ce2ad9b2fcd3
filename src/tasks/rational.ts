// Exact rational numbers on BigInt: n/d in lowest terms with d > 0. One module for every exact computation of the
// tasks: Countdown answers are checked exactly (no floating coercion: (1/3)*3 is exactly 1), and the math verifier's
// numeric fast path compares answers exactly (src/tasks/math/fast-number.ts). Tolerances are applied to the exact
// value. Sizes stay bounded because every producer bounds its inputs (digits, exponents) first.

export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Euclid on doubles, exact for safe integers (no BigInt allocations in the loop: the common, small case). */
function gcdNumber(x: number, y: number): number {
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a <= SAFE && a >= -SAFE && b <= SAFE && b >= -SAFE) return BigInt(gcdNumber(Math.abs(Number(a)), Math.abs(Number(b))));
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** n/d in lowest terms; throws RangeError on d = 0 (callers check first). */
export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError("rational: zero denominator");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const fromInt = (k: number | bigint): Rational => rational(BigInt(k));
export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rational(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
/** a / b, or null when b = 0. */
export const div = (a: Rational, b: Rational): Rational | null => (b.n === 0n ? null : rational(a.n * b.d, a.d * b.n));
export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });
export const equals = (a: Rational, b: Rational): boolean => a.n === b.n && a.d === b.d;
export const isInteger = (a: Rational): boolean => a.d === 1n;
export const toNumber = (a: Rational): number => Number(a.n) / Number(a.d);
export const toString = (a: Rational): string => (a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`);

/** 10^e exactly (e may be negative). */
export function pow10(e: number): Rational {
  return e >= 0 ? { n: 10n ** BigInt(e), d: 1n } : { n: 1n, d: 10n ** BigInt(-e) };
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/**
 * |a − b| < tol (strict) or ≤ tol, with tol = tolNum/tolDen, decided exactly: |a.n·b.d − b.n·a.d|·tolDen vs
 * tolNum·a.d·b.d.
 */
export function withinTolerance(a: Rational, b: Rational, tolNum: bigint, tolDen: bigint, strict: boolean): boolean {
  const lhs = abs(a.n * b.d - b.n * a.d) * tolDen;
  const rhs = tolNum * a.d * b.d;
  return strict ? lhs < rhs : lhs <= rhs;
}

/**
 * Python's math.isclose(a, b, rel_tol, abs_tol) decided exactly:
 * |a − b| ≤ max(rel_tol·max(|a|, |b|), abs_tol), with rel_tol = 10^-relExp and abs_tol = 10^-absExp.
 */
export function isClose(a: Rational, b: Rational, relExp: number, absExp: number): boolean {
  const diff = abs(a.n * b.d - b.n * a.d); // |a − b| · a.d · b.d
  const den = a.d * b.d;
  const relScale = 10n ** BigInt(relExp);
  const absScale = 10n ** BigInt(absExp);
  // abs_tol: diff/den ≤ 10^-absExp  ⇔  diff·10^absExp ≤ den
  if (diff * absScale <= den) return true;
  // rel_tol: diff/den ≤ 10^-relExp · max(|a|, |b|); |a| = |a.n|·b.d/den, |b| = |b.n|·a.d/den
  const larger = abs(a.n) * b.d > abs(b.n) * a.d ? abs(a.n) * b.d : abs(b.n) * a.d;
  return diff * relScale <= larger;
}

/** Scale used to turn a float tolerance into an exact rational (1e-6 → 10^12 / 10^18). */
const TOL_SCALE = 10n ** 18n;

/**
 * |a − b| ≤ relTol · max(|a|, |b|) for a float relTol, decided exactly (no overflow to Infinity for huge values):
 *   |Δn| · m.d · S ≤ round(relTol · S) · m.n · Δd      with Δ = a − b, m = max(|a|, |b|), S = 10^18.
 */
export function relClose(a: Rational, b: Rational, relTol: number): boolean {
  if (equals(a, b)) return true;
  if (!(relTol > 0)) return false;
  const diff = sub(a, b);
  const absA = a.n < 0n ? neg(a) : a;
  const absB = b.n < 0n ? neg(b) : b;
  const m = absA.n * absB.d >= absB.n * absA.d ? absA : absB;
  const tolN = BigInt(Math.round(Math.min(relTol, 1) * Number(TOL_SCALE)));
  const dn = diff.n < 0n ? -diff.n : diff.n;
  return dn * m.d * TOL_SCALE <= tolN * m.n * diff.d;
}
