// The Stream-of-Search trace grammar as data: parseSosTrace turns a trace into structured lines and printSosTrace
// writes them back byte for byte (print(parse(t)) === t for every trace dfsTrace, bfsTrace and pathTrace produce).
// Line kinds (docs/tasks.md, "Stream-of-Search traces"):
//   state      Current State: 47:[42, 61, 66], Operations: ['66-42=24']
//   explore    Exploring Operation: 66-42=24, Resulting Numbers: [61, 24]
//   generated  Generated Node #0,0: 47:[61, 24] Operation: 66-42=24
//   move       Moving to Node #0,0
//   goal       47,47 equal: Goal Reached
//   unequal    37,47 unequal: No Solution
//   exhausted  No solution found.            (BFS, when the beam misses; the trace then ends without a newline)
//   text       anything else, kept verbatim (model output), so every string round-trips
// parseSosTrace only reads the shape; checkSosTrace (sos-check.ts) checks the arithmetic.

export interface SosOperation {
  a: number;
  op: "+" | "-" | "*" | "/";
  b: number;
  result: number;
}

export type SosLine =
  | { kind: "state"; target: number; nums: number[]; ops: SosOperation[] }
  | { kind: "explore"; op: SosOperation; nums: number[] }
  | { kind: "generated"; node: number[]; target: number; nums: number[]; op: SosOperation }
  | { kind: "move"; node: number[] }
  | { kind: "goal"; value: number; target: number }
  | { kind: "unequal"; value: number; target: number }
  | { kind: "exhausted" }
  | { kind: "text"; text: string };

export interface ParsedSosTrace {
  lines: SosLine[];
  /** whether the trace ends with "\n" (DFS and path traces do; BFS's "No solution found." does not) */
  finalNewline: boolean;
}

const INT = "(0|[1-9]\\d{0,15})";
const LIST = "\\[((?:0|[1-9]\\d{0,15})(?:, (?:0|[1-9]\\d{0,15}))*)?\\]";
const OP = `${INT}([+\\-*/])${INT}=${INT}`;
const NODE = "(0(?:,(?:0|[1-9]\\d{0,6}))*)";
const RE = {
  state: new RegExp(`^Current State: ${INT}:${LIST}, Operations: (\\[[^\\]]*\\])$`),
  explore: new RegExp(`^Exploring Operation: ${OP}, Resulting Numbers: ${LIST}$`),
  generated: new RegExp(`^Generated Node #${NODE}: ${INT}:${LIST} Operation: ${OP}$`),
  move: new RegExp(`^Moving to Node #${NODE}$`),
  goal: new RegExp(`^${INT},${INT} equal: Goal Reached$`),
  unequal: new RegExp(`^${INT},${INT} unequal: No Solution$`),
  op: new RegExp(`^${OP}$`),
};

const toInt = (s: string): number | null => {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
};

function parseList(s: string | undefined): number[] | null {
  if (s === undefined || s === "") return [];
  const out: number[] = [];
  for (const x of s.split(", ")) {
    const n = toInt(x);
    if (n === null) return null;
    out.push(n);
  }
  return out;
}

function parseOp(a: string, op: string, b: string, c: string): SosOperation | null {
  const [x, y, z] = [toInt(a), toInt(b), toInt(c)];
  if (x === null || y === null || z === null) return null;
  return { a: x, op: op as SosOperation["op"], b: y, result: z };
}

/** "['66-42=24', '54-52=2']" → operations, or null unless it is exactly Python's repr of such a list. */
function parseOpList(s: string): SosOperation[] | null {
  if (s === "[]") return [];
  if (!s.startsWith("['") || !s.endsWith("']")) return null;
  const out: SosOperation[] = [];
  for (const item of s.slice(2, -2).split("', '")) {
    const m = RE.op.exec(item);
    const op = m && parseOp(m[1], m[2], m[3], m[4]);
    if (!op) return null;
    out.push(op);
  }
  return out;
}

const parseNode = (s: string): number[] => s.split(",").map(Number);

/** One line of a trace (without its newline). */
export function parseSosLine(text: string): SosLine {
  let m: RegExpExecArray | null;
  if ((m = RE.state.exec(text))) {
    const target = toInt(m[1]);
    const nums = parseList(m[2]);
    const ops = parseOpList(m[3]);
    if (target !== null && nums && ops) return { kind: "state", target, nums, ops };
  } else if ((m = RE.explore.exec(text))) {
    const op = parseOp(m[1], m[2], m[3], m[4]);
    const nums = parseList(m[5]);
    if (op && nums) return { kind: "explore", op, nums };
  } else if ((m = RE.generated.exec(text))) {
    const target = toInt(m[2]);
    const nums = parseList(m[3]);
    const op = parseOp(m[4], m[5], m[6], m[7]);
    if (target !== null && nums && op) return { kind: "generated", node: parseNode(m[1]), target, nums, op };
  } else if ((m = RE.move.exec(text))) {
    return { kind: "move", node: parseNode(m[1]) };
  } else if ((m = RE.goal.exec(text)) || (m = RE.unequal.exec(text))) {
    const value = toInt(m[1]);
    const target = toInt(m[2]);
    if (value !== null && target !== null) return { kind: text.endsWith("Goal Reached") ? "goal" : "unequal", value, target };
  } else if (text === "No solution found.") {
    return { kind: "exhausted" };
  }
  return { kind: "text", text };
}

/** A whole trace into lines; never throws (unknown lines become "text"). */
export function parseSosTrace(trace: string): ParsedSosTrace {
  const parts = trace.split("\n");
  const finalNewline = parts.length > 1 && parts[parts.length - 1] === "";
  if (finalNewline) parts.pop();
  if (parts.length === 1 && parts[0] === "") return { lines: [], finalNewline };
  return { lines: parts.map(parseSosLine), finalNewline };
}

export const formatSosOperation = (o: SosOperation): string => `${o.a}${o.op}${o.b}=${o.result}`;
const list = (nums: readonly number[]): string => `[${nums.join(", ")}]`;

/** One line as the SoS generators print it. */
export function printSosLine(line: SosLine): string {
  switch (line.kind) {
    case "state":
      return `Current State: ${line.target}:${list(line.nums)}, Operations: [${line.ops.map((o) => `'${formatSosOperation(o)}'`).join(", ")}]`;
    case "explore":
      return `Exploring Operation: ${formatSosOperation(line.op)}, Resulting Numbers: ${list(line.nums)}`;
    case "generated":
      return `Generated Node #${line.node.join(",")}: ${line.target}:${list(line.nums)} Operation: ${formatSosOperation(line.op)}`;
    case "move":
      return `Moving to Node #${line.node.join(",")}`;
    case "goal":
      return `${line.value},${line.target} equal: Goal Reached`;
    case "unequal":
      return `${line.value},${line.target} unequal: No Solution`;
    case "exhausted":
      return "No solution found.";
    case "text":
      return line.text;
  }
}

/** The inverse of parseSosTrace: printSosTrace(parseSosTrace(t)) === t. */
export function printSosTrace(parsed: ParsedSosTrace): string {
  return parsed.lines.map(printSosLine).join("\n") + (parsed.finalNewline ? "\n" : "");
}
