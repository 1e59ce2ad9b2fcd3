// Bad requests get OpenAI-style error JSON with the right status, and the server keeps serving after each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import type { RunningServer } from "../../src/server/index.js";
import { API_KEY, client, MODEL, testServer, withExtras, type Extra } from "./fixture.js";

let server: RunningServer;
let api: OpenAI;

beforeAll(async () => {
  server = await testServer({ apiKey: API_KEY, limits: { maxBodyBytes: 4096, maxN: 4 } });
  api = client(server);
});
afterAll(async () => { await server?.close(); });

interface Failure { status: number; code: unknown; param: unknown; type: unknown; message: string }

async function failure(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof OpenAI.APIError)) throw e;
    return { status: e.status as number, code: e.code, param: e.param, type: e.type, message: e.message };
  }
  throw new Error("the request succeeded");
}

const completion = (body: Extra, c: OpenAI = api) => c.completions.create(withExtras<OpenAI.CompletionCreateParamsNonStreaming>({ model: MODEL, prompt: "abc", max_tokens: 2, ...body }));
const chat = (body: Extra) => api.chat.completions.create(withExtras<OpenAI.ChatCompletionCreateParamsNonStreaming>({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2, ...body }));

/** POST with a raw body through fetch (the client only sends valid JSON). */
async function raw(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { error: Record<string, unknown> } }> {
  const r = await fetch(`${server.url}${path}`, { method: "POST", body, headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", ...headers } });
  return { status: r.status, json: (await r.json()) as { error: Record<string, unknown> } };
}

async function stillServing(): Promise<void> {
  const r = await completion({ temperature: 0 });
  expect(r.choices).toHaveLength(1);
}

describe("ratio serve: bad requests", () => {
  it("401 for a wrong or missing API key", async () => {
    expect(await failure(completion({}, client(server, "wrong")))).toMatchObject({ status: 401, code: "invalid_api_key" });
    const r = await fetch(`${server.url}/v1/models`);
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
    await stillServing();
  });

  it("404 for an unknown model or URL", async () => {
    expect(await failure(completion({ model: "gpt-4" }))).toMatchObject({ status: 404, param: "model", code: "model_not_found", type: "invalid_request_error" });
    expect(await failure(api.models.retrieve("nope"))).toMatchObject({ status: 404, code: "model_not_found" });
    const r = await fetch(`${server.url}/v1/embeddings`, { method: "POST", headers: { authorization: `Bearer ${API_KEY}` } });
    expect(r.status).toBe(404);
    expect((await r.json()) as unknown).toMatchObject({ error: { code: "unknown_url", type: "invalid_request_error" } });
    await stillServing();
  });

  it("400 for missing fields and wrong types, naming the parameter", async () => {
    const cases: [Extra, string, string][] = [
      [{ prompt: undefined }, "prompt", "missing_required_parameter"],
      [{ model: undefined }, "model", "missing_required_parameter"],
      [{ temperature: "hot" }, "temperature", "invalid_type"],
      [{ temperature: -1 }, "temperature", "invalid_value"],
      [{ n: 1.5 }, "n", "invalid_type"],
      [{ max_tokens: 0 }, "max_tokens", "invalid_value"],
      [{ top_p: 0 }, "top_p", "invalid_value"],
      [{ stop: [1] }, "stop", "invalid_value"],
      [{ prompt: 42 }, "prompt", "invalid_value"],
      [{ prompt: [] }, "prompt", "invalid_value"],
      [{ logprobs: 99 }, "logprobs", "invalid_value"],
      [{ seed: "x" }, "seed", "invalid_type"],
      [{ n: 5 }, "n", "invalid_value"],
      [{ presence_penalty: 0.5 }, "presence_penalty", "unsupported_parameter"],
      [{ echo: true }, "echo", "unsupported_parameter"],
      [{ min_thinking_tokens: 10, max_thinking_tokens: 5 }, "min_thinking_tokens", "invalid_value"],
    ];
    for (const [body, param, code] of cases) {
      const f = await failure(completion(body));
      expect(f, JSON.stringify(body)).toMatchObject({ status: 400, param, code, type: "invalid_request_error" });
    }
    expect(await failure(chat({ messages: "hi" }))).toMatchObject({ status: 400, param: "messages" });
    expect(await failure(chat({ messages: [{ role: "robot", content: "x" }] }))).toMatchObject({ status: 400, param: "messages.0.role" });
    expect(await failure(chat({ messages: [] }))).toMatchObject({ status: 400, param: "messages" });
    expect(await failure(chat({ top_logprobs: 2 }))).toMatchObject({ status: 400, param: "top_logprobs" });
    // fields the server cannot honour are refused, not dropped: no structured output, no tool calling
    expect(await failure(chat({ response_format: { type: "json_object" } }))).toMatchObject({ status: 400, param: "response_format", code: "unsupported_parameter" });
    expect(await failure(chat({ tools: [{ type: "function", function: { name: "f" } }] }))).toMatchObject({ status: 400, param: "tools", code: "unsupported_parameter" });
    expect(await failure(completion({ response_format: { type: "json_schema" } }))).toMatchObject({ status: 400, param: "response_format" });
    expect(await failure(chat({ response_format: "json" }))).toMatchObject({ status: 400, param: "response_format", code: "invalid_type" });
    for (const ok of [{ response_format: { type: "text" } }, { tools: [] }]) {
      expect((await chat(ok)).choices, JSON.stringify(ok)).toHaveLength(1);
    }
    await stillServing();
  });

  it("400 when prompt + max_tokens exceed the context", async () => {
    const ctx = server.limits.contextLength;
    expect(await failure(completion({ prompt: "a".repeat(ctx) }))).toMatchObject({ status: 400, param: "prompt", code: "context_length_exceeded" });
    expect(await failure(completion({ max_tokens: ctx }))).toMatchObject({ status: 400, param: "max_tokens", code: "context_length_exceeded" });
    expect(await failure(chat({ messages: [{ role: "user", content: "b".repeat(ctx) }] }))).toMatchObject({ status: 400, param: "messages", code: "context_length_exceeded" });
    await stillServing();
  });

  it("422 for text outside the vocabulary or token ids outside it", async () => {
    expect(await failure(completion({ prompt: "café" }))).toMatchObject({ status: 422, param: "prompt", code: "unencodable_prompt" });
    expect(await failure(completion({ prompt: [1, 100000] }))).toMatchObject({ status: 422, param: "prompt", code: "invalid_token_id" });
    await stillServing();
  });

  it("400 for bad JSON or a body that is not an object; 413 for an oversized body", async () => {
    const bad = await raw("/v1/completions", "{\"model\": ");
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "invalid_json", type: "invalid_request_error", param: null });
    expect(typeof bad.json.error.message).toBe("string");
    expect((await raw("/v1/chat/completions", "[1, 2]")).status).toBe(400);
    const big = await raw("/v1/completions", JSON.stringify({ model: MODEL, prompt: "a".repeat(10_000) }));
    expect(big.status).toBe(413);
    expect(big.json.error).toMatchObject({ code: "request_too_large" });
    await stillServing();
  });
});

describe("ratio serve: without a key, chat template or thinking delimiters", () => {
  let bare: RunningServer;
  beforeAll(async () => { bare = await testServer({ chatTemplate: "plain" }); });
  afterAll(async () => { await bare?.close(); });

  it("needs no key; 422 for thinking budgets without delimiters and multi-turn chat with a one-message template", async () => {
    const c = client(bare, "anything");
    expect((await c.models.list()).data[0].id).toBe(MODEL);
    expect(await failure(completion({ max_thinking_tokens: 4 }, c))).toMatchObject({ status: 422, param: "max_thinking_tokens", code: "no_thinking_delimiters" });
    const twoTurns = c.chat.completions.create({ model: MODEL, max_tokens: 2, messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }] });
    expect(await failure(twoTurns)).toMatchObject({ status: 422, param: "messages" });
    const one = await c.chat.completions.create({ model: MODEL, max_tokens: 3, temperature: 0, messages: [{ role: "user", content: "abc" }] });
    const same = await completion({ prompt: "abc", max_tokens: 3, temperature: 0 }, c);
    expect(one.choices[0].message.content).toBe(same.choices[0].text);
  });
});
