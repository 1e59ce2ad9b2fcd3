/**
 * Exact rational numbers on BigInt for the numeric fast path: n/d with d > 0 and gcd(n, d) = 1.
 * Sizes stay bounded because every producer checks MAX_LITERAL_DIGITS / MAX_EXACT_EXPONENT first.
 */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function gcd(a: bigint, b: bigint): bigint {
  if (a <= SAFE && a >= -SAFE && b <= SAFE && b >= -SAFE) return BigInt(gcdNumber(Math.abs(Number(a)), Math.abs(Number(b))));
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Euclid on doubles, exact for safe integers (no BigInt allocations in the loop: the common, small case). */
function gcdNumber(x: number, y: number): number {
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
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

export function add(a: Rational, b: Rational): Rational {
  return rational(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.n * b.n, a.d * b.d);
}

export function div(a: Rational, b: Rational): Rational | null {
  return b.n === 0n ? null : rational(a.n * b.d, a.d * b.n);
}

export function neg(a: Rational): Rational {
  return { n: -a.n, d: a.d };
}

export function pow10(e: number): Rational {
  return e >= 0 ? { n: 10n ** BigInt(e), d: 1n } : { n: 1n, d: 10n ** BigInt(-e) };
}

export function equals(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

/** Scale used to turn a float tolerance into an exact rational (1e-6 → 10^12 / 10^18). */
const TOL_SCALE = 10n ** 18n;

/**
 * |a − b| ≤ relTol · max(|a|, |b|), decided exactly (no overflow to Infinity for huge values):
 *   |Δn| · m.d · S ≤ round(relTol · S) · m.n · Δd      with Δ = a − b, m = max(|a|, |b|), S = 10^18.
 */
export function relClose(a: Rational, b: Rational, relTol: number): boolean {
  if (equals(a, b)) return true;
  if (!(relTol > 0)) return false;
  const diff = add(a, neg(b));
  const absA = a.n < 0n ? neg(a) : a;
  const absB = b.n < 0n ? neg(b) : b;
  const m = absA.n * absB.d >= absB.n * absA.d ? absA : absB;
  const tolN = BigInt(Math.round(Math.min(relTol, 1) * Number(TOL_SCALE)));
  const dn = diff.n < 0n ? -diff.n : diff.n;
  return dn * m.d * TOL_SCALE <= tolN * m.n * diff.d;
}

export function toNumber(a: Rational): number {
  return Number(a.n) / Number(a.d);
}

export function toString(a: Rational): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}
