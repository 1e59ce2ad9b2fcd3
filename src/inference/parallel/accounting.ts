// Latency accounting of a thread tree (APR, Pan et al. 2025: "sequential tokens" vs "total tokens").
//   total(t)         = tokens(t) + Σ over every child c of t: total(c)
//   criticalPath(t)  = tokens(t) + Σ over t's spawns s: max over the children c of s: criticalPath(c)
// Children of one spawn run concurrently, so only the longest one adds to the parent's latency; successive spawns
// of one thread run one after another, so they add up. Forced text (join messages) is not generated and counts in
// neither (ThreadNode.forcedTokens keeps it apart).
import type { ParallelStats, ThreadNode } from "./types.js";

export function totalTokens(t: ThreadNode): number {
  return t.tokens + t.spawns.reduce((a, s) => a + s.reduce((b, c) => b + totalTokens(c), 0), 0);
}

export function criticalPathTokens(t: ThreadNode): number {
  return t.tokens + t.spawns.reduce((a, s) => a + s.reduce((m, c) => Math.max(m, criticalPathTokens(c)), 0), 0);
}

/** Every thread of the tree, depth first, parents before their children. */
export function threadsOf(t: ThreadNode): ThreadNode[] {
  return [t, ...t.spawns.flatMap((s) => s.flatMap((c) => threadsOf(c)))];
}

export function treeStats(root: ThreadNode, steps: number, wallMs: number): ParallelStats {
  const all = threadsOf(root);
  return {
    threads: all.length,
    totalTokens: totalTokens(root),
    criticalPathTokens: criticalPathTokens(root),
    depth: all.reduce((m, t) => Math.max(m, t.depth), 0),
    steps,
    failedChildren: all.filter((t) => t.depth > 0 && t.status === "failed").length,
    wallMs,
  };
}
