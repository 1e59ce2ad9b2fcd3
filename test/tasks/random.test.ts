import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { hashString, mix32, rngFor } from "../../src/tasks/random.js";

describe("rngFor", () => {
  it("is a pure function of (stream, seed, index)", () => {
    const a = rngFor("addition", 42, 7);
    const b = rngFor("addition", 42, 7);
    const xs = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(xs);
    expect(rngFor("addition", 42, 8).nextU32()).not.toBe(xs[0]);
    expect(rngFor("addition", 43, 7).nextU32()).not.toBe(xs[0]);
    expect(rngFor("countdown", 42, 7).nextU32()).not.toBe(xs[0]);
  });

  it("pins the first outputs (same numbers on every machine)", () => {
    // mix32 uses only 32-bit integer ops, so these values are platform independent.
    expect(mix32(0)).toBe(0);
    expect(hashString("")).toBe(mix32(0x811c9dc5));
    const r = rngFor("stream", 1, 2);
    expect([r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([2536996589, 4161075701, 1652304438]);
  });

  it("does not collide between neighbouring (seed, index) pairs", () => {
    const firsts = new Set<number>();
    for (let s = 0; s < 30; s++) for (let i = 0; i < 30; i++) firsts.add(rngFor("x", s, i).nextU32());
    expect(firsts.size).toBe(900);
  });

  it("int() stays in range and covers it", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 20 }), (seed, index, lo, span) => {
        const r = rngFor("t", seed, index);
        for (let k = 0; k < 20; k++) {
          const v = r.int(lo, lo + span);
          if (v < lo || v > lo + span || !Number.isInteger(v)) return false;
        }
        return true;
      }),
    );
    const r = rngFor("cover", 0, 0);
    const seen = new Set<number>();
    for (let k = 0; k < 500; k++) seen.add(r.int(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("shuffle is a permutation and rejects bad input", () => {
    const r = rngFor("s", 3, 4);
    const xs = Array.from({ length: 50 }, (_, i) => i);
    expect([...r.shuffle([...xs])].sort((a, b) => a - b)).toEqual(xs);
    expect(() => r.int(5, 4)).toThrow(/bad range/);
    expect(() => rngFor("s", 1.5, 0)).toThrow(/safe integer/);
    expect(() => r.choice([])).toThrow(/empty/);
  });
});

describe("rngFor wide ranges", () => {
  it("draws from spans wider than 2^32", () => {
    const r = rngFor("wide", 9, 9);
    const lo = 1_000_000_000;
    const hi = 9_999_999_999;
    const xs = Array.from({ length: 200 }, () => r.int(lo, hi));
    expect(xs.every((x) => Number.isInteger(x) && x >= lo && x <= hi)).toBe(true);
    expect(xs.some((x) => x > 2 ** 32)).toBe(true);
    expect(() => r.int(-(2 ** 52), 2 ** 52)).toThrow(/2\^53/);
  });
});
