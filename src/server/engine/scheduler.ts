// Continuous batching: every running sequence of every request advances one token per decoding step, and waiting
// requests join between steps (their prompts prefilled together, in arrival order) as soon as their sequences fit
// in the batch. Sequences never share state but the step's tensors: each has its own cache row, positions and RNG
// stream, so outputs do not depend on what else is running. Cancelled sequences leave at the next step boundary.
import type { KvPool } from "./kv-pool.js";
import type { ModelRunner } from "./model-runner.js";
import type { Sequence } from "./sequence.js";

export interface SchedulerOptions {
  /** sequences decoded together at most */
  maxRunning: number;
  /** sequences waiting at most; beyond that submit() throws QueueFullError */
  maxWaiting: number;
  /** prompts × (longest prompt)² per prefill call at most (its attention mask), when several requests join at once */
  maxPrefillCells?: number;
}

export interface SchedulerStats {
  running: number;
  waiting: number;
  decodeSteps: number;
  prefills: number;
  /** completion tokens produced (sampled or forced) */
  tokens: number;
  /** most sequences decoded in one step so far */
  peakRunning: number;
}

/** Too many sequences waiting: try again later (HTTP 503). */
export class QueueFullError extends Error {
  override name = "QueueFullError";
}

/** The scheduler no longer admits work (HTTP 503). */
export class ShuttingDownError extends Error {
  override name = "ShuttingDownError";
}

interface Job {
  seqs: Sequence[];
  onUpdate?: () => void;
  resolve: () => void;
  reject: (e: Error) => void;
  settled: boolean;
}

const DEFAULT_MAX_PREFILL_CELLS = 1 << 24;

export class Scheduler {
  private readonly waiting: Job[] = [];
  /** running[r] is the sequence in pool row r */
  private readonly running: Sequence[] = [];
  private readonly jobOf = new Map<Sequence, Job>();
  private looping = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = { decodeSteps: 0, prefills: 0, tokens: 0, peakRunning: 0 };

  constructor(private readonly runner: ModelRunner, private readonly pool: KvPool, private readonly opts: SchedulerOptions) {}

  stats(): SchedulerStats {
    return { running: this.running.length, waiting: this.waiting.reduce((s, j) => s + j.seqs.length, 0), ...this.counters };
  }

  /**
   * Queues one request's sequences; the promise resolves when all are finished or cancelled (rejects when the
   * engine fails). `onUpdate` runs after every step that changed one of them (streaming); `signal` cancels them.
   * Throws at once (ShuttingDownError, QueueFullError) when the request cannot be queued.
   */
  submit(seqs: Sequence[], opts: { onUpdate?: () => void; signal?: AbortSignal } = {}): Promise<void> {
    if (this.closed) throw new ShuttingDownError("The server is shutting down.");
    if (seqs.length > this.opts.maxRunning) throw new Error(`${seqs.length} sequences exceed the batch of ${this.opts.maxRunning}`);
    const waiting = this.stats().waiting;
    if (waiting > 0 && waiting + seqs.length > this.opts.maxWaiting) {
      throw new QueueFullError(`The server is busy (${waiting} sequences waiting); retry later.`);
    }
    return new Promise<void>((resolve, reject) => {
      const job: Job = { seqs, onUpdate: opts.onUpdate, resolve, reject, settled: false };
      const cancel = () => this.cancel(job);
      if (opts.signal?.aborted) { cancel(); resolve(); return; }
      opts.signal?.addEventListener("abort", cancel, { once: true });
      for (const s of seqs) this.jobOf.set(s, job);
      this.waiting.push(job);
      void this.loop();
    });
  }

  private cancel(job: Job): void {
    for (const s of job.seqs) s.aborted = true;
    const at = this.waiting.indexOf(job);
    if (at >= 0) {
      this.waiting.splice(at, 1);
      this.settle(job);
    }
  }

  /** Stops admitting work: waiting requests fail at once; running ones get `graceMs` to finish, then are cancelled. */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.settle(job, new ShuttingDownError("The server is shutting down."));
    if (this.running.length === 0 && !this.looping) return;
    const idle = new Promise<void>((r) => this.idleWaiters.push(r));
    const timer = setTimeout(() => { for (const s of this.running) s.aborted = true; }, graceMs);
    await idle;
    clearTimeout(timer);
  }

  private settle(job: Job, error?: Error): void {
    if (job.settled) return;
    job.settled = true;
    for (const s of job.seqs) this.jobOf.delete(s);
    if (error) job.reject(error);
    else job.resolve();
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.waiting.length > 0 || this.running.length > 0) {
        const touched = new Set<Job>();
        try {
          await this.admit(touched);
          // a sequence whose first token ended it (max_tokens 1, an eos, a stop string) must not be decoded again
          this.reap(touched);
          if (this.running.length > 0) await this.decodeStep(touched);
        } catch (e) {
          this.failRunning(e instanceof Error ? e : new Error(String(e)));
        }
        this.reap(touched);
        for (const job of touched) job.onUpdate?.();
        for (const job of touched) if (job.seqs.every((s) => s.done)) this.settle(job);
        await new Promise<void>((r) => setImmediate(r)); // let the HTTP side run between steps
      }
    } finally {
      this.looping = false;
      this.pool.shrinkIfIdle();
      for (const r of this.idleWaiters.splice(0)) r();
    }
  }

  /** Prefills the waiting requests that fit, in arrival order, and samples their first tokens. */
  private async admit(touched: Set<Job>): Promise<void> {
    const maxPrefill = this.opts.maxPrefillCells ?? DEFAULT_MAX_PREFILL_CELLS;
    const jobs: Job[] = [];
    let rows = this.running.length;
    let longest = 0;
    let prompts = 0;
    while (this.waiting.length > 0) {
      const job = this.waiting[0];
      const distinct = new Set(job.seqs.map((s) => s.spec.promptIndex)).size;
      const len = Math.max(...job.seqs.map((s) => s.promptLength));
      const cost = (prompts + distinct) * Math.max(longest, len) ** 2;
      if (rows + job.seqs.length > this.opts.maxRunning || (jobs.length > 0 && cost > maxPrefill)) break;
      this.waiting.shift();
      jobs.push(job);
      rows += job.seqs.length;
      prompts += distinct;
      longest = Math.max(longest, len);
    }
    if (jobs.length === 0) return;
    this.pool.reserve(rows, longest + 1); // slots grow as sequences do (decodeStep)
    // distinct prompts: per job, sequences with the same prompt index share one prefill
    const promptIds: (readonly number[])[] = [];
    const index = new Map<Sequence, number>();
    for (const job of jobs) {
      const seen = new Map<number, number>();
      for (const s of job.seqs) {
        let u = seen.get(s.spec.promptIndex);
        if (u === undefined) { u = promptIds.length; seen.set(s.spec.promptIndex, u); promptIds.push(s.spec.promptIds); }
        index.set(s, u);
      }
    }
    let pre;
    try {
      pre = await this.runner.prefill(promptIds);
      this.counters.prefills++;
    } catch (e) {
      for (const job of jobs) this.settle(job, e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const V = this.runner.config.vocab_size;
    for (const job of jobs) {
      touched.add(job);
      for (const s of job.seqs) {
        if (s.aborted) continue;
        const u = index.get(s) ?? 0;
        s.row = this.pool.acquire();
        this.running[s.row] = s;
        this.pool.writePrefill(s.row, pre, u, s.promptLength);
        s.fed = s.promptLength;
        this.advance(s, pre.logits.subarray(u * V, (u + 1) * V));
      }
    }
  }

  private advance(s: Sequence, logits: Float32Array): void {
    const before = s.ids.length;
    s.step(logits);
    if (s.ids.length > before) this.counters.tokens += s.ids.length - before;
    if (s.rewound) {
      this.pool.truncate(s.row, s.fed);
      s.rewound = false;
    }
  }

  /** One token for every running sequence. */
  private async decodeStep(touched: Set<Job>): Promise<void> {
    const B = this.running.length;
    this.counters.peakRunning = Math.max(this.counters.peakRunning, B);
    let slots = 0;
    for (const s of this.running) slots = Math.max(slots, s.fed + 1);
    this.pool.reserve(B, slots);
    const ids = new BigInt64Array(B);
    const positions = new BigInt64Array(B);
    for (let r = 0; r < B; r++) {
      const s = this.running[r];
      ids[r] = BigInt(s.nextInput());
      positions[r] = BigInt(s.fed);
    }
    const out = await this.runner.decode(ids, positions, this.pool.feeds());
    this.counters.decodeSteps++;
    const V = this.runner.config.vocab_size;
    for (let r = 0; r < B; r++) {
      const s = this.running[r];
      const job = this.jobOf.get(s);
      if (job) touched.add(job);
      if (s.aborted) continue;
      this.pool.writeStep(out.present, r, s.fed);
      s.fed++;
      this.advance(s, out.logits.subarray(r * V, (r + 1) * V));
    }
  }

  /** Frees the rows of finished and cancelled sequences. */
  private reap(touched: Set<Job>): void {
    for (let r = this.running.length - 1; r >= 0; r--) {
      const s = this.running[r];
      if (!s.done) continue;
      const job = this.jobOf.get(s);
      if (job) touched.add(job);
      const moved = this.pool.release(r);
      if (moved >= 0) {
        this.running[r] = this.running[moved];
        this.running[r].row = r;
      }
      this.running.pop();
      s.row = -1;
    }
    // a cancelled job whose sequences are all gone is settled by the loop through `touched`
  }

  private failRunning(e: Error): void {
    const jobs = new Set<Job>();
    for (const s of this.running) {
      const job = this.jobOf.get(s);
      if (job) jobs.add(job);
      s.aborted = true;
    }
    this.reap(new Set());
    for (const job of jobs) {
      for (const s of job.seqs) s.aborted = true;
      this.settle(job, e);
    }
  }
}
