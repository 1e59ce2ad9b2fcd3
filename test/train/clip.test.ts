import { describe, expect, it } from "vitest";
import { clipCoefficient, clipGradNorm, globalNorm } from "../../src/train/clip.js";

describe("clipGradNorm", () => {
  it("scales gradients above the limit to norm ≈ maxNorm and returns the pre-clip norm", () => {
    const g = new Float32Array([3, 4, 0, 0]);
    expect(clipGradNorm(g, 1)).toBe(5);
    expect(globalNorm(g)).toBeCloseTo(1, 5);
    expect(g[0]).toBeCloseTo(3 / (5 + 1e-6), 7);
  });

  it("leaves gradients under the limit and non-finite gradients unchanged", () => {
    const g = new Float32Array([0.3, 0.4]);
    expect(clipGradNorm(g, 1)).toBeCloseTo(0.5, 6);
    expect(Array.from(g)).toEqual([0.3, 0.4].map(Math.fround));
    const bad = new Float32Array([1, NaN]);
    expect(clipGradNorm(bad, 1)).toBeNaN();
    expect(bad[0]).toBe(1);
    expect(() => clipGradNorm(g, 0)).toThrow(/maxNorm must be > 0/);
  });

  it("clipCoefficient is the factor clipGradNorm scales by", () => {
    const g = new Float32Array([3, 4]);
    const c = clipCoefficient(globalNorm(g), 1);
    clipGradNorm(g, 1);
    expect(Math.fround(3 * c)).toBe(g[0]);
    expect(clipCoefficient(0.5, 1)).toBe(1);
    expect(clipCoefficient(NaN, 1)).toBe(1);
    expect(clipCoefficient(5, Infinity)).toBe(1);
  });
});
