// One scheduler step's generation rounds over a Backend. "reprompt": every ready thread completes prompt + text;
// with `batch` the threads that share a token cap go to the backend as one call with several prompts (the builtin
// engine decodes them in one batch; the OpenAI backend sends them as concurrent requests), and a call that throws
// is retried thread by thread so one bad thread fails alone. "session": each thread keeps a continuation session
// (the builtin engine reuses its key/value cache; servers are resent prompt + text) and its forced text is appended.
import type { Backend, CompletionRequest, ContinuationSession, FinishReason } from "../../backends/types.js";

export interface RoundRequest {
  /** index of the thread in the step (results come back in the same order) */
  index: number;
  prompt: string;
  text: string;
  /** forced text not yet sent to the thread's session */
  pending: string;
  maxTokens: number;
  seed: number | undefined;
  session: ContinuationSession | null;
}

export type RoundResult = { ok: true; text: string; tokens: number; finish: FinishReason } | { ok: false; error: string };

export interface RoundOptions {
  stop: readonly string[];
  temperature?: number;
  topP?: number;
  batch: boolean;
  concurrency: number;
}

/** Runs tasks with at most `limit` in flight; results in task order. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return out;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0];

function tokensOf(backend: Backend, text: string, reported: number | null): number {
  const n = reported ?? backend.countTokens(text);
  if (n === null) throw new Error(`backend ${backend.name} reports no token count and has no tokenizer`);
  return n;
}

async function completeMany(backend: Backend, reqs: readonly RoundRequest[], o: RoundOptions): Promise<RoundResult[]> {
  const request: CompletionRequest = {
    prompt: reqs.map((r) => r.prompt + r.text), maxTokens: reqs[0].maxTokens, stop: o.stop, includeStopStrInOutput: true,
    temperature: o.temperature, topP: o.topP, seed: reqs[0].seed,
  };
  const res = await backend.complete(request);
  return reqs.map((_, i) => {
    const c = res.choices.find((x) => x.promptIndex === i && x.sampleIndex === 0);
    if (!c) throw new Error(`backend ${backend.name} returned no choice for prompt ${i}`);
    return { ok: true as const, text: c.text, tokens: tokensOf(backend, c.text, c.tokens), finish: c.finishReason };
  });
}

async function one(backend: Backend, r: RoundRequest, o: RoundOptions): Promise<RoundResult> {
  try {
    if (r.session) {
      const [c] = await r.session.continue([{ row: 0, append: r.pending || undefined, maxTokens: r.maxTokens, stop: o.stop, includeStopStrInOutput: true }]);
      return { ok: true, text: c.text, tokens: tokensOf(backend, c.text, c.tokens), finish: c.finishReason };
    }
    return (await completeMany(backend, [r], o))[0];
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

/** One round for every request; never throws (a failed round is a result with its error). */
export async function runRounds(backend: Backend, reqs: readonly RoundRequest[], o: RoundOptions): Promise<RoundResult[]> {
  const out = new Array<RoundResult>(reqs.length);
  if (!o.batch || reqs.some((r) => r.session)) {
    const results = await pool(reqs.map((r) => () => one(backend, r, o)), o.concurrency);
    results.forEach((res, i) => (out[i] = res));
    return out;
  }
  // batch: one call per distinct cap, in order of first appearance
  const groups = new Map<number, RoundRequest[]>();
  reqs.forEach((r) => groups.set(r.maxTokens, [...(groups.get(r.maxTokens) ?? []), r]));
  const positions = new Map(reqs.map((r, i) => [r, i] as const));
  await pool([...groups.values()].map((g) => async () => {
    let results: RoundResult[];
    try {
      results = await completeMany(backend, g, o);
    } catch {
      results = await pool(g.map((r) => () => one(backend, r, o)), o.concurrency);
    }
    g.forEach((r, k) => (out[positions.get(r)!] = results[k]));
  }), o.concurrency);
  return out;
}
