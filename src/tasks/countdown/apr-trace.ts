// APR spawn/join traces for Countdown (Pan et al. 2025, Parallel-Reasoning/APR, `_parallel_search`): a thread at a
// node explores its children (the best `beam` by heuristic, as APR's beam pruning), then, while it is above
// maxDepth, spawns sub searches for its generated nodes `subCalls` at a time; below, it runs the SoS DFS
// (sos-trace.ts dfsSearch) from its node. A thread that reaches the goal writes "x,t equal: Goal Reached" and then
// the path from its own start node (APR get_path_to_target); the parent's join shows that path, and a parent whose
// sub search succeeded writes the goal line and its own path from its start node. Markers and join rule:
// apr-markers.ts. Deterministic: a function of the problem and the options only.
import { aprJoinBlock, aprNodePrompt, aprSpawnBlock, aprWinningPath } from "./apr-markers.js";
import { pyIntList, sosHeader } from "./rules.js";
import { checkSosTrace } from "./sos-check.js";
import { dfsSearch, heuristicFn, stableByH, stateLine, successors, type SosHeuristic, type SosNode } from "./sos-trace.js";

export interface AprTraceOptions {
  heuristic?: SosHeuristic;
  /** children kept per node, best heuristic first (APR beam_size) */
  beam: number;
  /** sub searches per spawn (APR spawns all its generated nodes; here at most this many at a time) */
  subCalls: number;
  /** levels of spawning threads: 1 = APR (the root spawns, children search serially), 2 = children spawn too */
  maxDepth: number;
  /** prune children whose heuristic exceeds the target (SoS DFS) */
  threshold?: boolean;
}

/** One generation call of a thread: the context it sees and the text it generates (one SFT row). */
export interface AprCall {
  prompt: string;
  completion: string;
}

export interface AprThreadTrace {
  node: string;
  depth: number;
  prompt: string;
  /** everything after the prompt as the runtime holds it at the end (join blocks in place of spawn blocks) */
  text: string;
  calls: AprCall[];
  spawns: AprThreadTrace[][];
  /** the goal leaf this thread reached itself or through a sub search */
  goal: SosNode | null;
}

/** APR get_path_to_target: the SoS lines from `start` down to `goal`, ending with the goal line. */
export function aprPathLines(target: number, goal: SosNode, start: SosNode): string {
  const chain: SosNode[] = [];
  for (let n: SosNode | null = goal; n && n !== start; n = n.parent) chain.unshift(n);
  const lines: string[] = [];
  let node = start;
  for (const kid of chain) {
    const op = kid.ops[kid.ops.length - 1];
    lines.push(`Moving to Node #${node.idx}`, stateLine(target, node), `Exploring Operation: ${op}, Resulting Numbers: ${pyIntList(kid.nums)}`);
    lines.push(kid.nums.length === 1 ? `${kid.nums[0]},${target} equal: Goal Reached` : `Generated Node #${kid.idx}: ${target}:${pyIntList(kid.nums)} Operation: ${op}`);
    node = kid;
  }
  return lines.join("\n") + "\n";
}

function thread(target: number, node: SosNode, depth: number, o: AprTraceOptions): AprThreadTrace {
  const h = heuristicFn(o.heuristic);
  const prompt = aprNodePrompt(node.idx, target, node.nums, node.ops);
  const dfs = { heuristic: o.heuristic, threshold: o.threshold ? target : undefined, beam: o.beam };
  if (depth >= o.maxDepth || node.nums.length < 3) {
    const { lines, goal } = dfsSearch(target, node, dfs);
    const text = lines.slice(1).join("\n") + "\n" + (goal ? aprPathLines(target, goal, node) : "No solution found.\n");
    return { node: node.idx, depth, prompt, text, calls: [{ prompt, completion: text }], spawns: [], goal };
  }
  let kids = successors(node, target, h);
  if (o.threshold) kids = kids.filter((k) => k.h <= target);
  kids = stableByH(kids).slice(0, o.beam);
  let text = "";
  let callStart = 0;
  const calls: AprCall[] = [];
  const spawns: AprThreadTrace[][] = [];
  const toExplore: SosNode[] = [];
  let goal: SosNode | null = null;
  let nodeIndex = 0;
  for (const kid of kids) {
    kid.idx = `${node.idx},${nodeIndex}`;
    const op = kid.ops[kid.ops.length - 1];
    text += `Exploring Operation: ${op}, Resulting Numbers: ${pyIntList(kid.nums)}\n`;
    if (kid.nums.length === 1 && kid.nums[0] === target) {
      text += `${target},${target} equal: Goal Reached\n` + aprPathLines(target, kid, node);
      goal = kid;
      break;
    } else if (kid.nums.length === 1) {
      text += `${kid.nums[0]},${target} unequal: No Solution\n`;
    } else {
      text += `Generated Node #${kid.idx}: ${target}:${pyIntList(kid.nums)} Operation: ${op}\n`;
      toExplore.push(kid);
      nodeIndex++;
    }
  }
  const order = stableByH(toExplore);
  for (let b = 0; goal === null && b < order.length; b += o.subCalls) {
    const batch = order.slice(b, b + o.subCalls);
    const children = batch.map((k) => thread(target, k, depth + 1, o));
    spawns.push(children);
    calls.push({ prompt: prompt + text.slice(0, callStart), completion: text.slice(callStart) + aprSpawnBlock(batch.map((k) => k.idx), depth + 1) });
    text += aprJoinBlock(children.map((c) => ({ label: c.node, result: aprWinningPath(c.text), failure: null })), depth + 1);
    callStart = text.length;
    const winner = children.find((c) => c.goal !== null);
    if (winner) {
      goal = winner.goal;
      text += `${target},${target} equal: Goal Reached\n` + aprPathLines(target, winner.goal as SosNode, node);
    }
  }
  if (goal === null) text += "No solution found.\n";
  calls.push({ prompt: prompt + text.slice(0, callStart), completion: text.slice(callStart) });
  return { node: node.idx, depth, prompt, text, calls, spawns, goal };
}

/** The APR trace tree of one problem, rooted at node 0. */
export function aprTrace(target: number, nums: readonly number[], o: AprTraceOptions): AprThreadTrace {
  const root: SosNode = { idx: "0", parent: null, nums: [...nums], ops: [], h: heuristicFn(o.heuristic)(nums, target) };
  return thread(target, root, 0, o);
}

/** Every thread of a trace tree, parents first. */
export function aprThreads(t: AprThreadTrace): AprThreadTrace[] {
  return [t, ...t.spawns.flatMap((s) => s.flatMap(aprThreads))];
}

/**
 * Checks an APR winning path (Moving/Current State/Exploring lines ending in the goal) with the SoS checker: a path
 * from an inner node gets the problem's first state line in front, so its operations replay from the numbers.
 */
export function checkAprPath(path: string, target: number, nums: readonly number[]): { valid: boolean; reason: string; ops: string[] | null } {
  const lines = path.trim().split("\n");
  while (lines.length > 0 && lines[0].startsWith("Moving to Node #")) lines.shift();
  if (lines.length === 0 || !lines[0].startsWith("Current State:")) return { valid: false, reason: "the path has no state line", ops: null };
  const fromRoot = lines[0].endsWith("Operations: []");
  const r = checkSosTrace((fromRoot ? "" : sosHeader(target, nums) + "\n") + lines.join("\n"), target, nums);
  return { valid: r.valid, reason: r.reason, ops: r.path };
}

/** The APR answer of a root thread: its winning path, checked. */
export function scoreAprRoot(rootText: string, target: number, nums: readonly number[]): { valid: boolean; reason: string; ops: string[] | null } {
  const path = aprWinningPath(rootText);
  if (path === null) return { valid: false, reason: "no winning path (fewer than two Goal Reached)", ops: null };
  return checkAprPath(path, target, nums);
}

/**
 * Validates a generated tree: every thread's own search (prompt state onward) checks as an SoS trace when it claims
 * the goal, and every winning path it returns checks too. Returns the first problem, or null.
 */
export function validateAprTrace(t: AprThreadTrace, target: number, nums: readonly number[]): string | null {
  for (const th of aprThreads(t)) {
    if (th.goal === null) {
      if (aprWinningPath(th.text) !== null) return `thread #${th.node}: a winning path without a goal`;
      continue;
    }
    const own = th.prompt.split("\n").slice(1).join("\n") + th.text;
    const search = checkSosTrace((th.node === "0" ? "" : sosHeader(target, nums) + "\n") + own, target, nums);
    if (!search.valid) return `thread #${th.node}: ${search.reason}`;
    const path = scoreAprRoot(th.text, target, nums);
    if (!path.valid) return `thread #${th.node}: winning path: ${path.reason}`;
  }
  return null;
}
