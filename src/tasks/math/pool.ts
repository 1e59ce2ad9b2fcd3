/**
 * MathVerifierPool: math verification in worker_threads with a per-check time limit that works in threads.
 *
 * Math-Verify enforces its timeout with SIGALRM, which only works in the main thread of the main interpreter
 * (huggingface/Math-Verify #50, #55). Here every check runs in a worker; when a check exceeds `timeoutMs` the
 * worker is terminated (Worker.terminate() stops even a tight synchronous loop), the check resolves to
 * `{ correct: false, reason: "timeout" }`, and a fresh worker takes the slot. The limit counts only the check:
 * a worker is given work once it has loaded its modules and reported ready.
 *
 * The worker script is resolved next to this module: `verify-worker.js` when running compiled code from dist/;
 * when running the TypeScript sources (vitest, `tsx`) the worker starts from `ts-worker-bootstrap.mjs`, which
 * registers tsx's loader (a dev dependency) inside the worker thread and then imports `verify-worker.ts`.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MathVerifyOptions, MathVerifyResult } from "./verify.js";
import type { WorkerReply, WorkerRequest } from "./verify-worker.js";

/** Same default as Math-Verify's `timeout_seconds=5`. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** At most this many workers by default (one core is left to the caller). */
export const DEFAULT_MAX_WORKERS = 4;

export interface MathVerifierPoolOptions {
  /** Worker threads (default: available cores − 1, at least 1, at most 4). */
  workers?: number;
  /** Per-check time limit in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Advanced: a worker script speaking the protocol of verify-worker.ts (tests use it to simulate a hang). */
  workerUrl?: URL;
}

export interface MathVerifyItem {
  gold: string;
  completion: string;
  opts?: MathVerifyOptions;
}

interface Task {
  readonly request: WorkerRequest;
  readonly resolve: (r: MathVerifyResult) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

interface WorkerScript {
  readonly url: URL;
  readonly workerData?: { entry: string };
}

function defaultWorkerScript(): WorkerScript {
  if (!import.meta.url.endsWith(".ts")) return { url: new URL("./verify-worker.js", import.meta.url) };
  const entry = new URL("./verify-worker.ts", import.meta.url).href;
  return { url: new URL("./ts-worker-bootstrap.mjs", import.meta.url), workerData: { entry } };
}

export class MathVerifierPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly script: WorkerScript;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(opts: MathVerifierPoolOptions = {}) {
    const workers = opts.workers ?? Math.min(DEFAULT_MAX_WORKERS, Math.max(1, availableParallelism() - 1));
    if (!Number.isInteger(workers) || workers < 1) {
      throw new RangeError(`MathVerifierPool: option workers must be an integer >= 1, got ${String(workers)}`);
    }
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(`MathVerifierPool: option timeoutMs must be a number > 0, got ${String(timeoutMs)}`);
    }
    this.size = workers;
    this.timeoutMs = timeoutMs;
    this.script = opts.workerUrl !== undefined ? { url: opts.workerUrl } : defaultWorkerScript();
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  /** Grade one completion; resolves `{ correct: false, reason: "timeout" }` when the check exceeds timeoutMs. */
  verify(gold: string, completion: string, opts?: MathVerifyOptions): Promise<MathVerifyResult> {
    if (this.closed) return Promise.reject(new Error("MathVerifierPool: verify() called after close()"));
    return new Promise<MathVerifyResult>((resolve, reject) => {
      const request: WorkerRequest = { id: this.nextId++, gold, completion, opts };
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  /** Grade many completions in parallel; results are in input order. */
  verifyBatch(items: readonly MathVerifyItem[]): Promise<MathVerifyResult[]> {
    return Promise.all(items.map((it) => this.verify(it.gold, it.completion, it.opts)));
  }

  /** Stop all workers; pending checks are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error("MathVerifierPool: closed while checks were pending");
    for (const t of this.queue.splice(0)) t.reject(error);
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer !== null) clearTimeout(slot.timer);
        slot.task?.reject(error);
        slot.task = null;
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(this.script.url, { workerData: this.script.workerData });
    const slot: Slot = { worker, ready: false, task: null, timer: null };
    worker.unref();
    worker.on("message", (msg: WorkerReply) => this.onMessage(slot, msg));
    worker.on("error", (err: Error) => this.onFailure(slot, `worker-error: ${err.message}`));
    worker.on("exit", (code: number) => {
      if (!this.closed && this.slots.includes(slot)) this.onFailure(slot, `worker-exit: code ${code}`);
    });
    return slot;
  }

  private onMessage(slot: Slot, msg: WorkerReply): void {
    if ("type" in msg) {
      slot.ready = true;
      this.pump();
      return;
    }
    const task = slot.task;
    if (task === null || task.request.id !== msg.id) return;
    this.finish(slot);
    task.resolve(msg.result);
    this.pump();
  }

  /** A worker died (crash, or exit during a check): fail its check, replace it. */
  private onFailure(slot: Slot, reason: string): void {
    const task = slot.task;
    const wasReady = slot.ready;
    this.finish(slot);
    this.replace(slot);
    if (task !== null) task.resolve({ correct: false, extracted: null, reason });
    else if (!wasReady) {
      // The worker could not even start: further respawns would fail the same way.
      this.closed = true;
      const error = new Error(`MathVerifierPool: worker failed to start (${reason})`);
      for (const t of this.queue.splice(0)) t.reject(error);
      return;
    }
    this.pump();
  }

  private onTimeout(slot: Slot): void {
    const task = slot.task;
    this.finish(slot);
    this.replace(slot);
    void slot.worker.terminate();
    if (task !== null) task.resolve({ correct: false, extracted: null, reason: "timeout" });
    this.pump();
  }

  private finish(slot: Slot): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
  }

  /** Workers keep the process alive only while checks are queued or running (an idle pool never blocks exit). */
  private updateRefs(): void {
    const busy = this.queue.length > 0 || this.slots.some((s) => s.task !== null);
    for (const slot of this.slots) {
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
    slot.worker.removeAllListeners("exit");
    this.slots[i] = this.spawn();
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (!slot.ready || slot.task !== null) continue;
      const task = this.queue.shift() as Task;
      slot.task = task;
      slot.timer = setTimeout(() => this.onTimeout(slot), this.timeoutMs);
      slot.worker.postMessage(task.request);
    }
    this.updateRefs();
  }
}
