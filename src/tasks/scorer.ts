/**
 * TaskScorer: scoring with a real time limit per check, for RL loops and batch scoring — the path `ratio score`
 * takes.
 *
 * `task.score()` is synchronous. For addition, countdown and multiple-choice its work is linear in the (capped)
 * completion, so it is bounded by construction and TaskScorer calls it directly. For math, `task.score()` runs the
 * verifier on the calling thread with structural limits only (docs/math-verify.md, "Safety and time limits"): no
 * wall-clock limit. TaskScorer sends math checks to a MathVerifierPool instead, where a check that exceeds
 * `timeoutMs` is stopped and scores 0 with reason "timeout", and checks run in parallel worker threads.
 *
 *   const scorer = TaskScorer.create("math", { workers: 2, timeoutMs: 5000 });
 *   const scores = await scorer.scoreBatch(samples.map((s) => ({ completion: s.text, example: s.example })));
 *   await scorer.close();
 */
import { MathVerifierPool } from "./math/pool.js";
import { mathTask } from "./math-task.js";
import { getTask, type AnyTask } from "./registry.js";
import { MAX_COMPLETION_CHARS, precheckCompletion } from "./safe-score.js";
import type { Example, Score } from "./types.js";

export interface TaskScorerOptions {
  /** Math: worker threads (default 2); 0 scores on the calling thread with no time limit. */
  workers?: number;
  /** Math: time limit per check in milliseconds (default 5000). */
  timeoutMs?: number;
}

export interface ScoreItem {
  completion: string;
  example: Example;
}

export class TaskScorer {
  private constructor(
    readonly task: AnyTask,
    private readonly pool: MathVerifierPool | null,
  ) {}

  /** A scorer for a task (object or registered name); math gets a worker pool unless `workers` is 0. */
  static create(task: AnyTask | string, opts: TaskScorerOptions = {}): TaskScorer {
    const t = typeof task === "string" ? getTask(task) : task;
    const workers = opts.workers ?? 2;
    if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`TaskScorer: option workers must be an integer >= 0, got ${String(workers)}`);
    const pool = t.name === mathTask.name && workers > 0 ? new MathVerifierPool({ workers, timeoutMs: opts.timeoutMs }) : null;
    return new TaskScorer(t, pool);
  }

  /** Scores a batch with a scorer of its own, closed afterwards (a rollout's or a teacher's samples). */
  static async scoreOnce(task: AnyTask | string, items: readonly ScoreItem[], opts: TaskScorerOptions = {}): Promise<Score[]> {
    const scorer = TaskScorer.create(task, opts);
    try {
      return await scorer.scoreBatch(items);
    } finally {
      await scorer.close();
    }
  }

  /** Score one completion; resolves (never rejects for any completion) to the task's Score. */
  async score(completion: string, example: Example): Promise<Score> {
    if (this.pool === null) return this.task.score(completion, example);
    const early = precheckCompletion(completion, MAX_COMPLETION_CHARS) ?? mathTask.precheck(example);
    if (early !== null) return early;
    const v = await this.pool.verify(example.answer, completion);
    return { reward: v.correct ? 1 : 0, correct: v.correct, extracted: v.extracted, reason: v.reason };
  }

  /** Score many completions (in parallel for math); results are in input order. */
  scoreBatch(items: readonly ScoreItem[]): Promise<Score[]> {
    return Promise.all(items.map((it) => this.score(it.completion, it.example)));
  }

  /** Stop the worker threads (math); pending checks are rejected. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
