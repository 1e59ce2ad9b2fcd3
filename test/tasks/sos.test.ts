import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkSosTrace } from "../../src/tasks/countdown/sos-check.js";
import { bfsTrace, dfsTrace, pathTrace, type SosHeuristic } from "../../src/tasks/countdown/sos-trace.js";
import { solveCountdown } from "../../src/tasks/countdown/solver.js";
import { countdownTask } from "../../src/tasks/countdown/task.js";
import { rngFor, type ExampleRng } from "../../src/tasks/random.js";

interface Reference {
  target: number;
  nums: number[];
  heuristic: SosHeuristic;
  threshold: number | null;
  trace: string;
}

// Traces produced by kanishkg/stream-of-search src/countdown_dfs.py dfs() for random problems (2–5 numbers, both
// heuristics, with and without the threshold), stored as data.
const REFERENCE: Reference[] = JSON.parse(readFileSync(new URL("./fixtures/sos-dfs-reference.json", import.meta.url), "utf8"));

const SOLVED = `Current State: 47:[42, 61, 66], Operations: []
Exploring Operation: 66-42=24, Resulting Numbers: [61, 24]
Generated Node #0,0: 47:[61, 24] Operation: 66-42=24
Moving to Node #0,0
Current State: 47:[61, 24], Operations: ['66-42=24']
Exploring Operation: 61-24=37, Resulting Numbers: [37]
37,47 unequal: No Solution
Moving to Node #0
Current State: 47:[42, 61, 66], Operations: []
Exploring Operation: 61-42=19, Resulting Numbers: [66, 19]
Generated Node #0,1: 47:[66, 19] Operation: 61-42=19
Moving to Node #0,1
Current State: 47:[66, 19], Operations: ['61-42=19']
Exploring Operation: 66-19=47, Resulting Numbers: [47]
47,47 equal: Goal Reached
`;

describe("SoS DFS trace generator", () => {
  it("matches the reference implementation byte for byte", () => {
    expect(REFERENCE.length).toBeGreaterThanOrEqual(30);
    for (const r of REFERENCE) {
      expect(dfsTrace(r.target, r.nums, { heuristic: r.heuristic, threshold: r.threshold ?? undefined })).toBe(r.trace);
    }
  });

  it("reference traces that reach the goal are valid and rated as metric_fn does", () => {
    for (const r of REFERENCE) {
      const c = checkSosTrace(r.trace, r.target, r.nums);
      expect(c.valid, c.reason).toBe(r.trace.includes("Goal Reached"));
      if (c.valid) {
        const maxNodes = { 2: 4, 3: 48, 4: 1152, 5: 46080 }[r.nums.length] as number;
        const explored = (r.trace.match(/Exploring Operation/g) ?? []).length;
        expect(c.rating).toBeCloseTo(Math.max(1 - (explored + 1) / maxNodes, 0), 12);
      }
    }
  });
});

describe("SoS trace checker", () => {
  it("accepts a hand-written search with backtracking", () => {
    const c = checkSosTrace(SOLVED, 47, [42, 61, 66]);
    expect(c).toMatchObject({ valid: true, path: ["61-42=19", "66-19=47"] });
    expect(c.rating).toBeCloseTo(1 - (4 + 1) / 48, 12); // 4 explored operations, + 1 as in simple_rating
  });

  it("rejects invalid traces with a reason", () => {
    const bad: [string, RegExp][] = [
      [SOLVED.replace("66-19=47, Resulting Numbers: [47]", "66-19=48, Resulting Numbers: [48]").replace("47,47 equal", "48,47 equal"), /invalid operation 66-19=48/],
      [SOLVED.replace("Exploring Operation: 66-19=47", "Exploring Operation: 66-18=48"), /invalid operation|not available/],
      [SOLVED.replace("66-19=47, Resulting Numbers: [47]", "66-19=47, Resulting Numbers: [47, 1]"), /resulting numbers/],
      [SOLVED.replace("Current State: 47:[66, 19], Operations: ['61-42=19']", "Current State: 47:[66, 20], Operations: ['61-42=19']"), /does not follow/],
      [SOLVED.replace("Current State: 47:[42, 61, 66]", "Current State: 47:[42, 61, 5]"), /not the problem/],
      [SOLVED.replace("47,47 equal: Goal Reached\n", ""), /no goal/],
      ["Current State: 47:[42, 61, 66], Operations: []\n47,47 equal: Goal Reached\n", /without an explored operation/],
      [SOLVED.replace("Exploring Operation: 61-42=19, Resulting Numbers: [66, 19]", "Exploring Operation: 42-61=-19, Resulting Numbers: [66, -19]"), /./],
      [SOLVED.replace("Exploring Operation: 66-19=47, Resulting Numbers: [47]\n47,47", "Exploring Operation: 66+19=85, Resulting Numbers: [85]\n47,47"), /does not leave only the target/],
    ];
    for (const [trace, reason] of bad) {
      const c = checkSosTrace(trace, 47, [42, 61, 66]);
      expect(c.valid, trace).toBe(false);
      expect(c.rating).toBe(0);
      expect(c.reason).toMatch(reason);
    }
  });

  it("consumes operands: a number cannot be used twice", () => {
    const twice = `Current State: 20:[10, 3, 7], Operations: []
Exploring Operation: 10+10=20, Resulting Numbers: [20, 3, 7]
20,20 equal: Goal Reached
`;
    expect(checkSosTrace(twice, 20, [10, 3, 7]).reason).toMatch(/not available|resulting numbers/);
  });

  it("scores a completion that continues the prompt header", () => {
    const ex = countdownTask.fromFields({ preset: "sos", numbers: [42, 61, 66], target: 47 });
    const prompt = countdownTask.prompt(ex);
    expect(SOLVED.startsWith(prompt)).toBe(true);
    const completion = SOLVED.slice(prompt.length);
    expect(countdownTask.score(completion, ex)).toMatchObject({ correct: true, extracted: "61-42=19, 66-19=47" });
    expect(countdownTask.score(completion + "<|endoftext|>", ex).correct).toBe(true);
  });

  it("mutating an operation on the winning path never stays correct (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 3, maxLength: 4 }), fc.integer({ min: 10, max: 100 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (nums, target, pick, delta) => {
        const r = solveCountdown(nums, target, "sos-integer");
        if (r.status !== "solved") return true;
        const trace = pathTrace(target, nums, r.steps);
        if (!checkSosTrace(trace, target, nums).valid) return false;
        const lines = trace.split("\n");
        const explore = lines.flatMap((l, i) => (l.startsWith("Exploring Operation:") ? [i] : []));
        const i = explore[pick % explore.length];
        lines[i] = lines[i].replace(/Operation: (\d+)/, (_, a: string) => `Operation: ${Number(a) + delta}`);
        return !checkSosTrace(lines.join("\n"), target, nums).valid;
      }),
      { numRuns: 150 },
    );
  });
});

interface BfsReference {
  target: number;
  nums: number[];
  heuristic: SosHeuristic;
  beamSize: number;
  trace: string;
}

// Traces of a separate Python implementation of Stream-of-Search's countdown_bfs.py (CPython's heapq, list.sort and
// list printing), with the shuffle of the kept children replaced by the fixed stand-in below on both sides.
const BFS_REFERENCE: BfsReference[] = JSON.parse(readFileSync(new URL("./fixtures/sos-bfs-reference.json", import.meta.url), "utf8"));

/** The Python script's stand-in for random.shuffle: call k leaves, reverses, or rotates left by one (k mod 3). */
function standInRng(): ExampleRng {
  let calls = 0;
  const unused = (): never => {
    throw new Error("bfsTrace only shuffles");
  };
  return {
    nextU32: unused,
    next: unused,
    int: unused,
    choice: unused,
    shuffle: <T>(items: T[]): T[] => {
      const k = calls++ % 3;
      if (k === 1) items.reverse();
      else if (k === 2 && items.length > 1) items.push(items.shift() as T);
      return items;
    },
  };
}

describe("SoS BFS and path traces", () => {
  it("matches a separate implementation of the original BFS byte for byte (heap ties, beam, trace text)", () => {
    expect(BFS_REFERENCE.length).toBeGreaterThanOrEqual(30);
    expect(BFS_REFERENCE.filter((r) => r.trace.includes("Goal Reached")).length).toBeGreaterThanOrEqual(5);
    for (const r of BFS_REFERENCE) {
      expect(bfsTrace(r.target, r.nums, { beamSize: r.beamSize, heuristic: r.heuristic, rng: standInRng() }), `${r.target}:${r.nums.join(",")}`).toBe(r.trace);
    }
  });

  it("BFS traces follow the grammar, and rate > 0 when they reach the goal", () => {
    let reached = 0;
    for (let index = 0; index < 20; index++) {
      const ex = countdownTask.generate({ seed: 4, index, preset: "sos" });
      const nums = ex.metadata.numbers as number[];
      const target = ex.metadata.target as number;
      for (const beamSize of [1, 3, 5]) {
        const trace = bfsTrace(target, nums, { beamSize, heuristic: "sum", rng: rngFor("bfs", 4, index) });
        expect(trace).toBe(bfsTrace(target, nums, { beamSize, heuristic: "sum", rng: rngFor("bfs", 4, index) }));
        const c = checkSosTrace(trace, target, nums);
        if (trace.includes("Goal Reached")) {
          reached++;
          expect(c.valid, c.reason).toBe(true);
          expect(c.rating).toBeGreaterThan(0);
        } else {
          expect(trace.endsWith("No solution found.")).toBe(true);
          expect(c.valid).toBe(false);
        }
      }
    }
    expect(reached).toBeGreaterThan(10);
  });

  it("generated gold traces parse and rate > 0 for every strategy (property)", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.constantFrom("dfs", "bfs"), fc.constantFrom("sum", "mult"), fc.integer({ min: 1, max: 5 }), (index, search, heuristic, beamSize) => {
        const ex = countdownTask.generate({ seed: 9, index, preset: "sos", search, heuristic, beamSize });
        const c = checkSosTrace(ex.answer, ex.metadata.target as number, ex.metadata.numbers as number[]);
        return c.valid && c.rating > 0 && countdownTask.score(countdownTask.rationale!(ex), ex).correct;
      }),
      { numRuns: 25 },
    );
  });
});

describe("SoS checker edge cases", () => {
  it("a goal claim glued to the prompt header is not a search", () => {
    const ex = countdownTask.fromFields({ preset: "sos", numbers: [42, 61, 66], target: 47 });
    const s = countdownTask.score("47,47 equal: Goal Reached\n", ex);
    expect(s).toMatchObject({ correct: false, reward: 0 });
    expect(s.reason).toMatch(/without an explored operation/);
  });
});
