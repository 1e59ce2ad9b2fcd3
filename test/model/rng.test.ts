import { describe, expect, it } from "vitest";
import { Rng, type RngState } from "../../src/util/rng.js";

describe("Rng (xoshiro128**)", () => {
  it("matches the C reference implementation for state {1, 2, 3, 4}", () => {
    // Output of prng.di.unimi.it/xoshiro128starstar.c compiled with gcc, s = {1, 2, 3, 4}.
    const ref = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849];
    const r = Rng.fromState({ s: [1, 2, 3, 4], spare: null });
    expect(ref.map(() => r.nextUint32())).toEqual(ref);
  });

  it("is deterministic per seed and differs between seeds", () => {
    const draw = (seed: number | string) => {
      const r = new Rng(seed);
      return Array.from({ length: 16 }, () => r.uniform());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw("run-a")).toEqual(draw("run-a"));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(0)).not.toEqual(draw(2 ** 32)); // high bits of the seed matter
    expect(draw(-1)).not.toEqual(draw(1));
  });

  it("pins the streams of fixed seeds (a seeding change would break saved runs)", () => {
    const r = new Rng(0);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([3809008728, 1133695204, 53579671]);
    const s = new Rng("abc");
    expect([s.nextUint32(), s.nextUint32()]).toEqual([2505739887, 2698528964]);
    const t = new Rng(0);
    expect([t.normal(), t.normal(), t.uniform()]).toEqual([2.0812089348701357, 0.16346561362740877, 0.032522145755498943]);
  });

  it("round-trips its state through JSON, including a cached normal deviate", () => {
    const r = new Rng(7);
    r.normal(); // leaves the second Box–Muller value cached
    const saved: RngState = JSON.parse(JSON.stringify(r.getState()));
    expect(saved.spare).not.toBeNull();
    const a = [r.normal(), r.uniform(), r.int(1000), r.normal()];
    const b = Rng.fromState(saved);
    expect([b.normal(), b.uniform(), b.int(1000), b.normal()]).toEqual(a);
  });

  it("rejects invalid states", () => {
    expect(() => new Rng(1).setState({ s: [0, 0, 0, 0], spare: null })).toThrow(/not all zero/);
    expect(() => new Rng(1).setState({ s: [1, 2, 3], spare: null } as unknown as RngState)).toThrow(/four uint32/);
    expect(() => new Rng(1.5)).toThrow(/safe integer/);
  });

  it("draws uniform, integer and normal values with the right statistics", () => {
    const r = new Rng(123);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let usum = 0;
    const counts = new Array(7).fill(0);
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sumSq += z * z;
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) throw new Error(`uniform() out of range: ${u}`);
      usum += u;
      counts[r.int(7)]++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(sumSq / n) - 1)).toBeLessThan(0.01);
    expect(Math.abs(usum / n - 0.5)).toBeLessThan(0.005);
    for (const c of counts) expect(Math.abs(c / n - 1 / 7)).toBeLessThan(0.005);
    expect(() => r.int(0)).toThrow(/n must be/);
  });

  it("shuffles into a permutation, reproducibly", () => {
    const base = Array.from({ length: 50 }, (_, i) => i);
    const a = new Rng(5).shuffle([...base]);
    expect([...a].sort((x, y) => x - y)).toEqual(base);
    expect(a).not.toEqual(base);
    expect(new Rng(5).shuffle([...base])).toEqual(a);
  });

  it("forks independent, label-keyed streams without advancing the parent", () => {
    const parent = new Rng(9);
    const before = parent.getState();
    const a1 = parent.fork("data");
    const a2 = parent.fork("data");
    const b = parent.fork("init");
    expect(parent.getState()).toEqual(before);
    const take = (r: Rng) => Array.from({ length: 8 }, () => r.nextUint32());
    const sa = take(a1);
    expect(take(a2)).toEqual(sa);
    expect(take(b)).not.toEqual(sa);
    expect(take(new Rng(9))).not.toEqual(sa);
  });
});
