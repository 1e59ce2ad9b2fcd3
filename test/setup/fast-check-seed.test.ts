import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("fast-check setup", () => {
  it("runs every property with a fixed seed (FAST_CHECK_SEED or the default)", () => {
    const seed = fc.readConfigureGlobal().seed;
    expect(Number.isInteger(seed)).toBe(true);
    const draw = (): number[] => fc.sample(fc.integer(), { numRuns: 5 });
    expect(draw()).toEqual(draw()); // same seed, same inputs
  });
});
