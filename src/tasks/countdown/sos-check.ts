// Stream-of-Search trace checker and rater (kanishkg/stream-of-search countdown_utils.py parse_trajectory +
// metric_fn), stricter where the original is lax: every `a op b=c` line is re-evaluated under combine_nums rules,
// its operands must be available in the current state (as a multiset: numbers are consumed), every "Current State"
// must follow from its operation list, and the trace must start from the example's own numbers and target.
// rating = max(1 − nodes_explored / max_nodes, 0), nodes_explored = count("Exploring Operation") + 1 over the
// whole trace as in simple_rating; accuracy = rating > 0.
import { SOS_MAX_NODES, sosHeader } from "./rules.js";

export interface SosCheck {
  valid: boolean;
  rating: number;
  reason: string;
  /** The operations of the winning path, when valid. */
  path: string[] | null;
}

const END_OF_TEXT = "<|endoftext|>";
const FIRST_LINE = /^Current State: (\d{1,12}):\[([^\]]*)\]/;
const CURRENT = /^Current State: (\d{1,12}):\[([^\]]*)\], Operations: \[([^\]]*)\]$/;
const EXPLORE = /^Exploring Operation: (\d{1,12})([+\-*/])(\d{1,12})=(\d{1,24}), Resulting Numbers: \[([^\]]*)\]$/;
const GENERATED = /^Generated Node #[\d,]+: (\d{1,12}):\[([^\]]*)\] Operation: (\d{1,12}[+\-*/]\d{1,12}=\d{1,24})$/;
const GOAL = /(\d{1,24}),(\d{1,12}) equal: Goal Reached/;
const OP_TEXT = /^(\d{1,12})([+\-*/])(\d{1,12})=(\d{1,24})$/;

class TraceError extends Error {}

function parseNums(list: string, line: number): bigint[] {
  const s = list.trim();
  if (s === "") return [];
  return s.split(",").map((x) => {
    const t = x.trim();
    if (!/^\d{1,24}$/.test(t)) throw new TraceError(`line ${line}: "${t.slice(0, 40)}" is not a number`);
    return BigInt(t);
  });
}

function parseOps(list: string): string[] {
  const s = list.trim();
  if (s === "") return [];
  return s.split(",").map((x) => x.trim().replace(/^'|'$/g, ""));
}

/** Checks one operation under combine_nums rules; returns [a, b, result] or throws with the reason. */
function checkOp(a: bigint, op: string, b: bigint, c: bigint, line: number): void {
  const text = `${a}${op}${b}=${c}`;
  let ok: boolean;
  switch (op) {
    case "+":
      ok = a + b === c;
      break;
    case "*":
      ok = a * b === c;
      break;
    case "-":
      ok = a >= b && a - b === c; // larger minus smaller, never negative
      break;
    default:
      ok = b !== 0n && a >= b && a % b === 0n && a / b === c; // exact division only
  }
  if (!ok) throw new TraceError(`line ${line}: invalid operation ${text}`);
}

/** Removes a and b from the multiset `nums` (throws if absent) and appends c. */
function applyOp(nums: readonly bigint[], a: bigint, b: bigint, c: bigint, line: number, text: string): bigint[] {
  const rest = [...nums];
  for (const x of [a, b]) {
    const at = rest.indexOf(x);
    if (at < 0) throw new TraceError(`line ${line}: operation ${text} uses ${x}, not available in [${nums.join(", ")}]`);
    rest.splice(at, 1);
  }
  rest.push(c);
  return rest;
}

function sameMultiset(a: readonly bigint[], b: readonly bigint[]): boolean {
  if (a.length !== b.length) return false;
  const cmp = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  const sa = [...a].sort(cmp);
  const sb = [...b].sort(cmp);
  return sa.every((x, i) => x === sb[i]);
}

function replay(initial: readonly bigint[], ops: readonly string[], line: number): bigint[] {
  let nums = [...initial];
  for (const text of ops) {
    const m = OP_TEXT.exec(text);
    if (!m) throw new TraceError(`line ${line}: cannot read operation "${text.slice(0, 40)}"`);
    const [a, b, c] = [BigInt(m[1]), BigInt(m[3]), BigInt(m[4])];
    checkOp(a, m[2], b, c, line);
    nums = applyOp(nums, a, b, c, line, text);
  }
  return nums;
}

/** Joins the prompt header and a completion the way the SoS model sees them (header + continuation). */
export function fullTrace(completion: string, target: number, numbers: readonly number[]): string {
  const body = completion.split(END_OF_TEXT).join("");
  return body.trimStart().startsWith("Current State:") ? body : sosHeader(target, numbers) + body;
}

/** Validates and rates a full trace (starting with "Current State: …") for the given problem. */
export function checkSosTrace(trace: string, target: number, numbers: readonly number[]): SosCheck {
  const maxNodes = SOS_MAX_NODES[numbers.length];
  if (maxNodes === undefined) return { valid: false, rating: 0, reason: `SoS rating is defined for 2–5 numbers, got ${numbers.length}`, path: null };
  try {
    const text = trace.split(END_OF_TEXT).join("").trim();
    const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
    const first = FIRST_LINE.exec(lines[0] ?? "");
    if (!first) throw new TraceError("line 1: cannot find the initial state (Current State: t:[nums])");
    const initial = numbers.map((n) => BigInt(n));
    const t = BigInt(target);
    if (BigInt(first[1]) !== t || !sameMultiset(parseNums(first[2], 1), initial)) {
      throw new TraceError(`line 1: the trace starts from ${first[1]}:[${first[2]}], not the problem ${target}:[${numbers.join(", ")}]`);
    }
    const goalLine = lines.findIndex((l) => GOAL.test(l));
    if (goalLine < 0) throw new TraceError("no goal reached statement found");
    if (goalLine === 0) throw new TraceError("line 1: goal reached without an explored operation");

    let current: bigint[] = initial;
    let currentOps: string[] = [];
    let last: { op: string; result: bigint[] } | null = null;
    for (let k = 1; k <= goalLine; k++) {
      const line = lines[k];
      const no = k + 1;
      let m: RegExpExecArray | null;
      if (k === goalLine) {
        const g = GOAL.exec(line) as RegExpExecArray;
        if (!last) throw new TraceError(`line ${no}: goal reached without an explored operation`);
        if (BigInt(g[1]) !== t || BigInt(g[2]) !== t) throw new TraceError(`line ${no}: "${g[0]}" does not reach the target ${target}`);
        if (last.result.length !== 1 || last.result[0] !== t) throw new TraceError(`line ${no}: the last operation ${last.op} does not leave only the target`);
        return { valid: true, rating: rate(text, maxNodes), reason: "valid path", path: [...currentOps, last.op] };
      } else if ((m = CURRENT.exec(line))) {
        if (BigInt(m[1]) !== t) throw new TraceError(`line ${no}: state targets ${m[1]}, not ${target}`);
        const ops = parseOps(m[3]);
        if (ops.length >= initial.length) throw new TraceError(`line ${no}: ${ops.length} operations for ${initial.length} numbers`);
        const nums = parseNums(m[2], no);
        const replayed = replay(initial, ops, no);
        if (!sameMultiset(replayed, nums)) throw new TraceError(`line ${no}: state [${m[2]}] does not follow from operations [${m[3]}]`);
        current = nums;
        currentOps = ops;
      } else if ((m = EXPLORE.exec(line))) {
        const [a, b, c] = [BigInt(m[1]), BigInt(m[3]), BigInt(m[4])];
        const op = `${m[1]}${m[2]}${m[3]}=${m[4]}`;
        checkOp(a, m[2], b, c, no);
        const result = applyOp(current, a, b, c, no, op);
        if (!sameMultiset(result, parseNums(m[5], no))) throw new TraceError(`line ${no}: resulting numbers [${m[5]}] should be [${result.join(", ")}]`);
        last = { op, result };
      } else if ((m = GENERATED.exec(line))) {
        if (!last || m[3] !== last.op || BigInt(m[1]) !== t || !sameMultiset(parseNums(m[2], no), last.result)) {
          throw new TraceError(`line ${no}: generated node does not match the explored operation`);
        }
      }
      // "Moving to Node #…", "… unequal: No Solution" and any other text carry no arithmetic and are skipped.
    }
    throw new TraceError("no goal reached statement found"); // not reached: the loop returns at goalLine
  } catch (e) {
    if (e instanceof TraceError) return { valid: false, rating: 0, reason: e.message, path: null };
    throw e;
  }
}

/** simple_rating + metric_fn: max(1 − (count("Exploring Operation") + 1)/max_nodes, 0). */
function rate(text: string, maxNodes: number): number {
  const explored = text.split("Exploring Operation").length; // occurrences + 1
  return Math.max(1 - explored / maxNodes, 0);
}
