// Running one request's sequences on the scheduler, whole (a JSON response) or streamed (server-sent events in
// OpenAI's chunk format, ending with `data: [DONE]`). A client that disconnects cancels its sequences: the
// request's abort signal (the connection closed) and the SSE stream's abort both reach the scheduler.
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { QueueFullError, ShuttingDownError } from "./engine/scheduler.js";
import type { Sequence } from "./engine/sequence.js";
import { ApiError } from "./errors.js";
import type { ServeContext } from "./generation.js";

/** Any failure as an ApiError: scheduler refusals are 503, anything unexpected 500. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof QueueFullError) return new ApiError(503, e.message, null, "overloaded");
  if (e instanceof ShuttingDownError) return new ApiError(503, e.message, null, "shutting_down");
  return new ApiError(500, `Internal error: ${e instanceof Error ? e.message : String(e)}`, null, "internal_error");
}

/** Runs the sequences to the end (or until the client goes away). */
export async function runSequences(c: Context, ctx: ServeContext, seqs: Sequence[]): Promise<void> {
  await ctx.scheduler.submit(seqs, { signal: c.req.raw.signal });
}

/**
 * Streams the sequences: after each scheduler step that touched them, `chunks(final)` gives the events to send
 * (`final` once every sequence is done; then `[DONE]` follows). Queue refusals throw before the stream starts, so
 * they get a status code; a failure mid-stream is sent as an error event.
 */
export function streamSequences(c: Context, ctx: ServeContext, seqs: Sequence[], chunks: (final: boolean) => object[]): Response {
  const cancel = new AbortController();
  const signal = AbortSignal.any([c.req.raw.signal, cancel.signal]);
  let wake: (() => void) | null = null;
  let dirty = true;
  let finished = false;
  let failure: ApiError | null = null;
  const notify = () => {
    dirty = true;
    const w = wake;
    wake = null;
    w?.();
  };
  ctx.scheduler.submit(seqs, { onUpdate: notify, signal }).then(
    () => { finished = true; notify(); },
    (e: unknown) => { failure = toApiError(e); finished = true; notify(); },
  );
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => cancel.abort());
    while (!stream.aborted) {
      if (!dirty) await new Promise<void>((r) => { wake = r; });
      dirty = false;
      const final = finished;
      if (failure !== null) {
        await stream.writeSSE({ data: JSON.stringify((failure as ApiError).body()) });
        break;
      }
      for (const chunk of chunks(final)) await stream.writeSSE({ data: JSON.stringify(chunk) });
      if (final) {
        await stream.writeSSE({ data: "[DONE]" });
        break;
      }
    }
  }, async (e, stream) => {
    cancel.abort();
    await stream.writeSSE({ data: JSON.stringify(toApiError(e).body()) });
  });
}
