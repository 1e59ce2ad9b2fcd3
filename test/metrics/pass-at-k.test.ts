import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { avgAtN, covAtK, passAtK } from "../../src/metrics/index.js";

function binom(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** 1 − C(n−c, k)/C(n, k) with exact integers, then one division in doubles. */
function passAtKDirect(n: number, c: number, k: number): number {
  const num = binom(n - c, k);
  const den = binom(n, k);
  // scale to keep 17 significant digits before converting
  const scale = 10n ** 18n;
  return 1 - Number((num * scale) / den) / 1e18;
}

describe("pass@k (Codex unbiased estimator, stable product form)", () => {
  it("matches 1 − C(n−c,k)/C(n,k) computed with BigInt for every (n, c, k) up to n = 40", () => {
    for (let n = 1; n <= 40; n++)
      for (let c = 0; c <= n; c++)
        for (let k = 1; k <= n; k++) expect(Math.abs(passAtK(n, c, k) - passAtKDirect(n, c, k))).toBeLessThan(1e-12);
  });

  it("matches the direct formula for large n (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n, fc_, fk) => {
        const c = Math.floor(fc_ * n);
        const k = 1 + Math.floor(fk * (n - 1));
        expect(Math.abs(passAtK(n, c, k) - passAtKDirect(n, c, k))).toBeLessThan(1e-10);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("gives known values", () => {
    expect(passAtK(10, 0, 1)).toBe(0);
    expect(passAtK(10, 10, 5)).toBe(1);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 15);
    // 1 − C(3,2)/C(5,2) = 1 − 3/10
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 15);
    // n − c < k → 1.0
    expect(passAtK(5, 4, 2)).toBe(1);
    // 1 − C(60,16)/C(64,16)
    expect(passAtK(64, 4, 16)).toBeCloseTo(1 - Number(binom(60, 16)) / Number(binom(64, 16)), 12);
  });

  it("pass@1 is c/n, which is avg@n", () => {
    for (let n = 1; n <= 20; n++) for (let c = 0; c <= n; c++) expect(passAtK(n, c, 1)).toBeCloseTo(avgAtN(n, c), 14);
  });

  it("rejects bad counts with clear messages", () => {
    expect(() => passAtK(4, 5, 1)).toThrow(/c must be an integer in \[0, n=4\]/);
    expect(() => passAtK(4, 1, 5)).toThrow(/k=5 exceeds the number of samples n=4/);
    expect(() => passAtK(4, 1, 0)).toThrow(/k must be a positive integer/);
  });
});

describe("cov@k (first k)", () => {
  it("is 1 iff one of the first k samples is correct", () => {
    const correct = [false, false, true, false];
    expect(covAtK(correct, 1)).toBe(0);
    expect(covAtK(correct, 2)).toBe(0);
    expect(covAtK(correct, 3)).toBe(1);
    expect(covAtK(correct, 4)).toBe(1);
    expect(() => covAtK(correct, 5)).toThrow(/exceeds/);
  });
});
