// SoS's held-out-target split and the `sos` dataset generator: disjoint targets, determinism, the same problems for
// search streams and optimal paths.
import { describe, expect, it } from "vitest";
import { generators, getGenerator } from "../../src/datagen/index.js";
import { generateSos, sosDataOptions } from "../../src/datagen/sos.js";
import { checkSosTrace } from "../../src/tasks/countdown/sos-check.js";
import { drawSosProblem, sosProblemRng, sosTargetSplit, splitTargets } from "../../src/tasks/countdown/sos-split.js";
import { pathTrace } from "../../src/tasks/countdown/sos-trace.js";

describe("SoS target split", () => {
  it("holds out a tenth of the targets 10..max_target, deterministically per seed", () => {
    const s = sosTargetSplit(0);
    expect(s.valTarget).toHaveLength(9); // ⌊91/10⌋, as countdown_generate.py
    expect(s.train).toHaveLength(82);
    expect([...s.train, ...s.valTarget].sort((a, b) => a - b)).toEqual(Array.from({ length: 91 }, (_, i) => 10 + i));
    expect(s.train.filter((t) => s.valTarget.includes(t))).toEqual([]);
    expect(sosTargetSplit(0)).toEqual(s);
    expect(sosTargetSplit(1).valTarget).not.toEqual(s.valTarget);
    expect(sosTargetSplit(0, 50).valTarget).toHaveLength(4);
    expect(() => sosTargetSplit(0, 12)).toThrow(/max_target/);
    expect(splitTargets(s, "val")).toEqual(s.train);
  });

  it("problems of a split use only its targets and are solvable", () => {
    const s = sosTargetSplit(3);
    for (const which of ["train", "val", "val_target"] as const) {
      for (let i = 0; i < 40; i++) {
        const p = drawSosProblem(s, which, 3, sosProblemRng(which, 5, i));
        expect(splitTargets(s, which)).toContain(p.target);
        expect(p.nums.every((n) => n >= 1 && n <= 99)).toBe(true);
        expect(checkSosTrace(pathTrace(p.target, p.nums, p.steps), p.target, p.nums).valid).toBe(true);
      }
    }
  });
});

describe("sos dataset generator", () => {
  it("is registered and its options are strict", () => {
    expect(generators.map((g) => g.name)).toContain("sos");
    const g = getGenerator("sos");
    expect(g.options.safeParse({ numbers: 3, bogus: 1 }).success).toBe(false);
    expect(g.options.safeParse({ numbers: 6 }).success).toBe(false);
    expect(g.options.safeParse({ strategy: "bfs_9/sum_heuristic" }).success).toBe(false);
    expect(sosDataOptions.parse({})).toMatchObject({ numbers: 4, trace: "search", strategy: "random", split: "train", max_target: 100, split_seed: 0 });
  });

  it("training rows never have a held-out target; val_target rows only have held-out targets", () => {
    const held = new Set(sosTargetSplit(0).valTarget);
    const train = generateSos(600, 11, { numbers: 3 }).rows;
    expect(train.filter((r) => held.has(r.target))).toEqual([]);
    expect(new Set(train.map((r) => r.target)).size).toBeGreaterThan(60);
    const val = generateSos(100, 11, { numbers: 3, split: "val" }).rows;
    expect(val.filter((r) => held.has(r.target))).toEqual([]);
    const vt = generateSos(100, 11, { numbers: 3, split: "val_target" });
    expect(vt.rows.every((r) => held.has(r.target))).toBe(true);
    expect(vt.lineage.held_out_targets).toEqual([...held]);
    // val and train come from different random streams: the same seed gives other problems
    const key = (r: { target: number; nums: number[] }) => `${r.target}:${r.nums.join(",")}`;
    const trainKeys = new Set(train.map(key));
    expect(val.filter((r) => trainKeys.has(key(r))).length).toBeLessThan(3);
  });

  it("is deterministic, and search vs optimal hold the same problems", () => {
    const opts = { numbers: 3, max_trace_chars: 800 } as const;
    const a = generateSos(60, 4, opts);
    expect(generateSos(60, 4, opts)).toEqual(a);
    expect(generateSos(60, 5, opts).rows.map((r) => r.problem_id)).toEqual(expect.any(Array));
    expect(generateSos(60, 5, opts).rows[0].search_path).not.toBe(a.rows[0].search_path);
    const o = generateSos(60, 4, { ...opts, trace: "optimal" });
    expect(o.rows.map((r) => r.problem_id)).toEqual(a.rows.map((r) => r.problem_id));
    for (const [i, r] of a.rows.entries()) {
      const p = o.rows[i];
      expect([p.target, p.nums, p.solution, p.search_path, p.optimal_path, p.strategy]).toEqual([r.target, r.nums, r.solution, r.search_path, r.optimal_path, r.strategy]);
      expect(r.prompt).toBe(`Current State: ${r.target}:[${r.nums.join(", ")}], Operations: []`);
      expect(r.prompt + r.completion).toBe(r.search_path);
      expect(p.prompt + p.completion).toBe(p.optimal_path);
      expect(r.search_path.length).toBeLessThanOrEqual(800);
    }
    expect(a.lineage.skipped_long).toBeGreaterThan(0);
    expect(a.lineage.skipped_long).toBe(o.lineage.skipped_long);
    // a prefix of a dataset is the smaller dataset (rows depend on (seed, candidate) only)
    expect(generateSos(20, 4, opts).rows).toEqual(a.rows.slice(0, 20));
  });

  it("honours a fixed strategy mix, only_solved and 2–5 numbers", () => {
    const fixed = generateSos(30, 1, { numbers: 3, strategy: "bfs_2/mult_heuristic" }).rows;
    expect(new Set(fixed.map((r) => `${r.search_type}/${r.heuristic}`))).toEqual(new Set(["bfs_2/mult_heuristic"]));
    const solved = generateSos(30, 1, { numbers: 3, strategy: "bfs_1/sum_heuristic", only_solved: true });
    expect(solved.rows.every((r) => r.rating > 0)).toBe(true);
    expect(solved.lineage.skipped_unsolved).toBeGreaterThan(0);
    const small = generateSos(30, 1, { numbers: 3, max_number: 9 });
    expect(small.rows.every((r) => r.nums.every((n) => n >= 1 && n <= 9))).toBe(true);
    expect(small.lineage.max_number).toBe(9);
    for (const numbers of [2, 4, 5]) {
      const rows = generateSos(3, 2, { numbers, strategy: "bfs_1/sum_heuristic" }).rows;
      expect(rows.every((r) => r.nums.length === numbers)).toBe(true);
    }
  });
});
