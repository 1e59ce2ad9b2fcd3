// runThreads: a general spawn/join scheduler over any Backend (APR, Pan et al. 2025, "Learning Adaptive Parallel
// Reasoning with Language Models"). A thread generates until its format reads a spawn; its children then run
// concurrently, each may spawn in turn (up to maxDepth), and when the last child of a spawn ends the parent resumes
// with the format's join text appended. Scheduling is in steps: each step runs one round of every ready thread at
// once (batched on the builtin engine, concurrent requests on a server), so the same seed gives the same tree.
// Budgets (docs/inference.md, "Parallel reasoning"):
//   per thread: a thread generates at most maxThreadTokens in all its rounds (and, with maxContextTokens, a round
//     at most the room its context has left);
//   total: in a step with k ready threads and R = maxTotalTokens − used tokens left, each round may generate at most
//     floor(R / k) (fair share), so a step never overdraws R; a round cut by its share only is resumed next step;
//   spawn admission: child i (in order) starts only if i < maxChildren and R ≥ (started + 1) · minChildTokens;
//     the others end at once as failed "not-started" (a spawn past maxDepth: all children failed "depth").
// A child that throws, runs out of budget or returns nothing is a failed outcome the format renders; the parent
// always resumes. Failures never throw out of runThreads.
import type { Backend, ContinuationSession, FinishReason } from "../../backends/types.js";
import { hashString } from "../../util/rng.js";
import { treeStats } from "./accounting.js";
import { runRounds, type RoundRequest } from "./rounds.js";
import type { ChildOutcome, ChildRequest, FailureReason, ParallelOptions, ParallelResult, TextEdit, ThreadNode } from "./types.js";

export const PARALLEL_DEFAULTS = {
  maxThreadTokens: 1024, maxChildren: 8, maxDepth: 2, minChildTokens: 16, maxRounds: 64, concurrency: 8,
} as const;

/** One root's tree: its own total budget and step count. */
interface Tree {
  used: number;
  steps: number;
  root: Live | null;
  t0: number;
}

interface Live {
  tree: Tree;
  node: ThreadNode;
  parent: Live | null;
  /** forced text not yet sent to the session (session mode) */
  pending: string;
  /** children of the current spawn still running */
  waiting: Live[];
  outcomes: ChildOutcome[];
  ready: boolean;
  session: ContinuationSession | null;
  ended: boolean;
}

function newNode(id: string, label: string, depth: number, prompt: string, startMs: number): ThreadNode {
  return {
    id, label, depth, prompt, text: "", tokens: 0, forcedTokens: 0, rounds: 0, status: "done", failure: null, error: null, result: null, spawns: [], startMs, endMs: startMs,
  };
}

function check(o: ParallelOptions): void {
  const ints: [string, number | undefined][] = [
    ["maxThreadTokens", o.maxThreadTokens], ["maxTotalTokens", o.maxTotalTokens], ["maxChildren", o.maxChildren], ["minChildTokens", o.minChildTokens],
    ["maxRounds", o.maxRounds], ["concurrency", o.concurrency], ["maxContextTokens", o.maxContextTokens],
  ];
  for (const [k, v] of ints) if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`parallel: ${k} must be a positive integer, got ${v}`);
  if (o.maxDepth !== undefined && (!Number.isInteger(o.maxDepth) || o.maxDepth < 0)) throw new Error(`parallel: maxDepth must be an integer ≥ 0, got ${o.maxDepth}`);
}

/** Runs the root prompt and every thread it spawns; returns the trace tree and its accounting. */
export async function runThreads(backend: Backend, rootPrompt: string, options: ParallelOptions): Promise<ParallelResult> {
  return (await runThreadsBatch(backend, [rootPrompt], options))[0];
}

/**
 * Several independent roots at once (e.g. the problems of an evaluation): every step runs the ready threads of all
 * trees together (one batched call on the builtin engine), while budgets and accounting stay per tree.
 */
export async function runThreadsBatch(backend: Backend, rootPrompts: readonly string[], options: ParallelOptions): Promise<ParallelResult[]> {
  check(options);
  const fmt = options.format;
  const maxThread = options.maxThreadTokens ?? PARALLEL_DEFAULTS.maxThreadTokens;
  const maxTotal = options.maxTotalTokens ?? Number.POSITIVE_INFINITY;
  const maxChildren = options.maxChildren ?? PARALLEL_DEFAULTS.maxChildren;
  const maxDepth = options.maxDepth ?? PARALLEL_DEFAULTS.maxDepth;
  const minChild = options.minChildTokens ?? PARALLEL_DEFAULTS.minChildTokens;
  const maxRounds = options.maxRounds ?? PARALLEL_DEFAULTS.maxRounds;
  const sessions = options.resume === "session";
  const t0 = performance.now();
  const now = (): number => performance.now() - t0;
  const live: Live[] = [];

  /** A live thread; in session mode its session, or the error that kept it from opening. */
  const open = async (tree: Tree, node: ThreadNode, parent: Live | null): Promise<{ l: Live; error: string | null }> => {
    const l: Live = { tree, node, parent, pending: "", waiting: [], outcomes: [], ready: true, session: null, ended: false };
    live.push(l); // in creation order, whatever order the sessions open in: the steps' batches are deterministic
    if (sessions) {
      try {
        l.session = await backend.session([node.prompt], { seed: options.seed, temperature: options.temperature, topP: options.topP, streams: [hashString(node.id)] });
      } catch (e) {
        return { l, error: e instanceof Error ? e.message.split("\n")[0] : String(e) };
      }
    }
    return { l, error: null };
  };

  /** Applies a format's edit: drops the end of the text (a session is cut back to match), appends forced text. */
  const edit = (l: Live, e: TextEdit): void => {
    const n = l.node;
    if (e.strip > 0) {
      const dropped = n.text.slice(n.text.length - e.strip);
      n.text = n.text.slice(0, n.text.length - e.strip);
      if (l.session) {
        const keep = (l.session.tokenCount(0) ?? 0) - (backend.countTokens(dropped) ?? 0);
        l.session.truncateTokens(0, keep);
        if (l.session.text(0) !== n.text) throw new Error(`thread ${n.id}: cannot cut the session back by ${e.strip} characters at a token boundary`);
      }
    }
    n.text += e.append;
    n.forcedTokens += backend.countTokens(e.append) ?? 0;
    if (sessions) l.pending += e.append;
  };

  /** Ends a thread: a child's result decides done vs failed; the parent resumes when its last child ends. */
  const end = (l: Live, failure: FailureReason | null, error: string | null = null): void => {
    const n = l.node;
    l.ready = false;
    l.ended = true;
    n.endMs = now();
    n.error = error;
    if (n.depth > 0) {
      n.result = failure === "error" ? null : fmt.childResult(n.prompt, n.text);
      n.failure = n.result !== null ? null : failure ?? "no-result";
    } else {
      n.failure = failure;
    }
    n.status = n.failure === null ? "done" : "failed";
    void l.session?.close();
    l.session = null;
    const p = l.parent;
    if (!p) return;
    p.waiting = p.waiting.filter((x) => x !== l);
    if (p.waiting.length === 0 && p.outcomes.length > 0) join(p);
  };

  const join = (p: Live): void => {
    const spawn = p.node.spawns[p.node.spawns.length - 1];
    const outcomes = spawn.map((c) => ({ label: c.label, result: c.result, failure: c.failure }));
    p.outcomes = [];
    p.ready = true;
    try {
      edit(p, fmt.renderJoin(outcomes, p.node.depth + 1, p.node.text));
    } catch (e) {
      end(p, "error", e instanceof Error ? e.message : String(e));
    }
  };

  const spawn = async (l: Live, children: readonly ChildRequest[]): Promise<void> => {
    const n = l.node;
    const index = n.spawns.length;
    const nodes: ThreadNode[] = [];
    n.spawns.push(nodes);
    let started = 0;
    const toStart: ThreadNode[] = [];
    children.forEach((c, i) => {
      const prompt = fmt.budgetPrefix ? fmt.budgetPrefix(maxThread) + c.prompt : c.prompt;
      const child = newNode(`${n.id}.${index}.${i}`, c.label, n.depth + 1, prompt, now());
      nodes.push(child);
      const left = maxTotal - l.tree.used;
      if (c.error !== undefined) {
        child.failure = "malformed";
        child.error = c.error;
      } else if (n.depth + 1 > maxDepth) child.failure = "depth";
      else if (i >= maxChildren || left < (started + 1) * minChild) child.failure = "not-started";
      else {
        started++;
        toStart.push(child);
      }
      if (child.failure) child.status = "failed";
    });
    l.outcomes = nodes.map((c) => ({ label: c.label, result: null, failure: c.failure }));
    if (toStart.length === 0) return join(l);
    l.ready = false;
    const opened = await Promise.all(toStart.map((c) => open(l.tree, c, l)));
    l.waiting = opened.map((o) => o.l);
    for (const o of opened) if (o.error !== null) end(o.l, "error", o.error);
  };

  const trees: Tree[] = [];
  for (let k = 0; k < rootPrompts.length; k++) {
    const tree: Tree = { used: 0, steps: 0, root: null, t0: now() };
    const id = rootPrompts.length === 1 ? "0" : String(k);
    const opened = await open(tree, newNode(id, "root", 0, rootPrompts[k], now()), null);
    tree.root = opened.l;
    if (opened.error !== null) end(opened.l, "error", opened.error);
    trees.push(tree);
  }
  const running = (t: Tree): boolean => t.root!.ready || t.root!.waiting.length > 0;
  while (trees.some(running)) {
    for (let k = live.length - 1; k >= 0; k--) if (live[k].ended) live.splice(k, 1);
    const ready = live.filter((l) => l.ready);
    if (ready.length === 0) throw new Error("parallel: no thread is ready while a root waits (scheduler bug)");
    const readyIn = new Map<Tree, number>();
    for (const l of ready) readyIn.set(l.tree, (readyIn.get(l.tree) ?? 0) + 1);
    const reqs: { l: Live; req: RoundRequest }[] = [];
    for (const l of ready) {
      const left = maxThread - l.node.tokens;
      const share = Math.floor((maxTotal - l.tree.used) / (readyIn.get(l.tree) as number));
      const room = options.maxContextTokens === undefined ? left : options.maxContextTokens - (backend.countTokens(l.node.prompt + l.node.text) ?? 0);
      if (left < 1) end(l, "thread-budget");
      else if (room < 1) end(l, "thread-budget", "the context is full");
      else if (share < 1) end(l, "total-budget");
      else if (l.node.rounds >= maxRounds) end(l, "thread-budget", `${maxRounds} rounds`);
      else {
        const seed = options.seed === undefined ? undefined : (hashString(`${options.seed}/${l.node.id}/${l.node.rounds}`) >>> 1);
        reqs.push({ l, req: { index: reqs.length, prompt: l.node.prompt, text: l.node.text, pending: l.pending, maxTokens: Math.min(left, share, room), seed, session: l.session } });
      }
    }
    if (reqs.length === 0) continue;
    for (const t of new Set(reqs.map((r) => r.l.tree))) t.steps++;
    const results = await runRounds(backend, reqs.map((r) => r.req), {
      stop: fmt.stop, temperature: options.temperature, topP: options.topP, batch: options.batch ?? true, concurrency: options.concurrency ?? PARALLEL_DEFAULTS.concurrency,
    });
    for (let i = 0; i < reqs.length; i++) {
      const { l, req } = reqs[i];
      const r = results[i];
      l.pending = "";
      if (!r.ok) {
        end(l, "error", r.error);
        continue;
      }
      l.node.text += r.text;
      l.node.tokens += r.tokens;
      l.node.rounds++;
      l.tree.used += r.tokens;
      await afterRound(l, r.tokens, r.finish, req.maxTokens);
    }
  }
  return trees.map((t) => ({ root: t.root!.node, stats: treeStats(t.root!.node, t.steps, t.root!.node.endMs - t.t0) }));

  async function afterRound(l: Live, tokens: number, finish: FinishReason, cap: number): Promise<void> {
    if (finish === "length") {
      if (tokens === 0) return end(l, "thread-budget", "the model's context is full");
      if (l.node.tokens >= maxThread) return end(l, "thread-budget");
      if (l.tree.used >= maxTotal) return end(l, "total-budget");
      if (tokens < cap) return end(l, "thread-budget", "the backend ended the round early");
      return; // cut by its fair share only: resumed next step
    }
    const outcome = fmt.afterRound(l.node.prompt, l.node.text, finish);
    if (outcome.kind === "done") return end(l, null);
    if (outcome.kind === "continue") {
      try {
        return edit(l, outcome);
      } catch (e) {
        return end(l, "error", e instanceof Error ? e.message : String(e));
      }
    }
    await spawn(l, outcome.children);
  }
}
