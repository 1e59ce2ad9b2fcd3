// Stream-of-Search trace generators, line for line as kanishkg/stream-of-search src/countdown_dfs.py (dfs),
// src/countdown_bfs.py (bfs, with its heapq tie order and its quirks kept) and a straight "path" trace that
// explores only a known solution. Trace grammar (docs/tasks.md, "Stream-of-Search traces"):
//   Current State: 47:[42, 61, 66], Operations: []
//   Exploring Operation: 66-42=24, Resulting Numbers: [61, 24]
//   Generated Node #0,0: 47:[61, 24] Operation: 66-42=24
//   Moving to Node #0,0
//   37,47 unequal: No Solution   /   47,47 equal: Goal Reached
import type { ExampleRng } from "../random.js";
import { combineNums, pyIntList, pyStrList } from "./rules.js";
import type { FoldStep } from "./solver.js";

export type SosHeuristic = "sum" | "mult";

/** sum_heuristic: |n − t| for one number, else mean |n − t|. */
export function sumHeuristic(nums: readonly number[], target: number): number {
  if (nums.length === 1) return Math.abs(nums[0] - target);
  let s = 0;
  for (const n of nums) s += Math.abs(n - target);
  return s / nums.length;
}

/** mult_heuristic: Σ over numbers of the distance to the nearest factor f ∈ [2, t] of the target. */
export function multHeuristic(nums: readonly number[], target: number): number {
  const factors: number[] = [];
  for (let f = 2; f <= target; f++) if (target % f === 0) factors.push(f);
  if (factors.length === 0) factors.push(target); // targets < 2 (never generated): distance to the target itself
  let s = 0;
  for (const n of nums) s += Math.min(...factors.map((f) => Math.abs(n - f)));
  return s;
}

const HEURISTICS: Record<SosHeuristic, (nums: readonly number[], target: number) => number> = {
  sum: sumHeuristic,
  mult: multHeuristic,
};

interface Node {
  idx: string;
  parent: Node | null;
  nums: number[];
  ops: string[];
  h: number;
}

/** A search node: its id ("0,2,1"), numbers, operations from the root, parent (null at the search's start). */
export type SosNode = Node;

export function successors(node: Node, target: number, h: (nums: readonly number[], t: number) => number): Node[] {
  const out: Node[] = [];
  const n = node.nums;
  for (let i = 0; i < n.length; i++) {
    for (let j = i + 1; j < n.length; j++) {
      for (const op of combineNums(n[i], n[j])) {
        const nums = [...n.filter((_, k) => k !== i && k !== j), op.result];
        out.push({ idx: "", parent: node, nums, ops: [...node.ops, op.text], h: h(nums, target) });
      }
    }
  }
  return out;
}

/** Python's list.sort over (heuristic, node) tuples: stable, by heuristic only (node __lt__ ties are False). */
export const stableByH = (nodes: Node[]): Node[] => nodes.map((x, i) => [x, i] as const).sort((a, b) => a[0].h - b[0].h || a[1] - b[1]).map((p) => p[0]);

export const stateLine = (target: number, node: Node): string => `Current State: ${target}:${pyIntList(node.nums)}, Operations: ${pyStrList(node.ops)}`;

export interface DfsOptions {
  heuristic?: SosHeuristic;
  /** Prune children whose heuristic exceeds this (SoS uses the target); undefined = no pruning. */
  threshold?: number;
  /** Keep only the best `beam` children of each node (APR's beam pruning); undefined = all. */
  beam?: number;
}

export const heuristicFn = (name: SosHeuristic = "sum"): ((nums: readonly number[], target: number) => number) => HEURISTICS[name];

/** countdown_dfs.py dfs(): returns the trace; it contains "Goal Reached" iff a solution was found. */
export function dfsTrace(target: number, nums: readonly number[], opts: DfsOptions = {}): string {
  const h = HEURISTICS[opts.heuristic ?? "sum"];
  const root: Node = { idx: "0", parent: null, nums: [...nums], ops: [], h: h(nums, target) };
  return dfsSearch(target, root, opts).lines.join("\n") + "\n";
}

/** The DFS of dfsTrace from any node: its trace lines (the node's state line first) and the goal leaf, if reached. */
export function dfsSearch(target: number, start: SosNode, opts: DfsOptions = {}): { lines: string[]; goal: SosNode | null } {
  const h = HEURISTICS[opts.heuristic ?? "sum"];
  const lines: string[] = [];
  let goal: Node | null = null;
  const root = start;
  const visit = (node: Node): boolean => {
    lines.push(stateLine(target, node));
    let kids = successors(node, target, h);
    if (opts.threshold !== undefined) kids = kids.filter((k) => k.h <= (opts.threshold as number));
    kids = stableByH(kids);
    if (opts.beam !== undefined) kids = kids.slice(0, opts.beam);
    let nodeIndex = 0;
    for (let g = 0; g < kids.length; g++) {
      const kid = kids[g];
      kid.idx = `${node.idx},${nodeIndex}`;
      const op = kid.ops[kid.ops.length - 1];
      lines.push(`Exploring Operation: ${op}, Resulting Numbers: ${pyIntList(kid.nums)}`);
      if (kid.nums.length === 1 && kid.nums[0] === target) {
        lines.push(`${kid.nums[0]},${target} equal: Goal Reached`);
        goal = kid;
        return true;
      } else if (kid.nums.length === 1) {
        lines.push(`${kid.nums[0]},${target} unequal: No Solution`);
      } else {
        lines.push(`Generated Node #${kid.idx}: ${target}:${pyIntList(kid.nums)} Operation: ${op}`);
        lines.push(`Moving to Node #${kid.idx}`);
        if (visit(kid)) return true;
      }
      nodeIndex++;
      if (g < kids.length - 1) {
        lines.push(`Moving to Node #${node.idx}`);
        lines.push(stateLine(target, node));
      }
    }
    return false;
  };
  visit(root);
  return { lines, goal };
}

/** Python heapq over (h, node) tuples, same sift algorithm, so ties resolve as in CPython. */
class PyHeap {
  readonly items: Node[] = [];
  push(x: Node): void {
    this.items.push(x);
    this.siftDown(0, this.items.length - 1);
  }
  pop(): Node {
    const last = this.items.pop() as Node;
    if (this.items.length === 0) return last;
    const top = this.items[0];
    this.items[0] = last;
    this.siftUp(0);
    return top;
  }
  private siftDown(start: number, pos: number): void {
    const heap = this.items;
    const item = heap[pos];
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos];
      if (item.h < parent.h) {
        heap[pos] = parent;
        pos = parentPos;
        continue;
      }
      break;
    }
    heap[pos] = item;
  }
  private siftUp(pos: number): void {
    const heap = this.items;
    const end = heap.length;
    const start = pos;
    const item = heap[pos];
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !(heap[child].h < heap[right].h)) child = right;
      heap[pos] = heap[child];
      pos = child;
      child = 2 * pos + 1;
    }
    heap[pos] = item;
    this.siftDown(start, pos);
  }
}

export interface BfsOptions {
  heuristic?: SosHeuristic;
  beamSize: number;
  /** Replaces Python's random.shuffle of the kept children. */
  rng: ExampleRng;
}

/** countdown_bfs.py bfs(): beam search; ends with "No solution found." when the beam misses. */
export function bfsTrace(target: number, nums: readonly number[], opts: BfsOptions): string {
  const h = HEURISTICS[opts.heuristic ?? "sum"];
  const beam = opts.beamSize;
  let trace = "";
  const open = new PyHeap();
  open.push({ idx: "0", parent: null, nums: [...nums], ops: [], h: h(nums, target) });
  while (open.items.length > 0) {
    const current: Node[] = [];
    const take = Math.min(beam, open.items.length);
    for (let t = 0; t < take; t++) current.push(open.pop());
    for (let c = 0; c < current.length; c++) {
      const node = current[c];
      trace += stateLine(target, node) + "\n";
      const generated = stableByH(successors(node, target, h));
      const kept = opts.rng.shuffle(generated.slice(0, beam));
      let nodeIdx = 0;
      for (const kid of kept) {
        kid.idx = `${node.idx},${nodeIdx}`;
        const op = kid.ops[kid.ops.length - 1];
        trace += `Exploring Operation: ${op}, Resulting Numbers: ${pyIntList(kid.nums)}\n`;
        if (kid.nums.length === 1 && kid.nums[0] === target) return trace + `${kid.nums[0]},${target} equal: Goal Reached\n`;
        if (kid.nums.length === 1) {
          trace += `${kid.nums[0]},${target} unequal: No Solution\n`;
        } else {
          trace += `Generated Node #${kid.idx}: ${target}:${pyIntList(kid.nums)} Operation: ${op}\n`;
          nodeIdx++;
        }
      }
      // As in the original, leaves are pushed too; they are expanded later into a bare "Current State" line.
      for (const kid of stableByH(kept)) open.push(kid);
      if (c < current.length - 1) trace += `Moving to Node #${current[c + 1].idx}\n`;
    }
    if (current.length > 0 && open.items.length > 0) trace += `Moving to Node #${open.items[0].idx}\n`;
  }
  return trace + "No solution found.";
}

/**
 * A DFS-grammar trace that explores only the given solution (solver fold steps over combine_nums): the shortest
 * trace that reaches the goal, rated 1 − (steps + 1)/max_nodes.
 */
export function pathTrace(target: number, nums: readonly number[], steps: readonly FoldStep[]): string {
  const lines: string[] = [];
  let node: Node = { idx: "0", parent: null, nums: [...nums], ops: [], h: 0 };
  lines.push(stateLine(target, node));
  for (const step of steps) {
    const n = node.nums;
    const op = combineNums(n[step.i], n[step.j])[step.k];
    if (!op) throw new Error(`pathTrace: step ${step.text} does not apply to ${pyIntList(n)}`);
    const kid: Node = { idx: `${node.idx},0`, parent: node, nums: [...n.filter((_, k) => k !== step.i && k !== step.j), op.result], ops: [...node.ops, op.text], h: 0 };
    lines.push(`Exploring Operation: ${op.text}, Resulting Numbers: ${pyIntList(kid.nums)}`);
    if (kid.nums.length === 1) {
      lines.push(`${kid.nums[0]},${target} ${kid.nums[0] === target ? "equal: Goal Reached" : "unequal: No Solution"}`);
      break;
    }
    lines.push(`Generated Node #${kid.idx}: ${target}:${pyIntList(kid.nums)} Operation: ${op.text}`);
    lines.push(`Moving to Node #${kid.idx}`);
    lines.push(stateLine(target, kid));
    node = kid;
  }
  return lines.join("\n") + "\n";
}
