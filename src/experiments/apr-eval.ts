// Evaluation of `ratio experiment apr`: held-out Countdown problems through the parallel scheduler on the builtin
// backend, greedy. Serial arm: one thread (serialFormat) with the largest budget; greedy decoding makes the run at
// budget B the first B tokens of that run, so every budget of the sweep is read from it. Parallel arm: the APR
// format, one scheduler run per total-token budget (the fair-share policy changes the threads' caps). Oracle: the
// generator's own traces measured with the same accounting (what perfect imitation would score).
import type { BuiltinBackend } from "../backends/builtin.js";
import { aprCountdownFormat } from "../inference/parallel/apr-format.js";
import { runThreadsBatch } from "../inference/parallel/scheduler.js";
import { serialFormat } from "../inference/parallel/serial-format.js";
import type { Tokenizer } from "../model/tokenizer.js";
import { aprNodePrompt } from "../tasks/countdown/apr-markers.js";
import { aprThreads, aprTrace, scoreAprRoot, type AprThreadTrace, type AprTraceOptions } from "../tasks/countdown/apr-trace.js";
import { sosHeader } from "../tasks/countdown/rules.js";
import { checkSosTrace, fullTrace } from "../tasks/countdown/sos-check.js";
import { dfsTrace } from "../tasks/countdown/sos-trace.js";

export interface Problem {
  id: string;
  target: number;
  nums: number[];
}

/** One point of a solve-rate curve: mean tokens per problem at one budget. */
export interface CurvePoint {
  arm: string;
  budget: number;
  solveRate: number;
  meanTotalTokens: number;
  meanCriticalTokens: number;
  /** mean threads per problem and failed children per problem (parallel arm) */
  meanThreads: number;
  meanFailedChildren: number;
  /** wall seconds of the whole batch at this budget (serial: the one run) */
  seconds: number;
}

export const serialPrompt = (p: Problem): string => sosHeader(p.target, p.nums) + "\n";
export const aprRootPrompt = (p: Problem): string => aprNodePrompt("0", p.target, p.nums, []);

const mean = (xs: readonly number[]): number => xs.reduce((a, v) => a + v, 0) / Math.max(1, xs.length);

export async function evalSerial(backend: BuiltinBackend, problems: readonly Problem[], budgets: readonly number[], context: number, seed: number): Promise<CurvePoint[]> {
  const maxB = Math.max(...budgets);
  const t0 = performance.now();
  const runs = await runThreadsBatch(backend, problems.map(serialPrompt), { format: serialFormat(), maxThreadTokens: maxB, maxTotalTokens: maxB, maxContextTokens: context, temperature: 0, seed });
  const seconds = (performance.now() - t0) / 1000;
  const tok = backend.generator.tokenizer;
  return budgets.map((B) => {
    const per = problems.map((p, i) => {
      const ids = tok.encode(runs[i].root.text);
      const prefix = tok.decode(ids.slice(0, B));
      return { solved: checkSosTrace(fullTrace(prefix, p.target, p.nums), p.target, p.nums).valid, tokens: Math.min(B, runs[i].root.tokens) };
    });
    const tokens = mean(per.map((x) => x.tokens));
    return { arm: "serial (SoS)", budget: B, solveRate: mean(per.map((x) => (x.solved ? 1 : 0))), meanTotalTokens: tokens, meanCriticalTokens: tokens, meanThreads: 1, meanFailedChildren: 0, seconds };
  });
}

export interface AprEvalOptions {
  maxThreadTokens: number;
  /** the model's context (each thread's prompt + text stays within it) */
  context: number;
  maxChildren: number;
  maxDepth: number;
}

export async function evalApr(backend: BuiltinBackend, problems: readonly Problem[], budgets: readonly number[], o: AprEvalOptions, seed: number, say: (m: string) => void): Promise<CurvePoint[]> {
  const out: CurvePoint[] = [];
  for (const B of budgets) {
    const t0 = performance.now();
    const runs = await runThreadsBatch(backend, problems.map(aprRootPrompt), {
      format: aprCountdownFormat(), maxThreadTokens: o.maxThreadTokens, maxContextTokens: o.context, maxTotalTokens: B, maxChildren: o.maxChildren, maxDepth: o.maxDepth, temperature: 0, seed,
    });
    const seconds = (performance.now() - t0) / 1000;
    const solved = problems.map((p, i) => (scoreAprRoot(runs[i].root.text, p.target, p.nums).valid ? 1 : 0));
    out.push({
      arm: "parallel (APR)", budget: B, solveRate: mean(solved), meanTotalTokens: mean(runs.map((r) => r.stats.totalTokens)),
      meanCriticalTokens: mean(runs.map((r) => r.stats.criticalPathTokens)), meanThreads: mean(runs.map((r) => r.stats.threads)),
      meanFailedChildren: mean(runs.map((r) => r.stats.failedChildren)), seconds,
    });
    say(`  apr budget ${B}: solve ${(out.at(-1)!.solveRate * 100).toFixed(1)} %, total ${out.at(-1)!.meanTotalTokens.toFixed(0)}, critical ${out.at(-1)!.meanCriticalTokens.toFixed(0)} tokens (${seconds.toFixed(0)} s)`);
  }
  return out;
}

/** Generated tokens of a generator trace tree: Σ calls' completions, and the critical path (max child per spawn). */
function traceTokens(t: AprThreadTrace, tok: Tokenizer): { total: number; critical: number } {
  const own = t.calls.reduce((a, c) => a + tok.encode(c.completion).length, 0);
  let total = own;
  let critical = own;
  for (const s of t.spawns) {
    const kids = s.map((c) => traceTokens(c, tok));
    total += kids.reduce((a, k) => a + k.total, 0);
    critical += kids.reduce((m, k) => Math.max(m, k.critical), 0);
  }
  return { total, critical };
}

/**
 * The generator's traces under the same budgets: serial solved at B iff its DFS reaches the goal within B tokens;
 * parallel solved at B iff the tree reaches the goal and its total tokens ≤ B (no fair-share scheduling: an upper
 * bound for what a perfect imitator gets from the scheduler); "latency budget": solved at B iff its critical path
 * ≤ B (its total tokens scaled by B / critical path when cut, a proportional estimate).
 */
export function oracleCurves(problems: readonly Problem[], budgets: readonly number[], trace: AprTraceOptions, tok: Tokenizer, suffix = ""): CurvePoint[] {
  const serial = problems.map((p) => {
    const t = dfsTrace(p.target, p.nums, { heuristic: trace.heuristic, threshold: p.target, beam: trace.beam });
    const completion = t.slice(serialPrompt(p).length);
    return { solved: t.includes("Goal Reached"), tokens: tok.encode(completion).length };
  });
  const par = problems.map((p) => {
    const tree = aprTrace(p.target, p.nums, trace);
    return { solved: tree.goal !== null, ...traceTokens(tree, tok), threads: aprThreads(tree).length };
  });
  const points: CurvePoint[] = [];
  for (const B of budgets) {
    const s = serial.map((x) => ({ ok: x.solved && x.tokens <= B, used: Math.min(B, x.tokens) }));
    points.push({ arm: `oracle serial${suffix}`, budget: B, solveRate: mean(s.map((x) => (x.ok ? 1 : 0))), meanTotalTokens: mean(s.map((x) => x.used)), meanCriticalTokens: mean(s.map((x) => x.used)), meanThreads: 1, meanFailedChildren: 0, seconds: 0 });
    const q = par.map((x) => ({ ok: x.solved && x.total <= B, total: Math.min(B, x.total), critical: Math.min(B, x.critical) }));
    points.push({
      arm: `oracle parallel${suffix}`, budget: B, solveRate: mean(q.map((x) => (x.ok ? 1 : 0))), meanTotalTokens: mean(q.map((x) => x.total)), meanCriticalTokens: mean(q.map((x) => x.critical)),
      meanThreads: mean(par.map((x) => x.threads)), meanFailedChildren: 0, seconds: 0,
    });
    // the same trees under a latency budget: solved iff the critical path fits in B (threads unbounded in total)
    const l = par.map((x) => ({ ok: x.solved && x.critical <= B, total: x.critical <= B ? x.total : x.total * (B / x.critical), critical: Math.min(B, x.critical) }));
    points.push({
      arm: `oracle parallel, latency budget${suffix}`, budget: B, solveRate: mean(l.map((x) => (x.ok ? 1 : 0))), meanTotalTokens: mean(l.map((x) => x.total)), meanCriticalTokens: mean(l.map((x) => x.critical)),
      meanThreads: mean(par.map((x) => x.threads)), meanFailedChildren: 0, seconds: 0,
    });
  }
  return points;
}
