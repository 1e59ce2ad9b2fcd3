// Retries of server requests: 429, 408 and 5xx answers, timeouts and refused connections are retried with
// exponential backoff and jitter,
//   delay(attempt) = min(maxDelayMs, baseDelayMs · 2^attempt) · u,  u ~ U[0.5, 1)
// or the server's Retry-After when it gives one (capped at maxDelayMs). Anything else (400, 401, 404, a malformed
// answer) fails at once: retrying cannot fix it. The final error names the endpoint, the attempts and the cause.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";

export interface RetryOptions {
  /** retries after the first attempt (default 3) */
  retries?: number;
  /** default 500 */
  baseDelayMs?: number;
  /** default 10000 */
  maxDelayMs?: number;
}

/** A backend failure meant for the user: one line naming the endpoint and the cause (never a key). */
export class BackendError extends Error {
  override name = "BackendError";
  constructor(
    message: string,
    /** HTTP status when the server answered */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A server answered 200 with something that is not the expected JSON. */
export class MalformedResponseError extends Error {
  override name = "MalformedResponseError";
}

export interface Failure {
  retryable: boolean;
  /** the connection failed (the endpoint is down) */
  down: boolean;
  reason: string;
  status?: number;
  retryAfterMs?: number;
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const v = headers?.get("retry-after");
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The error code of the deepest cause (ECONNREFUSED, ENOTFOUND, …), else its message ("bad port"). */
function rootCause(e: unknown): string | undefined {
  let c: unknown = (e as { cause?: unknown }).cause;
  let found: string | undefined;
  for (let i = 0; i < 6 && c instanceof Error; i++) {
    const code = (c as NodeJS.ErrnoException).code;
    found = typeof code === "string" ? code : c.message || found;
    if (typeof code === "string") break;
    c = (c as Error & { cause?: unknown }).cause;
  }
  return found;
}

/** What a thrown error means for a retry. */
export function classify(e: unknown, timeoutMs: number): Failure {
  if (e instanceof APIConnectionTimeoutError) return { retryable: true, down: false, reason: `no answer within ${timeoutMs} ms (timeout)` };
  if (e instanceof APIConnectionError) {
    const cause = rootCause(e);
    return { retryable: true, down: true, reason: `cannot connect${cause ? ` (${cause})` : ""}: is the server running?` };
  }
  if (e instanceof APIError && typeof e.status === "number") {
    const status = e.status;
    const msg = (e.message || "").split("\n")[0].slice(0, 300);
    const retryable = status === 429 || status === 408 || status >= 500;
    return { retryable, down: false, status, reason: `HTTP ${status}${msg ? `: ${msg}` : ""}`, retryAfterMs: retryable ? retryAfter(e.headers) : undefined };
  }
  if (e instanceof MalformedResponseError) return { retryable: false, down: false, reason: `malformed answer: ${e.message}` };
  if (e instanceof SyntaxError) return { retryable: false, down: false, reason: `malformed answer: not JSON (${e.message.slice(0, 200)})` };
  return { retryable: false, down: false, reason: e instanceof Error ? e.message : String(e) };
}

export function backoffDelay(attempt: number, o: RetryOptions, u = 0.5 + 0.5 * Math.random()): number {
  const base = o.baseDelayMs ?? 500;
  const max = o.maxDelayMs ?? 10_000;
  return Math.min(max, base * 2 ** attempt) * u;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or the retries are spent. `onFailure` sees every
 * failure (to mark an endpoint down); `where` names the request in the final error.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<{ value: T } | { error: unknown; where: string }>,
  o: RetryOptions & { timeoutMs: number },
): Promise<T> {
  const retries = o.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0) throw new Error(`retries must be an integer ≥ 0, got ${retries}`);
  for (let n = 0; ; n++) {
    const r = await attempt(n);
    if ("value" in r) return r.value;
    const f = classify(r.error, o.timeoutMs);
    if (!f.retryable || n >= retries) {
      const tries = n + 1;
      throw new BackendError(`${r.where}: ${f.reason}${f.retryable ? ` (${tries} attempt${tries > 1 ? "s" : ""})` : ""}`, f.status);
    }
    await sleep(Math.min(o.maxDelayMs ?? 10_000, f.retryAfterMs ?? backoffDelay(n, o)));
  }
}
