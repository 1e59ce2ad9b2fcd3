// Countdown problem generation per preset, and gold answers: a solver solution for the expression presets, a
// search trace for Stream of Search.
import { evaluateExpression, formatExpression, parseExpression, type Expr, type Operator } from "../expression.js";
import { toString as ratToString } from "../rational.js";
import type { ExampleRng } from "../random.js";
import { SOS_MAX_NODES, sosHeader, type CountdownPreset, type PresetRules } from "./rules.js";
import { checkSosTrace } from "./sos-check.js";
import { solveCountdown, type FoldStep, type SolveResult } from "./solver.js";
import { bfsTrace, dfsTrace, pathTrace, type SosHeuristic } from "./sos-trace.js";

/** Random draws of numbers tried for one target before a new target is drawn. */
const ATTEMPTS_PER_TARGET = 50;
/** Total draws before falling back to a constructive (sum) problem. */
const MAX_ATTEMPTS = 2000;
/** Per-problem solver budget during generation (states expanded). */
const GENERATION_SOLVER_BUDGET = 200_000;
/** reasoning-gym _generate_expression max_attempts (per operand count). */
const RG_MAX_ATTEMPTS = 100;

export interface Generated {
  numbers: number[];
  target: number;
  solution: string;
  steps: FoldStep[] | null;
}

const draw = (rng: ExampleRng, count: number, lo: number, hi: number): number[] => Array.from({ length: count }, () => rng.int(lo, hi));

/** count parts in [lo, hi] summing to target, or null when impossible. */
function sumComposition(rng: ExampleRng, count: number, target: number, lo: number, hi: number): number[] | null {
  if (count * lo > target || count * hi < target) return null;
  const parts = new Array<number>(count).fill(lo);
  let left = target - count * lo;
  while (left > 0) {
    const i = rng.int(0, count - 1);
    if (parts[i] < hi) {
      parts[i]++;
      left--;
    }
  }
  return parts;
}

/**
 * SoS-style generation (countdown.py CountDown.generate): draw a target, then numbers until the solver finds a
 * solution under the preset's arithmetic. Used for "sos" and "tinyzero".
 */
function generateBySearch(rng: ExampleRng, rules: PresetRules): Generated {
  const count = rng.int(rules.minNumbers, rules.maxNumbers);
  let target = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt % ATTEMPTS_PER_TARGET === 0) target = rng.int(rules.minTarget, rules.maxTarget);
    const numbers = draw(rng, count, rules.minValue, rules.maxValue);
    const solved = solveCountdown(numbers, target, rules.arithmetic, GENERATION_SOLVER_BUDGET);
    if (solved.status === "solved") return { numbers, target, solution: solved.expression, steps: solved.steps };
  }
  return constructive(rng, count, rules);
}

function constructive(rng: ExampleRng, count: number, rules: PresetRules): Generated {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const target = rng.int(rules.minTarget, rules.maxTarget);
    const numbers = sumComposition(rng, count, target, rules.minValue, rules.maxValue);
    if (!numbers) continue;
    const solved = solveCountdown(numbers, target, rules.arithmetic, GENERATION_SOLVER_BUDGET);
    if (solved.status === "solved") return { numbers, target, solution: solved.expression, steps: solved.steps };
  }
  throw new Error(
    `countdown: cannot build a solvable problem with ${count} numbers in [${rules.minValue}, ${rules.maxValue}] and targets in [${rules.minTarget}, ${rules.maxTarget}]`,
  );
}

/**
 * reasoning-gym _generate_candidate_expression: a left fold x0 op x1 op … with random operators; "/" swaps in a
 * later number that divides the running value exactly, else becomes "−". Retried until the value is an integer
 * target in range; the numbers are then shuffled.
 */
function generateByExpression(rng: ExampleRng, rules: PresetRules): Generated {
  const ops: Operator[] = ["+", "-", "*", "/"];
  for (let round = 0; round < MAX_ATTEMPTS / RG_MAX_ATTEMPTS; round++) {
    const count = rng.int(rules.minNumbers, rules.maxNumbers);
    for (let attempt = 0; attempt < RG_MAX_ATTEMPTS; attempt++) {
      const numbers = draw(rng, count, rules.minValue, rules.maxValue);
      let expr: Expr = { kind: "num", value: BigInt(numbers[0]) };
      let value = BigInt(numbers[0]);
      for (let i = 1; i < count; i++) {
        let op = rng.choice(ops);
        if (op === "/") {
          const candidates = rng.shuffle(numbers.slice(i).filter((n) => n !== 0));
          const divisor = candidates.find((d) => value % BigInt(d) === 0n);
          if (divisor === undefined) op = "-";
          else numbers[i] = divisor;
        }
        const x = BigInt(numbers[i]);
        expr = { kind: "bin", op, left: expr, right: { kind: "num", value: x } };
        value = op === "+" ? value + x : op === "-" ? value - x : op === "*" ? value * x : value / x;
      }
      if (value >= BigInt(rules.minTarget) && value <= BigInt(rules.maxTarget)) {
        rng.shuffle(numbers);
        return { numbers, target: Number(value), solution: formatExpression(expr), steps: null };
      }
    }
  }
  return constructive(rng, rng.int(rules.minNumbers, rules.maxNumbers), rules);
}

export function generateProblem(preset: CountdownPreset, rng: ExampleRng, rules: PresetRules): Generated {
  return preset === "reasoning-gym" ? generateByExpression(rng, rules) : generateBySearch(rng, rules);
}

export interface SosTraceOptions {
  search: "dfs" | "bfs";
  beamSize: number;
  heuristic: SosHeuristic;
}

/**
 * A gold SoS trace that reaches the goal with rating > 0: the configured strategy (DFS pruned at heuristic >
 * target, or BFS with the beam), then DFS with the other heuristic, then unpruned DFS, then the straight path of
 * the solver's solution (always valid).
 */
export function goldSosTrace(numbers: number[], target: number, steps: FoldStep[] | null, opts: SosTraceOptions, rng: ExampleRng): string {
  const other: SosHeuristic = opts.heuristic === "sum" ? "mult" : "sum";
  const tries: (() => string)[] = [
    () =>
      opts.search === "bfs"
        ? bfsTrace(target, numbers, { beamSize: opts.beamSize, heuristic: opts.heuristic, rng })
        : dfsTrace(target, numbers, { heuristic: opts.heuristic, threshold: target }),
    () => dfsTrace(target, numbers, { heuristic: other, threshold: target }),
    () => dfsTrace(target, numbers, { heuristic: opts.heuristic }),
  ];
  if (SOS_MAX_NODES[numbers.length] !== undefined) {
    for (const attempt of tries) {
      const trace = attempt();
      if (checkSosTrace(trace, target, numbers).rating > 0) return trace;
    }
  }
  const path = steps ?? solveSteps(numbers, target);
  if (!path) return sosHeader(target, numbers) + "\n";
  return pathTrace(target, numbers, path);
}

function solveSteps(numbers: number[], target: number): FoldStep[] | null {
  const r: SolveResult = solveCountdown(numbers, target, "sos-integer");
  return r.status === "solved" ? r.steps : null;
}

/** Worked steps of an expression, innermost first: "44 + 19 = 63". */
export function explainExpression(solution: string): string[] {
  const parsed = parseExpression(solution);
  if (!parsed.ok) return [];
  const lines: string[] = [];
  const walk = (e: Expr): string => {
    if (e.kind === "num") return e.value.toString();
    const l = walk(e.left);
    const r = walk(e.right);
    const v = evaluateExpression(e);
    const value = v.ok ? ratToString(v.value) : "undefined";
    lines.push(`${l} ${e.op} ${r} = ${value}`);
    return value;
  };
  walk(parsed.expr);
  return lines;
}
