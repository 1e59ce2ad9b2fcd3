// Exhaustive Countdown solver: depth-first over every pair and operation, folding the numbers until one is left
// (every number used exactly once), with a memo of multisets already shown to fail. It either returns a solution,
// proves that none exists, or stops at an explicit work budget and says so.
import { formatExpression, type Expr, type Operator } from "../expression.js";
import { add, div, equals, fromInt, mul, sub, toString as ratToString, type Rational } from "../rational.js";
import { combineNums, type Arithmetic } from "./rules.js";

export const DEFAULT_SOLVER_BUDGET = 2_000_000;

/**
 * One fold step: the numbers at indices i < j of the current list are replaced by a result appended after the
 * others (kept in order), as in Stream of Search. k indexes the pair's children (combineNums order for
 * "sos-integer"; x+y, x·y, x−y, y−x, x/y, y/x for "rational").
 */
export interface FoldStep {
  i: number;
  j: number;
  k: number;
  /** "66-42=24" (the SoS operation text for "sos-integer"; exact values, possibly fractions, for "rational"). */
  text: string;
}

export type SolveResult =
  | { status: "solved"; expression: string; steps: FoldStep[] }
  | { status: "unsolvable"; expanded: number }
  | { status: "gave-up"; expanded: number };

interface Child {
  value: Rational;
  op: Operator;
  /** Operand order in the written operation: false = x op y, true = y op x. */
  swapped: boolean;
  /** SoS operation text (sos-integer only; rational texts are written after a solution is found). */
  text?: string;
}

const RATIONAL_OPS: readonly { op: Operator; swapped: boolean }[] = [
  { op: "+", swapped: false },
  { op: "*", swapped: false },
  { op: "-", swapped: false },
  { op: "-", swapped: true },
  { op: "/", swapped: false },
  { op: "/", swapped: true },
];

function rationalChildren(x: Rational, y: Rational): (Child | null)[] {
  return RATIONAL_OPS.map(({ op, swapped }) => {
    const [l, r] = swapped ? [y, x] : [x, y];
    const value = op === "+" ? add(l, r) : op === "*" ? mul(l, r) : op === "-" ? sub(l, r) : div(l, r);
    return value ? { value, op, swapped } : null;
  });
}

/** SoS combine_nums children; "-" and "/" put the larger operand first. */
function sosChildren(x: Rational, y: Rational): (Child | null)[] {
  const a = Number(x.n);
  const b = Number(y.n);
  return combineNums(a, b).map((c) => ({ value: fromInt(c.result), op: c.op, swapped: c.a !== a, text: c.text }));
}

const keyOf = (values: readonly Rational[]): string =>
  values
    .map((v) => (v.d === 1n ? v.n.toString() : `${v.n}/${v.d}`))
    .sort()
    .join(",");

/** Rebuilds the expression of a solution by replaying its fold steps, filling in each step's text. */
function expressionOf(numbers: readonly number[], steps: FoldStep[], arithmetic: Arithmetic): Expr {
  let exprs: Expr[] = numbers.map((n) => ({ kind: "num", value: BigInt(n) }));
  let values: Rational[] = numbers.map((n) => fromInt(n));
  const children = arithmetic === "sos-integer" ? sosChildren : rationalChildren;
  for (const s of steps) {
    const c = children(values[s.i], values[s.j])[s.k] as Child;
    const [l, r] = c.swapped ? [exprs[s.j], exprs[s.i]] : [exprs[s.i], exprs[s.j]];
    const [lv, rv] = c.swapped ? [values[s.j], values[s.i]] : [values[s.i], values[s.j]];
    s.text = c.text ?? `${ratToString(lv)}${c.op}${ratToString(rv)}=${ratToString(c.value)}`;
    const keep = (_: unknown, m: number) => m !== s.i && m !== s.j;
    exprs = [...exprs.filter(keep), { kind: "bin", op: c.op, left: l, right: r }];
    values = [...values.filter(keep), c.value];
  }
  return exprs[0];
}

/**
 * Finds a way to fold `numbers` into `target` under the given arithmetic, every number used exactly once.
 * `budget` caps the number of expanded states; past it the result is "gave-up", never a wrong "unsolvable".
 */
export function solveCountdown(numbers: readonly number[], target: number, arithmetic: Arithmetic, budget = DEFAULT_SOLVER_BUDGET): SolveResult {
  const goal = fromInt(target);
  const failed = new Set<string>();
  const steps: FoldStep[] = [];
  let expanded = 0;
  let exhausted = false;
  const children = arithmetic === "sos-integer" ? sosChildren : rationalChildren;

  const search = (values: Rational[]): boolean => {
    if (values.length === 1) return equals(values[0], goal);
    if (values.length === 2) {
      // Last fold: compare each child with the goal directly (no recursion, no memo).
      const kids = children(values[0], values[1]);
      for (let k = 0; k < kids.length; k++) {
        const c = kids[k];
        if (c && equals(c.value, goal)) {
          steps.push({ i: 0, j: 1, k, text: "" });
          return true;
        }
      }
      return false;
    }
    const key = keyOf(values);
    if (failed.has(key)) return false;
    if (++expanded > budget) {
      exhausted = true;
      return false;
    }
    for (let i = 0; i < values.length; i++) {
      for (let j = i + 1; j < values.length; j++) {
        const rest = values.filter((_, m) => m !== i && m !== j);
        const kids = children(values[i], values[j]);
        for (let k = 0; k < kids.length; k++) {
          const c = kids[k];
          if (!c) continue;
          steps.push({ i, j, k, text: "" });
          rest.push(c.value);
          if (search(rest)) return true;
          rest.pop();
          steps.pop();
          if (exhausted) return false;
        }
      }
    }
    failed.add(key);
    return false;
  };

  if (search(numbers.map((n) => fromInt(n)))) {
    const expression = formatExpression(expressionOf(numbers, steps, arithmetic));
    return { status: "solved", expression, steps: [...steps] };
  }
  return exhausted ? { status: "gave-up", expanded } : { status: "unsolvable", expanded };
}
