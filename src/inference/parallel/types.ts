// Types of the parallel reasoning runtime (Pan et al. 2025, "Learning Adaptive Parallel Reasoning with Language
// Models", APR): threads that spawn child threads and join their results, over any Backend.
import type { FinishReason } from "../../backends/types.js";

/** One child a parent asks for: its prompt and a label the join message names it by (APR: the node id). */
export interface ChildRequest {
  prompt: string;
  label: string;
  /** set when the spawn names a child the format cannot build (it fails at once with this message) */
  error?: string;
}

/** An edit of the end of a thread's text: drop its last `strip` characters, then append `append` (forced). */
export interface TextEdit {
  strip: number;
  append: string;
}

/**
 * What the format reads at the end of a round:
 *   spawn    — the thread asked for children; it waits, then resumes with the join text appended;
 *   continue — append `append` (forced text) and generate again (APR: a forbidden `<Sub Searches>` is rewritten);
 *   done     — the thread is finished.
 */
export type RoundOutcome = { kind: "spawn"; children: ChildRequest[] } | ({ kind: "continue" } & TextEdit) | { kind: "done" };

/** Why a child has no result. */
export type FailureReason = "error" | "malformed" | "thread-budget" | "total-budget" | "not-started" | "depth" | "no-result";

/** A finished child as the parent's join sees it. */
export interface ChildOutcome {
  label: string;
  /** the child's returned text (ThreadFormat.childResult), null when it failed or returned nothing */
  result: string | null;
  failure: FailureReason | null;
}

/**
 * How threads talk: a pluggable format. The scheduler generates with `stop`, always keeping the stop string in the
 * text (so the format sees which marker ended the round), then asks `afterRound` what the thread's text means.
 */
export interface ThreadFormat {
  readonly name: string;
  /** stop strings of every round (the spawn marker's end and any marker the model must not write itself) */
  readonly stop: readonly string[];
  /** reads the end of a round: `prompt` is the thread's prompt, `text` everything after it (stop string included) */
  afterRound(prompt: string, text: string, finish: FinishReason): RoundOutcome;
  /** what a finished child returns to its parent; null = nothing (rendered as a failure) */
  childResult(prompt: string, text: string): string | null;
  /**
   * How the parent resumes after its children, given its text: APR replaces the spawn block (from
   * `<Calling Sub Searches>`) by `<Sub Searches> … <End Sub Searches>`
   */
  renderJoin(children: readonly ChildOutcome[], level: number, parentText: string): TextEdit;
  /** prefix of a child's prompt telling it its token cap (APR `Token Budget: N`); absent = no conditioning */
  budgetPrefix?(maxTokens: number): string;
}

export type ThreadStatus = "done" | "failed";

/** One thread of the trace tree (root, children in spawn order). */
export interface ThreadNode {
  /** "0" for the root (its index in runThreadsBatch), "0.1.2" for the third child of the root's second spawn */
  id: string;
  label: string;
  /** 0 for the root */
  depth: number;
  prompt: string;
  /** everything after the prompt: generated rounds and forced (join / rewrite) text in order */
  text: string;
  /** tokens the thread generated (forced text excluded) */
  tokens: number;
  /** tokens of forced text (join messages, rewrites), counted with the backend's tokenizer when it has one */
  forcedTokens: number;
  rounds: number;
  status: ThreadStatus;
  failure: FailureReason | null;
  error: string | null;
  /** the child's returned text (null for the root and for failed children) */
  result: string | null;
  /** spawns in order; each is the list of its children */
  spawns: ThreadNode[][];
  /** ms from the run's start to this thread's start and end */
  startMs: number;
  endMs: number;
}

export interface ParallelOptions {
  format: ThreadFormat;
  /** tokens one thread may generate in all its rounds (default 1024) */
  maxThreadTokens?: number;
  /** tokens all threads together may generate; absent = no total cap */
  maxTotalTokens?: number;
  /** children admitted per spawn (default 8); the rest are rendered as not started */
  maxChildren?: number;
  /** deepest thread level: the root is 0, its children 1 (default 2) */
  maxDepth?: number;
  /** a child is started only while the total budget left covers this many tokens for it (default 16) */
  minChildTokens?: number;
  /**
   * the model's context in tokens: a round may generate at most context − tokens(prompt + text), and a thread with
   * no room left ends with thread-budget (APR's per-thread context limit); absent = no limit
   */
  maxContextTokens?: number;
  /** rounds one thread may take (default 64): a guard against formats that continue forever */
  maxRounds?: number;
  /** "reprompt": each round completes prompt + text (one batched call per step); "session": one continuation session per thread */
  resume?: "reprompt" | "session";
  /** backend calls in flight at once (default 8) */
  concurrency?: number;
  /** true (default): one call per step with every ready thread's prompt (the builtin engine batches them) */
  batch?: boolean;
  temperature?: number;
  topP?: number;
  seed?: number;
}

export interface ParallelStats {
  threads: number;
  /** Σ tokens over all threads */
  totalTokens: number;
  /** tokens on the critical path: cp(t) = tokens(t) + Σ over t's spawns of max over their children cp(c) */
  criticalPathTokens: number;
  /** the deepest level reached */
  depth: number;
  /** scheduler steps (each step runs one round of every ready thread concurrently) */
  steps: number;
  failedChildren: number;
  wallMs: number;
}

export interface ParallelResult {
  root: ThreadNode;
  stats: ParallelStats;
}
