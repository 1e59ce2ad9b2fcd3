// The APR Countdown thread markers (Pan et al. 2025, Parallel-Reasoning/APR), marker for marker (the runtime's
// ThreadFormat preset is src/inference/parallel/apr-format.ts; the trace generator is apr-trace.ts):
//   spawn (parent):  <Calling Sub Searches>\n<Start Sub Search i at level L> Moving to Node #a,b\n…<End Calling Sub Searches>
//   thread prompt:   [condition ]Moving to Node #a,b\nCurrent State: t:[nums], Operations: ['op', …]\n, where the
//                    optional condition is "Sub Call Budget: N " (root only) or "Token Budget: N " (every thread;
//                    N a multiple of 512): APR's condition prefix, the first line's text before "Moving to Node"
//   child result:    its text after the second-to-last "Goal Reached" (the winning path), else nothing
//   join (parent):   the spawn block is replaced by
//                    <Sub Searches>\n<Goal Reached in Sub Search i at level L at Node #a,b>\n{path}\n
//                    or <No Solution in Sub Search i at level L at Node #a,b>\n … <End Sub Searches>\n
//   guard:           the parent stops on <Sub Searches>, which only the runtime may write; a model that writes it
//                    has it replaced by <Calling Sub Searches> (APR decode_trace) and goes on.
import { pyIntList, pyStrList } from "./rules.js";

/** A sub search a spawn block asks for: the child's prompt, or why it cannot be built. */
export interface AprChildRequest {
  label: string;
  prompt: string;
  error?: string;
}

/** A finished sub search as the join block shows it (result: its winning path, or null). */
export interface AprChildOutcome {
  label: string;
  result: string | null;
}

export const APR_MARKERS = {
  call: "<Calling Sub Searches>",
  endCall: "<End Calling Sub Searches>",
  results: "<Sub Searches>",
  endResults: "<End Sub Searches>",
  goal: "Goal Reached",
} as const;

/** APR conditions threads on `Token Budget: N` with N a multiple of this. */
export const APR_BUDGET_QUANTUM = 512;

/** APR's two conditioning prefixes: the number of sub searches the root may call, or a token budget. */
export type AprCondition = { kind: "sub_calls"; n: number } | { kind: "token_budget"; n: number };

/** A token count rounded up to APR's budget quantum: ((n − 1) // 512 + 1) · 512. */
export const aprBudgetTokens = (n: number): number => Math.max(1, Math.ceil(n / APR_BUDGET_QUANTUM)) * APR_BUDGET_QUANTUM;

/**
 * The prefix a conditioned prompt starts with, on the same line as "Moving to Node" (APR's condition_prefix):
 * "Sub Call Budget: N " for the root, "Token Budget: N " for every thread (APR passes the root's budget on to its
 * sub searches; the sub-call budget stays with the root).
 */
export function aprConditionPrefix(c: AprCondition): string {
  return c.kind === "sub_calls" ? `Sub Call Budget: ${c.n} ` : `Token Budget: ${aprBudgetTokens(c.n)} `;
}

export const aprStartLine = (i: number, level: number, node: string): string => `<Start Sub Search ${i} at level ${level}> Moving to Node #${node}`;
export const aprStateLine = (target: number, nums: readonly number[], ops: readonly string[]): string =>
  `Current State: ${target}:${pyIntList(nums)}, Operations: ${pyStrList(ops)}`;

/** A thread's prompt at a node: `Moving to Node #id\nCurrent State: …\n` (the root is node 0 with no operations). */
export function aprNodePrompt(node: string, target: number, nums: readonly number[], ops: readonly string[]): string {
  return `Moving to Node #${node}\n${aprStateLine(target, nums, ops)}\n`;
}

/** The spawn block a parent writes for the given node ids. */
export function aprSpawnBlock(nodes: readonly string[], level: number): string {
  return `${APR_MARKERS.call}\n${nodes.map((n, i) => aprStartLine(i, level, n) + "\n").join("")}${APR_MARKERS.endCall}`;
}

/** APR's join rule: the text after the second-to-last "Goal Reached", trimmed; null with fewer than two. */
export function aprWinningPath(text: string): string | null {
  const parts = text.split(APR_MARKERS.goal);
  if (parts.length < 3) return null;
  return parts.slice(-2).join(APR_MARKERS.goal).trim() || null;
}

/** The results block that replaces a spawn block. */
export function aprJoinBlock(children: readonly AprChildOutcome[], level: number): string {
  const lines = children.map((c, i) =>
    c.result !== null
      ? `<Goal Reached in Sub Search ${i} at level ${level} at Node #${c.label}>\n${c.result}\n`
      : `<No Solution in Sub Search ${i} at level ${level} at Node #${c.label}>\n`,
  );
  return `${APR_MARKERS.results}\n${lines.join("")}${APR_MARKERS.endResults}\n`;
}

const START = /^<Start Sub Search (\d+) at level (\d+)> Moving to Node #([\d,]+)$/;
const MOVING = /^Moving to Node #([\d,]+)$/;
const STATE = /^Current State: (\d+):\[([^\]]*)\], Operations: \[([^\]]*)\]$/;
const GENERATED = /^Generated Node #([\d,]+): (\d+):\[([^\]]*)\] Operation: (\S+)$/;

interface NodeState {
  target: number;
  nums: number[];
  ops: string[];
}

const ints = (s: string): number[] => (s.trim() === "" ? [] : s.split(",").map((x) => Number(x.trim())));
const strs = (s: string): string[] => (s.trim() === "" ? [] : s.split(",").map((x) => x.trim().replace(/^'|'$/g, "")));

/** Node states named in a context: "Moving to Node #id" + "Current State" pairs, and generated nodes. */
function nodeStates(context: string): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  const lines = context.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const mv = MOVING.exec(lines[k]);
    const st = mv && k + 1 < lines.length ? STATE.exec(lines[k + 1]) : null;
    if (mv && st) states.set(mv[1], { target: Number(st[1]), nums: ints(st[2]), ops: strs(st[3]) });
    const g = GENERATED.exec(lines[k]);
    if (g) {
      const parent = states.get(g[1].split(",").slice(0, -1).join(","));
      if (parent) states.set(g[1], { target: Number(g[2]), nums: ints(g[3]), ops: [...parent.ops, g[4]] });
    }
  }
  return states;
}

/** The children a spawn block at the end of `context` asks for (nodes the context never generated are errors). */
export function parseAprSpawn(context: string): AprChildRequest[] {
  const at = context.lastIndexOf(APR_MARKERS.call);
  if (at < 0) return [];
  const states = nodeStates(context.slice(0, at));
  const out: AprChildRequest[] = [];
  for (const line of context.slice(at + APR_MARKERS.call.length).split("\n")) {
    const m = START.exec(line.trim());
    if (!m) continue;
    const s = states.get(m[3]);
    out.push(s ? { label: m[3], prompt: aprNodePrompt(m[3], s.target, s.nums, s.ops) } : { label: m[3], prompt: "", error: `sub search ${m[1]}: node #${m[3]} was never generated` });
  }
  return out;
}

