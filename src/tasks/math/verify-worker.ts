/**
 * Worker-thread side of MathVerifierPool (pool.ts).
 *
 * Protocol: on start the worker warms up (loads the CAS with one symbolic check, so that module loading never
 * counts against a check's time limit) and posts `{ type: "ready" }`. Then each `{ id, gold, completion, opts }`
 * is answered with `{ id, result }`.
 */
import { parentPort } from "node:worker_threads";
import { failureReason, verifyMath, type MathVerifyOptions, type MathVerifyResult } from "./verify.js";

export interface WorkerRequest {
  readonly id: number;
  readonly gold: string;
  readonly completion: string;
  readonly opts?: MathVerifyOptions;
}

export type WorkerReply = { readonly type: "ready" } | { readonly id: number; readonly result: MathVerifyResult };

const port = parentPort;
if (port !== null) {
  verifyMath("x+1", "1+x", { extract: false }); // warm-up: loads mathjs
  port.on("message", (req: WorkerRequest) => {
    let result: MathVerifyResult;
    try {
      result = verifyMath(req.gold, req.completion, req.opts);
    } catch (e) {
      result = { correct: false, extracted: null, reason: failureReason(e) };
    }
    const reply: WorkerReply = { id: req.id, result };
    port.postMessage(reply);
  });
  const ready: WorkerReply = { type: "ready" };
  port.postMessage(ready);
}
