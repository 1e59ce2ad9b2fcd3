// Many clients at once: 50 concurrent requests (completions and chat, streamed and not, n 1–3, greedy and
// sampled) each get exactly what the same request gets alone; a client that goes away stops its generation; the
// server shuts down gracefully.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import type { RunningServer } from "../../src/server/index.js";
import { Rng } from "../../src/util/rng.js";
import { API_KEY, client, MODEL, testServer, withExtras, type Extra } from "./fixture.js";

let server: RunningServer;
let api: OpenAI;

beforeAll(async () => {
  server = await testServer({ apiKey: API_KEY });
  api = client(server);
});
afterAll(async () => { await server?.close(); });

interface Req {
  chat: boolean;
  stream: boolean;
  body: Extra;
}

interface Result {
  texts: string[];
  finish: string[];
}

function request(i: number): Req {
  const rng = new Rng(`serve-concurrency:${i}`);
  const letters = "abcdefghijklmnopqrstuvwxyz ";
  const prompt = Array.from({ length: 3 + rng.int(10) }, () => letters[rng.int(letters.length)]).join("");
  const body: Extra = { model: MODEL, n: 1 + (i % 3), temperature: [0, 0.7, 1][Math.floor(i / 3) % 3], seed: 1000 + i, max_tokens: 4 + ((i * 7) % 20) };
  if (i % 4 === 1) body.stop = ["e"];
  const chat = i % 5 === 0;
  if (chat) body.messages = [{ role: "user", content: prompt }];
  else body.prompt = prompt;
  return { chat, stream: i % 2 === 0, body };
}

async function run(req: Req, signal?: AbortSignal): Promise<Result> {
  const texts: string[] = [];
  const finish: string[] = [];
  const opts = { signal };
  if (req.chat && req.stream) {
    for await (const chunk of await api.chat.completions.create(withExtras<OpenAI.ChatCompletionCreateParamsStreaming>({ ...req.body, stream: true }), opts)) {
      for (const c of chunk.choices) {
        texts[c.index] = (texts[c.index] ?? "") + (c.delta.content ?? "");
        if (c.finish_reason) finish[c.index] = c.finish_reason;
      }
    }
  } else if (req.chat) {
    const r = await api.chat.completions.create(withExtras<OpenAI.ChatCompletionCreateParamsNonStreaming>(req.body), opts);
    for (const c of r.choices) { texts[c.index] = c.message.content ?? ""; finish[c.index] = c.finish_reason; }
  } else if (req.stream) {
    for await (const chunk of await api.completions.create(withExtras<OpenAI.CompletionCreateParamsStreaming>({ ...req.body, stream: true }), opts)) {
      for (const c of chunk.choices) {
        texts[c.index] = (texts[c.index] ?? "") + c.text;
        if (c.finish_reason) finish[c.index] = c.finish_reason;
      }
    }
  } else {
    const r = await api.completions.create(withExtras<OpenAI.CompletionCreateParamsNonStreaming>(req.body), opts);
    for (const c of r.choices) { texts[c.index] = c.text; finish[c.index] = c.finish_reason; }
  }
  return { texts, finish };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until no sequence runs or waits. */
async function idle(): Promise<void> {
  for (let i = 0; i < 1000 && (server.stats().running > 0 || server.stats().waiting > 0); i++) await sleep(5);
  expect(server.stats()).toMatchObject({ running: 0, waiting: 0 });
}

describe("ratio serve: concurrency", () => {
  it("50 concurrent requests: every response equals the same request sent alone", async () => {
    const reqs = Array.from({ length: 50 }, (_, i) => request(i));
    const together = await Promise.all(reqs.map((r) => run(r)));
    expect(server.stats().peakRunning).toBeGreaterThan(1); // they were batched
    for (let i = 0; i < reqs.length; i++) {
      const alone = await run(reqs[i]);
      expect(together[i], `request ${i}: ${JSON.stringify(reqs[i])}`).toEqual(alone);
      expect(alone.texts).toHaveLength(reqs[i].body.n as number);
    }
  });

  it("a streaming client that disconnects stops its generation; the next request is served", async () => {
    await idle();
    const before = server.stats().tokens;
    const max = 480;
    const ac = new AbortController();
    const stream = await api.completions.create(withExtras<OpenAI.CompletionCreateParamsStreaming>({ model: MODEL, prompt: "cancel me", max_tokens: max, ignore_eos: true, stream: true }), { signal: ac.signal });
    let chunks = 0;
    for await (const _ of stream) if (++chunks === 1) ac.abort(); // the client's stream ends quietly on abort
    expect(chunks).toBeLessThan(max);
    await idle();
    expect(server.stats().tokens - before).toBeLessThan(max / 2);
    const next = await api.completions.create({ model: MODEL, prompt: "next", max_tokens: 3 });
    expect(next.choices[0].text.length).toBeGreaterThan(0);
  });

  it("a non-streaming client that disconnects stops its generation too", async () => {
    await idle();
    const before = server.stats().tokens;
    const max = 480;
    const ac = new AbortController();
    const pending = api.completions.create(withExtras<OpenAI.CompletionCreateParamsNonStreaming>({ model: MODEL, prompt: "cancel me too", max_tokens: max, ignore_eos: true }), { signal: ac.signal });
    for (let i = 0; i < 1000 && server.stats().running === 0; i++) await sleep(2);
    ac.abort();
    await expect(pending).rejects.toThrow();
    await idle();
    expect(server.stats().tokens - before).toBeLessThan(max / 2);
    expect((await api.models.list()).data).toHaveLength(1);
  });

  it("503 when the queue is full, and for queued requests when the server shuts down", async () => {
    const small = await testServer({ limits: { maxRunning: 1, maxWaiting: 1, maxN: 1 }, shutdownGraceMs: 60_000 });
    const c = client(small, "none");
    const body = (prompt: string, max: number) => withExtras<OpenAI.CompletionCreateParamsNonStreaming>({ model: MODEL, prompt, max_tokens: max, ignore_eos: true });
    const first = await c.completions.create({ ...body("running", 400), stream: true });
    const chunks = first[Symbol.asyncIterator]();
    await chunks.next(); // the first request is running
    const queued = c.completions.create(body("queued", 2));
    for (let i = 0; i < 1000 && small.stats().waiting === 0; i++) await sleep(2);
    const refused = await c.completions.create(body("refused", 2)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 503, code: "overloaded", type: "server_error" });
    const closing = small.close();
    await expect(queued).rejects.toMatchObject({ status: 503, code: "shutting_down" });
    let rest = 0;
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) rest++; // the running one still finishes
    expect(rest).toBeGreaterThan(0);
    await closing;
  });

  it("close() lets a running stream finish, then refuses connections", async () => {
    const other = await testServer({});
    const c = client(other, "none");
    const stream = await c.completions.create(withExtras<OpenAI.CompletionCreateParamsStreaming>({ model: MODEL, prompt: "last words", max_tokens: 40, ignore_eos: true, stream: true, temperature: 0 }));
    let text = "";
    let finish: string | null = null;
    let closing: Promise<void> | undefined;
    for await (const chunk of stream) {
      closing ??= other.close();
      text += chunk.choices[0]?.text ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    await closing;
    expect(finish).toBe("length");
    const whole = await api.completions.create(withExtras<OpenAI.CompletionCreateParamsNonStreaming>({ model: MODEL, prompt: "last words", max_tokens: 40, ignore_eos: true, temperature: 0 }));
    expect(text).toBe(whole.choices[0].text);
    await expect(c.models.list()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });
});
