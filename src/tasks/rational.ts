// Exact rational arithmetic on BigInt: n/d in lowest terms with d > 0. Countdown answers are checked exactly
// (no floating coercion: (1/3)*3 is exactly 1) and tolerances are applied to the exact value.

export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new Error("rational: zero denominator");
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
export const equals = (a: Rational, b: Rational): boolean => a.n === b.n && a.d === b.d;
export const isInteger = (a: Rational): boolean => a.d === 1n;
export const toNumber = (a: Rational): number => Number(a.n) / Number(a.d);
export const toString = (a: Rational): string => (a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`);

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
