// The openai backend's failure paths against a tiny HTTP server on 127.0.0.1: retries with backoff on 500 and 429,
// timeouts, refused connections, malformed answers (not retried), 4xx (not retried), load balancing with a
// concurrency limit per endpoint, the API key from an environment variable (sent, never shown), per-sample usage.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { BackendError, OpenAIBackend } from "../../src/backends/index.js";

type Handler = (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => { data += c; });
    req.on("end", () => handler(data ? (JSON.parse(data) as Record<string, unknown>) : {}, req, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(value));
}

function completion(text: string, extra: Record<string, unknown> = {}, usage = { prompt_tokens: 3, completion_tokens: 2 }) {
  return { id: "cmpl-1", object: "text_completion", created: 0, model: "m", choices: [{ index: 0, text, finish_reason: "stop", logprobs: null, ...extra }], usage };
}

const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe("openai backend: failures", () => {
  it("retries 500 and 429 (Retry-After) and then succeeds", async () => {
    let calls = 0;
    const url = await serve((_b, _q, res) => {
      calls++;
      if (calls === 1) return json(res, 500, { error: { message: "boom" } });
      if (calls === 2) return json(res, 429, { error: { message: "slow down" } }, { "retry-after": "0" });
      json(res, 200, completion("ok"));
    });
    const b = new OpenAIBackend({ baseURLs: [url], model: "m", ...fast });
    const r = await b.complete({ prompt: "hi", maxTokens: 4 });
    expect(r.choices[0].text).toBe("ok");
    expect(calls).toBe(3);
  });

  it("gives up after the retries with an error naming the endpoint, the status and the attempts", async () => {
    let calls = 0;
    const url = await serve((_b, _q, res) => { calls++; json(res, 503, { error: { message: "overloaded" } }); });
    const b = new OpenAIBackend({ baseURLs: [url], model: "m", ...fast, retries: 2 });
    const err = await b.complete({ prompt: "hi", maxTokens: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(new RegExp(`POST ${url.replace(/[/.]/g, "\\$&")}/completions \\(model m\\): HTTP 503.*\\(3 attempts\\)`));
    expect(calls).toBe(3);
  });

  it("times out a server that never answers", async () => {
    const url = await serve(() => { /* never answers */ });
    const b = new OpenAIBackend({ baseURLs: [url], model: "m", timeoutMs: 150, retries: 1, baseDelayMs: 1, maxDelayMs: 2 });
    await expect(b.complete({ prompt: "hi", maxTokens: 4 })).rejects.toThrow(/no answer within 150 ms \(timeout\) \(2 attempts\)/);
  });

  it("says the server is down when the connection is refused", async () => {
    const url = await serve((_b, _q, res) => json(res, 200, completion("x")));
    const server = servers.pop()!;
    await new Promise<void>((r) => server.close(() => r()));
    const b = new OpenAIBackend({ baseURLs: [url], model: "m", ...fast, retries: 1 });
    await expect(b.complete({ prompt: "hi", maxTokens: 4 })).rejects.toThrow(/cannot connect.*is the server running\?/);
  });

  it("does not retry a malformed answer or a 400, and says what was wrong", async () => {
    let calls = 0;
    const url = await serve((body, _q, res) => {
      calls++;
      if (body.prompt === "garbage") { res.writeHead(200, { "content-type": "application/json" }); return res.end("{not json"); }
      if (body.prompt === "shape") return json(res, 200, { choices: [{ index: 0, finish_reason: "stop" }] });
      if (body.prompt === "empty") return json(res, 200, { object: "text_completion" });
      json(res, 400, { error: { message: "max_tokens is too large" } });
    });
    const b = new OpenAIBackend({ baseURLs: [url], model: "m", ...fast });
    await expect(b.complete({ prompt: "garbage", maxTokens: 4 })).rejects.toThrow(/malformed answer/);
    await expect(b.complete({ prompt: "shape", maxTokens: 4 })).rejects.toThrow(/malformed answer: choices\[0\]\.text is not a string/);
    await expect(b.complete({ prompt: "empty", maxTokens: 4 })).rejects.toThrow(/malformed answer: no "choices" array/);
    await expect(b.complete({ prompt: "bad", maxTokens: 4 })).rejects.toThrow(/HTTP 400: .*max_tokens is too large/);
    expect(calls).toBe(4);
  });

  it("spreads requests over base URLs with at most maxConcurrency in flight per endpoint", async () => {
    const stats = [0, 1].map(() => ({ now: 0, max: 0, total: 0 }));
    const urls = await Promise.all(stats.map((s) => serve((_b, _q, res) => {
      s.now++; s.total++; s.max = Math.max(s.max, s.now);
      setTimeout(() => { s.now--; json(res, 200, completion("x")); }, 20);
    })));
    const b = new OpenAIBackend({ baseURLs: urls, model: "m", maxConcurrency: 2, ...fast });
    await Promise.all(Array.from({ length: 12 }, () => b.complete({ prompt: "p", maxTokens: 1 })));
    expect(stats.map((s) => s.total)).toEqual([6, 6]);
    for (const s of stats) expect(s.max).toBeLessThanOrEqual(2);
  });

  it("sends the API key from the named environment variable and never shows it", async () => {
    let auth = "";
    const url = await serve((_b, req, res) => { auth = String(req.headers.authorization); json(res, 401, { error: { message: "bad key" } }); });
    process.env.RATIO_TEST_KEY = "sk-secret-123";
    try {
      const b = new OpenAIBackend({ baseURLs: [url], model: "m", apiKeyEnv: "RATIO_TEST_KEY", ...fast });
      const err = (await b.complete({ prompt: "p", maxTokens: 1 }).catch((e: unknown) => e)) as Error;
      expect(auth).toBe("Bearer sk-secret-123");
      expect(err.message).toMatch(/HTTP 401/);
      expect(err.message).not.toContain("sk-secret");
      expect(b.name).not.toContain("sk-secret");
    } finally {
      delete process.env.RATIO_TEST_KEY;
    }
    expect(() => new OpenAIBackend({ baseURLs: [url], model: "m", apiKeyEnv: "RATIO_TEST_KEY" })).toThrow(/environment variable RATIO_TEST_KEY \(the API key\) is not set/);
    expect(() => new OpenAIBackend({ baseURLs: ["ftp://x"], model: "m" })).toThrow(/must start with http/);
  });

  it("without a tokenizer, n samples are n requests (seeds s, s+1, …) so each has its own usage count", async () => {
    const seen: Record<string, unknown>[] = [];
    const url = await serve((body, _q, res) => {
      seen.push(body);
      json(res, 200, completion(`s${String(body.seed)}`, { stop_reason: "</a>" }, { prompt_tokens: 5, completion_tokens: Number(body.seed) }));
    });
    const b = new OpenAIBackend({ baseURLs: [url], model: "m", ...fast });
    const r = await b.complete({ prompt: "p", n: 3, seed: 10, maxTokens: 8, includeStopStrInOutput: true, stop: ["</a>"] });
    expect(seen.map((s) => s.n)).toEqual([1, 1, 1]);
    expect(r.choices.map((c) => [c.sampleIndex, c.text, c.tokens])).toEqual([[0, "s10</a>", 10], [1, "s11</a>", 11], [2, "s12</a>", 12]]);
    expect(r.tokenCounting).toBe("server-usage");
    expect(r.promptTokens).toEqual([5]);
  });
});
