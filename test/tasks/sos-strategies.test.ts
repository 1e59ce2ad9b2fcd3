// The 12 SoS strategies, the SoS record, the trace grammar (parse → print round-trips byte for byte) and the rater on
// hand-made traces.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkSosTrace } from "../../src/tasks/countdown/sos-check.js";
import { parseSosLine, parseSosTrace, printSosTrace, type SosLine } from "../../src/tasks/countdown/sos-grammar.js";
import { drawSosProblem, sosProblemRng, sosTargetSplit } from "../../src/tasks/countdown/sos-split.js";
import {
  drawSosStrategy, parseStrategy, parseStrategyMix, SOS_STRATEGIES, SOS_STRATEGY_NAMES, sosRecord, strategyName, traceFor,
} from "../../src/tasks/countdown/sos-strategies.js";
import { bfsTrace, dfsTrace, pathTrace } from "../../src/tasks/countdown/sos-trace.js";
import { rngFor } from "../../src/tasks/random.js";

const split = sosTargetSplit(0);
const problem = (count: number, index: number) => drawSosProblem(split, "train", count, sosProblemRng("train", 77, index));

describe("SoS strategies", () => {
  it("are the 12 of the paper, named as countdown_generate.py names them", () => {
    expect(SOS_STRATEGY_NAMES).toEqual([
      "dfs/sum_heuristic", "dfs/mult_heuristic", "bfs_1/sum_heuristic", "bfs_1/mult_heuristic", "bfs_2/sum_heuristic", "bfs_2/mult_heuristic",
      "bfs_3/sum_heuristic", "bfs_3/mult_heuristic", "bfs_4/sum_heuristic", "bfs_4/mult_heuristic", "bfs_5/sum_heuristic", "bfs_5/mult_heuristic",
    ]);
    for (const s of SOS_STRATEGIES) expect(parseStrategy(strategyName(s))).toEqual(s);
    expect(parseStrategy("bfs_2/mult")).toEqual({ search_type: "bfs_2", heuristic: "mult_heuristic" });
    expect(() => parseStrategy("bfs_6/sum_heuristic")).toThrow(/unknown SoS strategy/);
    expect(() => parseStrategy("astar/sum_heuristic")).toThrow(/unknown SoS strategy/);
    expect(() => parseStrategyMix(" , ")).toThrow(/empty/);
  });

  it("traceFor runs dfs(threshold=target) or bfs(beam) with the strategy's heuristic", () => {
    const p = problem(3, 0);
    expect(traceFor({ search_type: "dfs", heuristic: "mult_heuristic" }, p.target, p.nums, rngFor("x", 0, 0))).toBe(dfsTrace(p.target, p.nums, { heuristic: "mult", threshold: p.target }));
    expect(traceFor({ search_type: "bfs_4", heuristic: "sum_heuristic" }, p.target, p.nums, rngFor("x", 0, 0))).toBe(bfsTrace(p.target, p.nums, { beamSize: 4, heuristic: "sum", rng: rngFor("x", 0, 0) }));
  });

  it("the random mix draws as SoS: half DFS, a tenth per beam width, heuristics even", () => {
    const counts: Record<string, number> = {};
    const heur: Record<string, number> = {};
    const n = 6000;
    for (let i = 0; i < n; i++) {
      const s = drawSosStrategy("random", rngFor("mix", 1, i));
      counts[s.search_type] = (counts[s.search_type] ?? 0) + 1;
      heur[s.heuristic] = (heur[s.heuristic] ?? 0) + 1;
    }
    expect(counts.dfs / n).toBeCloseTo(0.5, 1);
    for (const k of [1, 2, 3, 4, 5]) expect(counts[`bfs_${k}`] / n).toBeCloseTo(0.1, 1);
    expect(heur.sum_heuristic / n).toBeCloseTo(0.5, 1);
    const uniform = new Set(Array.from({ length: 600 }, (_, i) => strategyName(drawSosStrategy("uniform", rngFor("mix", 2, i)))));
    expect(uniform.size).toBe(12);
    const fixed = parseStrategyMix("bfs_3/mult_heuristic");
    expect(Array.from({ length: 20 }, (_, i) => strategyName(drawSosStrategy(fixed, rngFor("mix", 3, i))))).toEqual(Array(20).fill("bfs_3/mult_heuristic"));
    const pair = parseStrategyMix("dfs/sum_heuristic,bfs_1/sum_heuristic");
    expect(new Set(Array.from({ length: 50 }, (_, i) => strategyName(drawSosStrategy(pair, rngFor("mix", 4, i)))))).toEqual(new Set(["dfs/sum_heuristic", "bfs_1/sum_heuristic"]));
  });

  it("sosRecord holds the SoS fields; rating is 0 unless the search path reaches the goal", () => {
    let reached = 0;
    for (let i = 0; i < 30; i++) {
      const p = problem(3, i);
      const strategy = SOS_STRATEGIES[i % 12];
      const r = sosRecord(p.target, p.nums, p.steps, strategy, rngFor("rec", 0, i));
      expect(Object.keys(r).sort()).toEqual(["heuristic", "nums", "optimal_path", "rating", "search_path", "search_type", "solution", "target"]);
      expect(r.search_type).toBe(strategy.search_type);
      expect(r.heuristic).toBe(strategy.heuristic);
      expect(r.optimal_path).toBe(pathTrace(p.target, p.nums, p.steps));
      expect(r.solution).toHaveLength(2);
      expect(checkSosTrace(r.optimal_path, p.target, p.nums)).toMatchObject({ valid: true, path: r.solution, rating: 1 - 3 / 48 });
      if (r.search_path.includes("Goal Reached")) {
        reached++;
        const explored = r.search_path.split("Exploring Operation").length;
        expect(r.rating).toBeCloseTo(Math.max(0, 1 - explored / 48), 12);
      } else {
        expect(r.rating).toBe(0);
      }
    }
    expect(reached).toBeGreaterThan(15);
  });
});

describe("SoS trace grammar", () => {
  it("parses every line kind into structure", () => {
    const lines: [string, SosLine][] = [
      ["Current State: 47:[42, 61, 66], Operations: []", { kind: "state", target: 47, nums: [42, 61, 66], ops: [] }],
      ["Current State: 47:[61, 24], Operations: ['66-42=24']", { kind: "state", target: 47, nums: [61, 24], ops: [{ a: 66, op: "-", b: 42, result: 24 }] }],
      ["Exploring Operation: 66/6=11, Resulting Numbers: [61, 11]", { kind: "explore", op: { a: 66, op: "/", b: 6, result: 11 }, nums: [61, 11] }],
      ["Generated Node #0,0,3: 47:[61, 24] Operation: 66-42=24", { kind: "generated", node: [0, 0, 3], target: 47, nums: [61, 24], op: { a: 66, op: "-", b: 42, result: 24 } }],
      ["Moving to Node #0,1", { kind: "move", node: [0, 1] }],
      ["Moving to Node #0", { kind: "move", node: [0] }],
      ["47,47 equal: Goal Reached", { kind: "goal", value: 47, target: 47 }],
      ["37,47 unequal: No Solution", { kind: "unequal", value: 37, target: 47 }],
      ["No solution found.", { kind: "exhausted" }],
      ["Current State: 47:[42, 61], Operations: [66-42=24]", { kind: "text", text: "Current State: 47:[42, 61], Operations: [66-42=24]" }],
      ["Exploring Operation: 66-42=24, Resulting Numbers: [61,24]", { kind: "text", text: "Exploring Operation: 66-42=24, Resulting Numbers: [61,24]" }],
      ["", { kind: "text", text: "" }],
    ];
    for (const [text, line] of lines) expect(parseSosLine(text), text).toEqual(line);
  });

  it("round-trips every trace of all 12 strategies and the optimal path byte for byte (2–4 numbers)", () => {
    let traces = 0;
    for (const count of [2, 3, 4]) {
      for (let i = 0; i < (count === 4 ? 8 : 20); i++) {
        const p = problem(count, 1000 * count + i);
        for (const s of SOS_STRATEGIES) {
          const trace = traceFor(s, p.target, p.nums, rngFor("grammar", count, i));
          const parsed = parseSosTrace(trace);
          expect(parsed.lines.filter((l) => l.kind === "text"), `${strategyName(s)} ${p.target}:${p.nums}`).toEqual([]);
          expect(printSosTrace(parsed)).toBe(trace);
          traces++;
        }
        const path = pathTrace(p.target, p.nums, p.steps);
        expect(printSosTrace(parseSosTrace(path))).toBe(path);
      }
    }
    expect(traces).toBe((20 + 20 + 8) * 12);
  });

  it("BFS on 5 numbers round-trips too", () => {
    for (let i = 0; i < 3; i++) {
      const p = problem(5, i);
      for (const beam of [1, 2]) {
        const trace = traceFor({ search_type: `bfs_${beam}` as "bfs_1" | "bfs_2", heuristic: "sum_heuristic" }, p.target, p.nums, rngFor("g5", beam, i));
        expect(printSosTrace(parseSosTrace(trace))).toBe(trace);
      }
    }
  });

  it("any string round-trips (unknown lines are kept as text) (property)", () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(..."0123456789 ,:[]'#=+-*/\nCurentSaOpiolxgdN."), maxLength: 200 }), (s) => printSosTrace(parseSosTrace(s)) === s), { numRuns: 300 });
    for (const s of ["", "\n", "\n\n", "No solution found.", "No solution found.\n"]) expect(printSosTrace(parseSosTrace(s))).toBe(s);
  });
});

describe("SoS rater on hand-made traces", () => {
  const rate = (trace: string, target: number, nums: number[]) => checkSosTrace(trace, target, nums);

  it("2 numbers: the goal at the first node rates 1 − 2/4; at the fourth, 0 (valid, but no accuracy)", () => {
    const first = "Current State: 20:[4, 5], Operations: []\nExploring Operation: 4*5=20, Resulting Numbers: [20]\n20,20 equal: Goal Reached\n";
    expect(rate(first, 20, [4, 5])).toMatchObject({ valid: true, rating: 0.5, path: ["4*5=20"] });
    const last = [
      "Current State: 9:[4, 5], Operations: []",
      "Exploring Operation: 4+5=9, Resulting Numbers: [9]", "9,9 equal: Goal Reached",
    ].join("\n");
    expect(rate(last, 9, [4, 5]).rating).toBe(0.5);
    const late = [
      "Current State: 1:[4, 5], Operations: []",
      "Exploring Operation: 4+5=9, Resulting Numbers: [9]", "9,1 unequal: No Solution",
      "Exploring Operation: 4*5=20, Resulting Numbers: [20]", "20,1 unequal: No Solution",
      "Exploring Operation: 5-4=1, Resulting Numbers: [1]", "1,1 equal: Goal Reached", "",
    ].join("\n");
    expect(rate(late, 1, [4, 5])).toMatchObject({ valid: true, rating: 0 }); // 1 − (3 + 1)/4
  });

  it("3 numbers: a search with backtracking rates 1 − (explored + 1)/48", () => {
    const trace = [
      "Current State: 47:[42, 61, 66], Operations: []",
      "Exploring Operation: 66-42=24, Resulting Numbers: [61, 24]",
      "Generated Node #0,0: 47:[61, 24] Operation: 66-42=24",
      "Moving to Node #0,0",
      "Current State: 47:[61, 24], Operations: ['66-42=24']",
      "Exploring Operation: 61-24=37, Resulting Numbers: [37]",
      "37,47 unequal: No Solution",
      "Exploring Operation: 61+24=85, Resulting Numbers: [85]",
      "85,47 unequal: No Solution",
      "Moving to Node #0",
      "Current State: 47:[42, 61, 66], Operations: []",
      "Exploring Operation: 61-42=19, Resulting Numbers: [66, 19]",
      "Generated Node #0,1: 47:[66, 19] Operation: 61-42=19",
      "Moving to Node #0,1",
      "Current State: 47:[66, 19], Operations: ['61-42=19']",
      "Exploring Operation: 66-19=47, Resulting Numbers: [47]",
      "47,47 equal: Goal Reached",
      "",
    ].join("\n");
    const c = rate(trace, 47, [42, 61, 66]);
    expect(c).toMatchObject({ valid: true, path: ["61-42=19", "66-19=47"] });
    expect(c.rating).toBeCloseTo(1 - 6 / 48, 12);
  });

  it("4 and 5 numbers: straight paths rate 1 − (ops + 1)/max_nodes", () => {
    const four = [
      "Current State: 24:[2, 3, 4, 1], Operations: []",
      "Exploring Operation: 2*3=6, Resulting Numbers: [4, 1, 6]", "Generated Node #0,0: 24:[4, 1, 6] Operation: 2*3=6", "Moving to Node #0,0",
      "Current State: 24:[4, 1, 6], Operations: ['2*3=6']",
      "Exploring Operation: 4*1=4, Resulting Numbers: [6, 4]", "Generated Node #0,0,0: 24:[6, 4] Operation: 4*1=4", "Moving to Node #0,0,0",
      "Current State: 24:[6, 4], Operations: ['2*3=6', '4*1=4']",
      "Exploring Operation: 6*4=24, Resulting Numbers: [24]", "24,24 equal: Goal Reached", "",
    ].join("\n");
    expect(rate(four, 24, [2, 3, 4, 1]).rating).toBeCloseTo(1 - 4 / 1152, 12);
    const five = four
      .replace(/24:\[2, 3, 4, 1\]/g, "24:[2, 3, 4, 1, 1]").replace("[4, 1, 6]", "[4, 1, 1, 6]").replace("24:[4, 1, 6]", "24:[4, 1, 1, 6]")
      .replace("Current State: 24:[4, 1, 6]", "Current State: 24:[4, 1, 1, 6]").replace("Resulting Numbers: [6, 4]", "Resulting Numbers: [1, 6, 4]")
      .replace("Generated Node #0,0,0: 24:[6, 4]", "Generated Node #0,0,0: 24:[1, 6, 4]").replace("Current State: 24:[6, 4]", "Current State: 24:[1, 6, 4]")
      .replace("Exploring Operation: 6*4=24, Resulting Numbers: [24]", "Exploring Operation: 6*4=24, Resulting Numbers: [1, 24]\nGenerated Node #0,0,0,0: 24:[1, 24] Operation: 6*4=24\nMoving to Node #0,0,0,0\nCurrent State: 24:[1, 24], Operations: ['2*3=6', '4*1=4', '6*4=24']\nExploring Operation: 24*1=24, Resulting Numbers: [24]");
    const c5 = rate(five, 24, [2, 3, 4, 1, 1]);
    expect(c5.valid, c5.reason).toBe(true);
    expect(c5.rating).toBeCloseTo(1 - 5 / 46080, 12);
  });

  it("unsolved, invalid arithmetic and a wrong start rate 0", () => {
    const unsolved = "Current State: 50:[4, 5], Operations: []\nExploring Operation: 4+5=9, Resulting Numbers: [9]\n9,50 unequal: No Solution\nNo solution found.";
    expect(rate(unsolved, 50, [4, 5])).toMatchObject({ valid: false, rating: 0, reason: "no goal reached statement found" });
    const wrongSum = "Current State: 10:[4, 5], Operations: []\nExploring Operation: 4+5=10, Resulting Numbers: [10]\n10,10 equal: Goal Reached\n";
    expect(rate(wrongSum, 10, [4, 5])).toMatchObject({ valid: false, rating: 0 });
    expect(rate(wrongSum, 10, [4, 5]).reason).toMatch(/invalid operation 4\+5=10/);
    const inexact = "Current State: 2:[5, 2], Operations: []\nExploring Operation: 5/2=2, Resulting Numbers: [2]\n2,2 equal: Goal Reached\n";
    expect(rate(inexact, 2, [5, 2]).reason).toMatch(/invalid operation 5\/2=2/);
    const negative = "Current State: 1:[4, 5], Operations: []\nExploring Operation: 4-5=1, Resulting Numbers: [1]\n1,1 equal: Goal Reached\n";
    expect(rate(negative, 1, [4, 5]).valid).toBe(false);
    const wrongStart = "Current State: 20:[4, 6], Operations: []\nExploring Operation: 4*5=20, Resulting Numbers: [20]\n20,20 equal: Goal Reached\n";
    expect(rate(wrongStart, 20, [4, 5]).reason).toMatch(/not the problem/);
    const wrongTarget = "Current State: 21:[4, 5], Operations: []\nExploring Operation: 4*5=20, Resulting Numbers: [20]\n20,20 equal: Goal Reached\n";
    expect(rate(wrongTarget, 20, [4, 5]).reason).toMatch(/not the problem/);
    expect(rate("Current State: 20:[4, 5], Operations: []\nExploring Operation: 4*5=20, Resulting Numbers: [20]\n20,20 equal: Goal Reached\n", 20, [4, 5, 6, 7, 8, 9]).reason).toMatch(/2–5 numbers/);
  });
});
