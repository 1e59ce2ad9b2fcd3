// Exhaustive Countdown solver: depth-first over every pair and operation, folding the numbers until one is left
// (every number used exactly once), with a memo of multisets already shown to fail. It either returns a solution,
// proves that none exists, or stops at an explicit work budget and says so.
import { formatExpression, type Expr, type Operator } from "../expression.js";
import { add, div, equals, fromInt, mul, sub, type Rational } from "../rational.js";
import { combineNums, type Arithmetic } from "./rules.js";

export const DEFAULT_SOLVER_BUDGET = 2_000_000;

/** One fold step: numbers at indices i < j of the current list are replaced (others in order, then the result). */
export interface FoldStep {
  i: number;
  j: number;
  /** Index into combineNums(nums[i], nums[j]) for "sos-integer". */
  k: number;
  text: string;
}

export type SolveResult =
  | { status: "solved"; expression: string; steps: FoldStep[] }
  | { status: "unsolvable"; expanded: number }
  | { status: "gave-up"; expanded: number };

interface Item {
  value: Rational;
  expr: Expr;
}

const bin = (op: Operator, left: Expr, right: Expr): Expr => ({ kind: "bin", op, left, right });

function keyOf(items: readonly Item[]): string {
  return items
    .map((x) => `${x.value.n}/${x.value.d}`)
    .sort()
    .join(",");
}

/** Children of the pair (x, y) in rational arithmetic: x+y, x·y, x−y, y−x, x/y, y/x. */
function rationalChildren(x: Item, y: Item): { item: Item; text: string }[] {
  const out: { item: Item; text: string }[] = [
    { item: { value: add(x.value, y.value), expr: bin("+", x.expr, y.expr) }, text: "+" },
    { item: { value: mul(x.value, y.value), expr: bin("*", x.expr, y.expr) }, text: "*" },
    { item: { value: sub(x.value, y.value), expr: bin("-", x.expr, y.expr) }, text: "-" },
    { item: { value: sub(y.value, x.value), expr: bin("-", y.expr, x.expr) }, text: "-" },
  ];
  const q1 = div(x.value, y.value);
  if (q1) out.push({ item: { value: q1, expr: bin("/", x.expr, y.expr) }, text: "/" });
  const q2 = div(y.value, x.value);
  if (q2) out.push({ item: { value: q2, expr: bin("/", y.expr, x.expr) }, text: "/" });
  return out;
}

/** SoS combine_nums children, with the SoS operation text ("66-42=24"). */
function sosChildren(x: Item, y: Item): { item: Item; text: string }[] {
  const a = Number(x.value.n);
  const b = Number(y.value.n);
  return combineNums(a, b).map((op) => {
    const [l, r] = op.a === a && (op.b === b || op.op === "+" || op.op === "*") ? [x.expr, y.expr] : [y.expr, x.expr];
    return { item: { value: fromInt(op.result), expr: bin(op.op, l, r) }, text: op.text };
  });
}

/**
 * Finds a way to fold `numbers` into `target` under the given arithmetic. Every number is used exactly once.
 * `budget` caps the number of expanded states; past it the result is "gave-up", never a wrong "unsolvable".
 */
export function solveCountdown(numbers: readonly number[], target: number, arithmetic: Arithmetic, budget = DEFAULT_SOLVER_BUDGET): SolveResult {
  const goal = fromInt(target);
  const failed = new Set<string>();
  const steps: FoldStep[] = [];
  let expanded = 0;
  let exhausted = false;
  const children = arithmetic === "sos-integer" ? sosChildren : rationalChildren;

  const search = (items: Item[]): Item | null => {
    if (items.length === 1) return equals(items[0].value, goal) ? items[0] : null;
    const key = keyOf(items);
    if (failed.has(key)) return null;
    if (++expanded > budget) {
      exhausted = true;
      return null;
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const rest = items.filter((_, m) => m !== i && m !== j);
        const kids = children(items[i], items[j]);
        for (let k = 0; k < kids.length; k++) {
          steps.push({ i, j, k, text: kids[k].text });
          const found = search([...rest, kids[k].item]);
          if (found) return found;
          steps.pop();
          if (exhausted) return null;
        }
      }
    }
    failed.add(key);
    return null;
  };

  const start: Item[] = numbers.map((n) => ({ value: fromInt(n), expr: { kind: "num", value: BigInt(n) } }));
  const found = search(start);
  if (found) return { status: "solved", expression: formatExpression(found.expr), steps: [...steps] };
  return exhausted ? { status: "gave-up", expanded } : { status: "unsolvable", expanded };
}
