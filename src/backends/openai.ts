// The openai backend: any OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp server, `ratio serve`, OpenAI
// itself) through the official `openai` client. Raw-prompt completions (what budget forcing needs) and chat; n,
// temperature, top_p, max_tokens, stop, seed, logprobs. Several base URLs share the load (endpoints.ts), each with a
// concurrency limit; every request has a timeout and is retried with backoff on 429/408/5xx and refused connections
// (retry.ts). The API key comes from an environment variable and appears in no message.
//
// Per-sample token counts: with a tokenizer (the model's tokenizer.json) they are exact. Without one, n samples are
// asked as n requests of n = 1 (seeds seed, seed+1, …), because a server's `usage` sums over the choices of one request.
// Stop strings: the text ends before the stop string; with includeStopStrInOutput the string is put back when the
// server says which one matched (vLLM's `stop_reason`), as no vendor parameter is sent.
import OpenAI from "openai";
import type { Tokenizer } from "../model/tokenizer.js";
import { EndpointPool, type Endpoint } from "./endpoints.js";
import { ReplaySession } from "./replay-session.js";
import { MalformedResponseError, withRetries, type RetryOptions } from "./retry.js";
import type {
  Backend, ChatRequest, CompletionChoice, CompletionRequest, CompletionResult, ContinuationSession, FinishReason, SamplingRequest, SessionOptions,
} from "./types.js";

export interface OpenAIBackendOptions extends RetryOptions {
  /** one or more base URLs, e.g. http://127.0.0.1:8000/v1 */
  baseURLs: readonly string[];
  /** the served model's name */
  model: string;
  /** environment variable holding the API key (default OPENAI_API_KEY; unset → a placeholder for local servers) */
  apiKeyEnv?: string;
  /** requests in flight per base URL (default 8) */
  maxConcurrency?: number;
  /** per attempt, ms (default 600000) */
  timeoutMs?: number;
  /** the model's tokenizer, for exact token counts and cutting at token budgets */
  tokenizer?: Tokenizer;
}

const DEFAULT_TIMEOUT_MS = 600_000;

function checkURL(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`base URL "${url}" is not a URL (expected e.g. http://127.0.0.1:8000/v1)`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`base URL "${url}" must start with http:// or https://`);
  return url.replace(/\/+$/, "");
}

function finish(reason: unknown): FinishReason {
  return reason === "length" ? "length" : "stop";
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The choices array of an answer, or a MalformedResponseError naming what is missing. */
function choicesOf(body: unknown, field: (c: Record<string, unknown>) => unknown, what: string): Record<string, unknown>[] {
  if (!isRecord(body)) throw new MalformedResponseError(`expected a JSON object, got ${JSON.stringify(body)?.slice(0, 80)}`);
  if (!Array.isArray(body.choices) || body.choices.length === 0) throw new MalformedResponseError(`no "choices" array`);
  return body.choices.map((c, i) => {
    if (!isRecord(c)) throw new MalformedResponseError(`choices[${i}] is not an object`);
    if (typeof field(c) !== "string") throw new MalformedResponseError(`choices[${i}].${what} is not a string`);
    return c;
  });
}

function usageOf(body: unknown): { prompt: number | null; completion: number | null } {
  const u = isRecord(body) && isRecord(body.usage) ? body.usage : {};
  const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);
  return { prompt: num(u.prompt_tokens), completion: num(u.completion_tokens) };
}

export class OpenAIBackend implements Backend {
  readonly name: string;
  readonly tokenCounting;
  private readonly pool: EndpointPool<OpenAI>;
  private readonly timeoutMs: number;

  constructor(private readonly o: OpenAIBackendOptions) {
    if (!o.model) throw new Error("the served model's name is needed (--model-name)");
    const urls = o.baseURLs.map(checkURL);
    const envName = o.apiKeyEnv ?? "OPENAI_API_KEY";
    const key = process.env[envName];
    if (o.apiKeyEnv !== undefined && !key) throw new Error(`environment variable ${envName} (the API key) is not set`);
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const clients = urls.map((url) => ({ url, client: new OpenAI({ baseURL: url, apiKey: key || "EMPTY", timeout: this.timeoutMs, maxRetries: 0 }) }));
    this.pool = new EndpointPool(clients, o.maxConcurrency ?? 8);
    this.name = `openai:${o.model}@${urls.join(",")}`;
    this.tokenCounting = o.tokenizer ? ("tokenizer" as const) : ("server-usage" as const);
  }

  countTokens(text: string): number | null {
    return this.o.tokenizer ? this.o.tokenizer.encode(text).length : null;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const prompts = typeof req.prompt === "string" ? [req.prompt] : [...req.prompt];
    const perPrompt = await Promise.all(prompts.map((prompt, p) => this.samples(req, (n, seed) => this.completion(prompt, req, n, seed), p)));
    return {
      tokenCounting: this.tokenCounting,
      promptTokens: perPrompt.map((r, p) => (this.o.tokenizer ? this.o.tokenizer.encode(prompts[p]).length : r.promptTokens)),
      choices: perPrompt.flatMap((r) => r.choices),
    };
  }

  async chat(req: ChatRequest): Promise<CompletionResult> {
    const r = await this.samples(req, (n, seed) => this.chatCompletion(req, n, seed), 0);
    return { tokenCounting: this.tokenCounting, promptTokens: [r.promptTokens], choices: r.choices };
  }

  async session(prompts: readonly string[], opts: SessionOptions = {}): Promise<ContinuationSession> {
    return new ReplaySession({ complete: (r) => this.complete(r), tokenizer: this.o.tokenizer }, prompts, opts);
  }

  async close(): Promise<void> {}

  /** n samples of one prompt: one request with n (tokenizer known) or n requests of n = 1 (per-sample usage). */
  private async samples(
    req: SamplingRequest,
    one: (n: number, seed: number | undefined) => Promise<{ choices: Omit<CompletionChoice, "promptIndex" | "sampleIndex">[]; promptTokens: number | null }>,
    promptIndex: number,
  ): Promise<{ choices: CompletionChoice[]; promptTokens: number | null }> {
    const n = req.n ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new Error(`n must be an integer ≥ 1, got ${n}`);
    const parts = this.o.tokenizer || n === 1
      ? [await one(n, req.seed)]
      : await Promise.all(Array.from({ length: n }, (_, i) => one(1, req.seed === undefined ? undefined : req.seed + i)));
    const choices = parts.flatMap((p) => p.choices).map((c, sampleIndex) => ({ ...c, promptIndex, sampleIndex }));
    return { choices, promptTokens: parts[0].promptTokens };
  }

  private request<T>(path: string, call: (client: OpenAI) => Promise<unknown>, parse: (body: unknown) => T): Promise<T> {
    return withRetries<T>(
      () => this.pool.run(async (e: Endpoint<OpenAI>): Promise<{ value: T } | { error: unknown; where: string }> => {
        const where = `POST ${e.url}${path} (model ${this.o.model})`;
        try {
          return { value: parse(await call(e.client)) };
        } catch (error) {
          if (error instanceof OpenAI.APIConnectionError && !(error instanceof OpenAI.APIConnectionTimeoutError)) this.pool.markDown(e);
          return { error, where };
        }
      }),
      { ...this.o, timeoutMs: this.timeoutMs },
    );
  }

  private common(req: SamplingRequest, n: number, seed: number | undefined) {
    return {
      model: this.o.model, n, max_tokens: req.maxTokens,
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.topP !== undefined ? { top_p: req.topP } : {}),
      ...(req.stop && req.stop.length > 0 ? { stop: [...req.stop] } : {}),
      ...(seed !== undefined ? { seed } : {}),
    };
  }

  private completion(prompt: string, req: SamplingRequest, n: number, seed: number | undefined) {
    const body = { ...this.common(req, n, seed), prompt, ...(req.logprobs ? { logprobs: 1 } : {}) };
    return this.request("/completions", (c) => c.completions.create(body), (res) => {
      const choices = choicesOf(res, (c) => c.text, "text");
      const usage = usageOf(res);
      choices.sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
      return {
        promptTokens: usage.prompt,
        choices: choices.map((c) => {
          const lp = isRecord(c.logprobs) && Array.isArray(c.logprobs.token_logprobs) ? c.logprobs.token_logprobs.filter((x): x is number => typeof x === "number") : null;
          return this.choice(String(c.text), c, req, n === 1 ? usage.completion : null, lp);
        }),
      };
    });
  }

  private chatCompletion(req: ChatRequest, n: number, seed: number | undefined) {
    const body = { ...this.common(req, n, seed), messages: req.messages.map((m) => ({ role: m.role, content: m.content })), ...(req.logprobs ? { logprobs: true } : {}) };
    return this.request("/chat/completions", (c) => c.chat.completions.create(body), (res) => {
      const choices = choicesOf(res, (c) => (isRecord(c.message) ? (c.message.content ?? "") : undefined), "message.content");
      const usage = usageOf(res);
      choices.sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
      return {
        promptTokens: usage.prompt,
        choices: choices.map((c) => {
          const content = isRecord(c.logprobs) && Array.isArray(c.logprobs.content) ? c.logprobs.content : null;
          const lp = content ? content.map((t) => (isRecord(t) && typeof t.logprob === "number" ? t.logprob : NaN)) : null;
          return this.choice(String((c.message as Record<string, unknown>).content ?? ""), c, req, n === 1 ? usage.completion : null, lp);
        }),
      };
    });
  }

  private choice(text: string, c: Record<string, unknown>, req: SamplingRequest, serverTokens: number | null, logprobs: number[] | null) {
    const finishReason = finish(c.finish_reason);
    const stopReason = typeof c.stop_reason === "string" || typeof c.stop_reason === "number" ? c.stop_reason : null;
    const full = req.includeStopStrInOutput && finishReason === "stop" && typeof stopReason === "string" ? text + stopReason : text;
    const tokens = this.o.tokenizer ? this.o.tokenizer.encode(full).length : (serverTokens ?? logprobs?.length ?? null);
    return { text: full, tokens, finishReason, stopReason, logprobs: req.logprobs ? logprobs : null };
  }
}
