// Priming traces for Countdown (TinyZero format): templated natural-language reasoning built from the solver, one
// builder per condition of Gandhi et al. 2025, "Cognitive Behaviors that Enable Self-Improving Reasoners"
// (kanishkg/cognitive-behaviors), whose priming sets were written by Claude; ours are generated. A trace explores
// wrong paths first (complete fold paths that miss the target, preferring first moves the solver proves dead), then
// reaches the solver's solution. The behaviors it may show, each with several seeded phrasings (priming-phrases.ts):
//   verification       a result checked against the target ("37 is not 42", "Check: … = 42, the target")
//   backtracking       a path abandoned explicitly ("Dead end, so I backtrack to the original numbers.")
//   subgoal_setting    intermediate goals ("Subgoal: first combine two of the numbers …", "New subgoal: make 6 …")
//   backward_chaining  from the target back ("Working backwards from 42: 42 = x * 7, so I need 6 from [18, 12].")
import { evaluateExpression, parseExpression, type Expr, type Operator } from "../expression.js";
import { toString as ratToString } from "../rational.js";
import type { ExampleRng } from "../random.js";
import { explainExpression } from "./generate.js";
import * as P from "./priming-phrases.js";
import { pyIntList } from "./rules.js";
import { solveCountdown } from "./solver.js";

/** The paper's priming conditions, plus its "backtracking + one other behavior" sets. */
export const PRIMING_CONDITIONS = [
  "all_strategies", "only_backtracking", "only_verification", "empty_cot", "placeholder_cot", "incorrect_only",
  "backtracking_verification", "backtracking_subgoal", "backtracking_backward",
] as const;
export type PrimingCondition = (typeof PRIMING_CONDITIONS)[number];

/** The behaviors a condition's traces are built to show (placeholder and empty CoT show none). */
export const CONDITION_BEHAVIORS: Record<PrimingCondition, readonly TraceBehavior[]> = {
  all_strategies: ["verification", "backtracking", "subgoal_setting", "backward_chaining"],
  incorrect_only: ["verification", "backtracking", "subgoal_setting", "backward_chaining"],
  only_backtracking: ["backtracking"],
  only_verification: ["verification"],
  empty_cot: [],
  placeholder_cot: [],
  backtracking_verification: ["backtracking", "verification"],
  backtracking_subgoal: ["backtracking", "subgoal_setting"],
  backtracking_backward: ["backtracking", "backward_chaining"],
};

export type TraceBehavior = "verification" | "backtracking" | "subgoal_setting" | "backward_chaining";

/** Wrong paths explored before the solution: [min, max] (incorrect-only traces explore more, then give up). */
export const WRONG_PATHS = { min: 1, max: 2 } as const;
export const INCORRECT_WRONG_PATHS = { min: 2, max: 3 } as const;
/** Random folds drawn at most when looking for wrong paths, and the pool kept per wanted path (dead ones first). */
const WRONG_PATH_DRAWS = 60;
const WRONG_PATH_POOL = 4;
/** Solver budget for "is this partial state dead?" (states expanded; tiny for 2–3 numbers). */
const DEAD_CHECK_BUDGET = 20_000;
/** The length-matched placeholder's filler: one uninformative character repeated. */
export const PLACEHOLDER_FILLER = ".";

export interface PrimingProblem {
  numbers: readonly number[];
  target: number;
  /** a correct expression (the solver's) */
  solution: string;
}

export interface PrimingTrace {
  /** text inside <think> … </think> ("" for the empty CoT) */
  think: string;
  /** the expression inside <answer> … </answer> */
  answer: string;
  /** behaviors the builder put in, by construction (incorrect_only drops backward chaining when no failing split exists) */
  behaviors: TraceBehavior[];
}

/** A value with the expression that made it. */
interface Term {
  value: number;
  expr: string;
  leaf: boolean;
}

/** One wrong complete fold path: its steps as "a op b = v" and the final term. */
interface Path {
  steps: string[];
  rest: number[];
  final: Term;
  dead: boolean;
}

const wrap = (t: Term): string => (t.leaf ? t.expr : `(${t.expr})`);

/** Integer results of combining x and y: x + y, x * y, larger − smaller, larger / smaller when exact. */
function combine(x: Term, y: Term): { op: Operator; l: Term; r: Term; value: number }[] {
  const [hi, lo] = x.value >= y.value ? [x, y] : [y, x];
  const out: { op: Operator; l: Term; r: Term; value: number }[] = [
    { op: "+", l: x, r: y, value: x.value + y.value },
    { op: "*", l: x, r: y, value: x.value * y.value },
    { op: "-", l: hi, r: lo, value: hi.value - lo.value },
  ];
  if (lo.value !== 0 && hi.value % lo.value === 0 && lo.value !== 1) out.push({ op: "/", l: hi, r: lo, value: hi.value / lo.value });
  return out;
}

/** A random complete fold of `terms` with integer operations; the steps as text. */
function randomFold(terms: Term[], rng: ExampleRng): { steps: string[]; final: Term; restAfterFirst: number[] } {
  let cur = [...terms];
  const steps: string[] = [];
  let restAfterFirst: number[] = [];
  while (cur.length > 1) {
    const i = rng.int(0, cur.length - 2);
    const j = rng.int(i + 1, cur.length - 1);
    const c = rng.choice(combine(cur[i], cur[j]));
    const t: Term = { value: c.value, expr: `${wrap(c.l)} ${c.op} ${wrap(c.r)}`, leaf: false };
    steps.push(`${c.l.value} ${c.op} ${c.r.value} = ${c.value}`);
    cur = [...cur.filter((_, m) => m !== i && m !== j), t];
    if (steps.length === 1) restAfterFirst = cur.map((x) => x.value);
  }
  return { steps, final: cur[0], restAfterFirst };
}

/**
 * `count` distinct wrong paths (final value ≠ target), drawn from random folds; paths whose first move leaves numbers
 * the solver proves cannot reach the target come first (a genuine dead end to back out of).
 */
function wrongPaths(numbers: readonly number[], target: number, count: number, rng: ExampleRng): Path[] {
  const leaves: Term[] = numbers.map((n) => ({ value: n, expr: String(n), leaf: true }));
  const seen = new Set<string>();
  const found: Path[] = [];
  for (let attempt = 0; attempt < WRONG_PATH_DRAWS && found.length < count * WRONG_PATH_POOL; attempt++) {
    const f = randomFold(leaves, rng);
    const key = f.steps.join("|");
    if (f.final.value === target || seen.has(key)) continue;
    seen.add(key);
    const dead = solveCountdown(f.restAfterFirst, target, "rational", DEAD_CHECK_BUDGET).status === "unsolvable";
    found.push({ steps: f.steps, rest: f.restAfterFirst, final: f.final, dead });
  }
  const dead = found.filter((p) => p.dead);
  const live = found.filter((p) => !p.dead);
  return [...dead, ...live].slice(0, count);
}

/** Sentences of one explored wrong path under the given behaviors. */
function explore(p: Path, target: number, has: (b: TraceBehavior) => boolean, rng: ExampleRng): string[] {
  const out = [P.fill(rng.choice(P.TRY_FIRST), { step: p.steps[0], rest: pyIntList(p.rest) })];
  for (const s of p.steps.slice(1)) out.push(P.fill(rng.choice(P.TRY_NEXT), { step: s }));
  if (has("verification")) out.push(P.fill(rng.choice(P.VERIFY_MISS), { v: String(p.final.value), t: String(target) }));
  if (has("backtracking")) out.push(rng.choice(P.BACKTRACK));
  return out;
}

/** Numbers (as written) of an expression's literals, in order. */
function literals(e: Expr): bigint[] {
  return e.kind === "num" ? [e.value] : [...literals(e.left), ...literals(e.right)];
}

function valueOf(e: Expr): string {
  const v = evaluateExpression(e);
  if (!v.ok) throw new Error(`priming: solution sub-expression has no value (${v.error})`);
  return ratToString(v.value);
}

/** Backward chaining (and, with subgoal setting, the needed value as a new goal) from the solution's last operation. */
function backward(solution: Expr, target: number, subgoal: boolean, rng: ExampleRng): string[] {
  if (solution.kind === "num") return [];
  const { op, left, right } = solution;
  const t = String(target);
  if (left.kind !== "num" && right.kind !== "num") {
    const [x, y] = [valueOf(left), valueOf(right)];
    const slots = { t, last: `${x} ${op} ${y}`, x, y, xrest: pyIntList(literals(left)), yrest: pyIntList(literals(right)) };
    const out = [P.fill(rng.choice(P.BACKWARD_PAIR), slots)];
    if (subgoal) out.push(P.fill(rng.choice(P.SUBGOAL_NEED), { x, rest: slots.xrest }), P.fill(rng.choice(P.SUBGOAL_NEED), { x: y, rest: slots.yrest }));
    return out;
  }
  const unknownLeft = left.kind !== "num";
  const sub = unknownLeft ? left : right;
  const n = (unknownLeft ? right : left) as Extract<Expr, { kind: "num" }>;
  const x = valueOf(sub);
  const last = unknownLeft ? `${x} ${op} ${n.value}` : `${n.value} ${op} ${x}`;
  const rest = pyIntList(literals(sub));
  const out = [P.fill(rng.choice(P.BACKWARD), { t, last, x, rest })];
  if (subgoal) out.push(P.fill(rng.choice(P.SUBGOAL_NEED), { x, rest }));
  return out;
}

/**
 * A backward-chaining attempt that fails (incorrect-only traces): target = x op n for a given number n, where the
 * solver proves the other numbers cannot make x; a try at x, its check and the return. [] when no such split exists.
 */
function failedBackward(p: PrimingProblem, has: (b: TraceBehavior) => boolean, rng: ExampleRng): string[] {
  const splits: { last: string; x: number; rest: number[] }[] = [];
  p.numbers.forEach((n, k) => {
    const rest = p.numbers.filter((_, m) => m !== k);
    const options: { x: number; last: (x: number) => string }[] = [
      { x: p.target - n, last: (x) => `${x} + ${n}` },
      { x: p.target + n, last: (x) => `${x} - ${n}` },
      ...(n > 1 && p.target % n === 0 ? [{ x: p.target / n, last: (x: number) => `${x} * ${n}` }] : []),
    ];
    for (const o of options) {
      if (o.x > 0 && solveCountdown(rest, o.x, "rational", DEAD_CHECK_BUDGET).status === "unsolvable") splits.push({ last: o.last(o.x), x: o.x, rest });
    }
  });
  if (splits.length === 0) return [];
  const s = rng.choice(splits);
  const [x, rest] = [String(s.x), pyIntList(s.rest)];
  const out = [P.fill(rng.choice(P.BACKWARD), { t: String(p.target), last: s.last, x, rest })];
  if (has("subgoal_setting")) out.push(P.fill(rng.choice(P.SUBGOAL_NEED), { x, rest }));
  const f = randomFold(s.rest.map((n) => ({ value: n, expr: String(n), leaf: true })), rng);
  out.push(P.fill(rng.choice(P.TRY_FIRST), { step: f.steps[0], rest: pyIntList(f.restAfterFirst) }));
  for (const step of f.steps.slice(1)) out.push(P.fill(rng.choice(P.TRY_NEXT), { step }));
  if (has("verification")) out.push(P.fill(rng.choice(P.VERIFY_MISS), { v: String(f.final.value), t: x }));
  if (has("backtracking")) out.push(rng.choice(P.BACKTRACK));
  return out;
}

function parseSolution(solution: string): Expr {
  const parsed = parseExpression(solution);
  if (!parsed.ok) throw new Error(`priming: cannot parse the solution "${solution}": ${parsed.error}`);
  return parsed.expr;
}

/**
 * A trace showing exactly `behaviors` (any subset of the four): optional plan (subgoal setting), wrong paths with
 * checks (verification) and explicit returns (backtracking) when backtracking is on, then the solution, reached
 * backwards (backward chaining) or forwards, and checked (verification) or just announced. `incorrect` builds the
 * incorrect-only variant: more wrong paths and the closest wrong one as the answer.
 */
export function behaviorTrace(p: PrimingProblem, wanted: readonly TraceBehavior[], rng: ExampleRng, incorrect = false): PrimingTrace {
  let behaviors = [...wanted];
  const has = (b: TraceBehavior) => behaviors.includes(b);
  const t = String(p.target);
  const lines: string[] = [];
  if (has("subgoal_setting")) lines.push(P.fill(rng.choice(P.SUBGOAL_PLAN), { t }));
  if (has("backtracking") || incorrect) {
    const range = incorrect ? INCORRECT_WRONG_PATHS : WRONG_PATHS;
    const paths = wrongPaths(p.numbers, p.target, rng.int(range.min, range.max), rng);
    if (paths.length === 0) throw new Error(`priming: no wrong path for ${pyIntList(p.numbers)} → ${t}`);
    for (const path of paths) lines.push(...explore(path, p.target, has, rng));
    if (incorrect) {
      if (has("backward_chaining")) {
        const back = failedBackward(p, has, rng);
        if (back.length === 0) behaviors = behaviors.filter((b) => b !== "backward_chaining");
        lines.push(...back);
      }
      const closest = paths.reduce((a, b) => (Math.abs(b.final.value - p.target) < Math.abs(a.final.value - p.target) ? b : a));
      lines.push(P.fill(rng.choice(P.GIVE_UP), { expr: closest.final.expr, v: String(closest.final.value), t }));
      return { think: lines.join("\n"), answer: closest.final.expr, behaviors: [...behaviors] };
    }
  }
  const expr = parseSolution(p.solution);
  if (has("backward_chaining")) lines.push(...backward(expr, p.target, has("subgoal_setting"), rng));
  for (const step of explainExpression(p.solution)) lines.push(P.fill(rng.choice(P.SOLVE_STEP), { step }));
  lines.push(P.fill(rng.choice(has("verification") ? P.VERIFY_HIT : P.ANNOUNCE), { expr: p.solution, t }));
  return { think: lines.join("\n"), answer: p.solution, behaviors: [...behaviors] };
}

/** Empty CoT: no reasoning at all, straight to the answer. */
export function emptyCot(p: PrimingProblem): PrimingTrace {
  return { think: "", answer: p.solution, behaviors: [] };
}

/**
 * Length-matched placeholder CoT: filler of the same length as `reference` (the all-strategies trace of the same
 * problem) under `measure` (characters by default; a tokenizer's token count in the experiment).
 */
export function placeholderCot(p: PrimingProblem, reference: PrimingTrace, measure: (text: string) => number = (s) => s.length): PrimingTrace {
  const want = measure(reference.think);
  const unit = measure(PLACEHOLDER_FILLER);
  if (unit <= 0) throw new Error("priming: the placeholder filler measures 0");
  return { think: PLACEHOLDER_FILLER.repeat(Math.max(1, Math.round(want / unit))), answer: p.solution, behaviors: [] };
}

/**
 * The trace of `condition` for problem `p`. `rngOf` returns a fresh copy of the problem's own stream, so that the
 * placeholder matches the all-strategies trace of the same problem (it rebuilds that trace from the same stream).
 */
export function primingTrace(condition: PrimingCondition, p: PrimingProblem, rngOf: () => ExampleRng, measure?: (text: string) => number): PrimingTrace {
  switch (condition) {
    case "empty_cot":
      return emptyCot(p);
    case "placeholder_cot":
      return placeholderCot(p, behaviorTrace(p, CONDITION_BEHAVIORS.all_strategies, rngOf()), measure);
    case "incorrect_only":
      return behaviorTrace(p, CONDITION_BEHAVIORS.incorrect_only, rngOf(), true);
    default:
      return behaviorTrace(p, CONDITION_BEHAVIORS[condition], rngOf());
  }
}

/** The completion after the TinyZero prompt (which ends inside <think>): reasoning, </think>, the answer on the last line. */
export function primingCompletion(trace: PrimingTrace): string {
  const think = trace.think === "" ? " " : `\n${trace.think}\n`;
  return `${think}</think>\n<answer>${trace.answer}</answer>`;
}
