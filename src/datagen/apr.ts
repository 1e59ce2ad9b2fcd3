// `ratio data generate apr`: APR spawn/join SFT rows for Countdown (Pan et al. 2025, Parallel-Reasoning/APR).
// Each of n problems (countdown task, sos preset) gives one row per generation call of every thread of its trace
// tree (src/tasks/countdown/apr-trace.ts): a parent's first call ends with its spawn block, its next calls start
// after a join block; a child's row is its whole search from its node. `rows=serial` gives instead one SoS DFS row
// per problem over the same pruned tree (the serialized baseline). Every tree is validated (SoS checker).
import { z } from "zod";
import type { DatasetRow } from "../run/dataset.js";
import { aprConditionPrefix } from "../tasks/countdown/apr-markers.js";
import { aprThreads, aprTrace, validateAprTrace, type AprThreadTrace, type AprTraceOptions } from "../tasks/countdown/apr-trace.js";
import { sosHeader } from "../tasks/countdown/rules.js";
import { dfsTrace } from "../tasks/countdown/sos-trace.js";
import { countdownTask } from "../tasks/countdown/task.js";
import type { DatasetGenerator, GeneratedDataset } from "./types.js";

export const aprDataOptions = z.strictObject({
  numbers: z.number().int().min(3).max(5).default(4).describe("input numbers per problem (APR: 4; a spawn needs at least 3)"),
  max_value: z.number().int().min(1).max(99).default(99).describe("numbers 1..max_value"),
  max_target: z.number().int().min(10).max(100).default(100).describe("targets 10..max_target"),
  beam: z.number().int().min(1).max(40).default(4).describe("children kept per node, best heuristic first (APR beam_size)"),
  sub_calls: z.number().int().min(1).max(40).default(4).describe("sub searches per spawn"),
  max_depth: z.number().int().min(1).max(3).default(1).describe("levels of spawning threads (1 = APR; 2 = children spawn too)"),
  heuristic: z.enum(["sum", "mult"]).default("sum").describe("SoS heuristic ordering the children"),
  rows: z.enum(["apr", "serial"]).default("apr").describe("apr: one row per thread call; serial: one SoS DFS row per problem"),
  only_solved: z.boolean().default(false).describe("skip problems whose search does not reach the goal"),
  condition: z
    .enum(["none", "sub_calls", "token_budget"])
    .default("none")
    .describe("APR conditioning prefix: sub_calls = the root's prompt starts \"Sub Call Budget: N \" (N = the trace's sub searches); token_budget = every prompt starts \"Token Budget: N \" (N = the problem's generated characters, rounded up to 512)"),
});

export type AprDataOptions = z.output<typeof aprDataOptions>;

export interface AprRow extends DatasetRow {
  role: "parent" | "child" | "serial";
  /** thread node id ("0", "0,2", …) and depth (0 = root) */
  node: string;
  depth: number;
  /** the thread's call index (0 = before its first spawn) */
  call: number;
  target: number;
  nums: number[];
  solved: boolean;
}

/** The problem of index i (countdown task, sos preset rules). */
export function aprProblem(seed: number, index: number, o: Pick<AprDataOptions, "numbers" | "max_value" | "max_target">): { id: string; target: number; nums: number[] } {
  const e = countdownTask.generate({ seed, index, preset: "sos", minNumbers: o.numbers, maxNumbers: o.numbers, maxValue: o.max_value, maxTarget: o.max_target });
  return { id: e.id, target: e.metadata.target as number, nums: e.metadata.numbers as number[] };
}

export const traceOptions = (o: AprDataOptions): AprTraceOptions => ({ heuristic: o.heuristic, beam: o.beam, subCalls: o.sub_calls, maxDepth: o.max_depth, threshold: true });

/** The SoS DFS of the serialized baseline: prompt = the first state line, completion = the rest. */
export function serialRow(target: number, nums: readonly number[], o: AprDataOptions): { prompt: string; completion: string; solved: boolean } {
  const trace = dfsTrace(target, nums, { heuristic: o.heuristic, threshold: target, beam: o.beam });
  const header = sosHeader(target, nums) + "\n";
  return { prompt: header, completion: trace.slice(header.length), solved: trace.includes("Goal Reached") };
}

/** The rows of one problem: one per thread call (apr), or its serial DFS row; null when only_solved drops it. */
export function problemRows(p: { id: string; target: number; nums: number[] }, o: AprDataOptions): AprRow[] | null {
  const base = { problem_id: p.id, target: p.target, nums: p.nums };
  if (o.rows === "serial") {
    if (o.condition === "sub_calls") throw new Error('apr: option condition=sub_calls needs rows=apr (a serial trace calls no sub searches)');
    const r = serialRow(p.target, p.nums, o);
    if (o.only_solved && !r.solved) return null;
    const prefix = o.condition === "token_budget" ? aprConditionPrefix({ kind: "token_budget", n: r.completion.length }) : "";
    return [{ ...base, prompt: prefix + r.prompt, completion: r.completion, role: "serial", node: "0", depth: 0, call: 0, solved: r.solved }];
  }
  const tree = aprTrace(p.target, p.nums, traceOptions(o));
  if (o.only_solved && tree.goal === null) return null;
  const bad = validateAprTrace(tree, p.target, p.nums);
  if (bad) throw new Error(`apr: problem ${p.id}: ${bad}`);
  const threads = aprThreads(tree);
  const prefixOf = conditionPrefixes(threads, o.condition);
  return threads.flatMap((th) =>
    th.calls.map((c, k) => ({ ...base, prompt: prefixOf(th) + c.prompt, completion: c.completion, role: th.depth === 0 ? ("parent" as const) : ("child" as const), node: th.node, depth: th.depth, call: k, solved: th.goal !== null })),
  );
}

/**
 * APR's conditioning prefix per thread: the sub-call budget (the number of sub searches the whole trace calls) on the
 * root only; the token budget (every generated character of the problem, the character tokenizer's token count) on
 * every thread, as APR passes the root's budget on to its sub searches.
 */
function conditionPrefixes(threads: readonly AprThreadTrace[], condition: AprDataOptions["condition"]): (th: AprThreadTrace) => string {
  if (condition === "sub_calls") {
    const prefix = aprConditionPrefix({ kind: "sub_calls", n: threads.length - 1 });
    return (th) => (th.depth === 0 ? prefix : "");
  }
  if (condition === "token_budget") {
    const generated = threads.reduce((sum, th) => sum + th.calls.reduce((s, c) => s + c.completion.length, 0), 0);
    const prefix = aprConditionPrefix({ kind: "token_budget", n: generated });
    return () => prefix;
  }
  return () => "";
}

export function generateApr(n: number, seed: number, options: Partial<z.input<typeof aprDataOptions>> = {}): GeneratedDataset & { rows: AprRow[] } {
  const o = aprDataOptions.parse(options);
  const rows: AprRow[] = [];
  let problems = 0;
  let skipped = 0;
  for (let i = 0; problems < n; i++) {
    if (i >= n * 50) throw new Error(`apr: only ${problems} of ${n} problems are solved within the pruned search (only_solved) after ${i} candidates`);
    const r = problemRows(aprProblem(seed, i, o), o);
    if (r === null) {
      skipped++;
      continue;
    }
    rows.push(...r);
    problems++;
  }
  return { rows, lineage: { problems, skipped_unsolved: skipped, trace: o.rows, format: "APR (Pan et al. 2025) spawn/join, SoS grammar" } };
}

export const aprGenerator: DatasetGenerator<typeof aprDataOptions> = {
  name: "apr",
  description: "APR parallel-search Countdown traces: parent/child SFT rows per thread call (n = problems), or rows=serial SoS DFS rows",
  options: aprDataOptions,
  generate: (n, seed, options) => generateApr(n, seed, options),
};
