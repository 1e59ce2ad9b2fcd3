// `ratio serve` through the official openai client: models, completions and chat, whole and streamed, seeds,
// stop strings, logprobs, usage; outputs equal the Generator's for the same prompt, seed and settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type OpenAI from "openai";
import { Generator } from "../../src/sampling/generate.js";
import { qwen3Template } from "../../src/templates/index.js";
import type { RunningServer } from "../../src/server/index.js";
import { API_KEY, client, config, MODEL, params, testServer, tokenizer, withExtras, type Extra } from "./fixture.js";

let server: RunningServer;
let api: OpenAI;
let gen: Generator;

beforeAll(async () => {
  server = await testServer({ apiKey: API_KEY });
  api = client(server);
  gen = await Generator.create({ config, params, tokenizer, frozen: true, threads: 1 });
});
afterAll(async () => { await server?.close(); });

const complete = (body: Extra) => api.completions.create(withExtras<OpenAI.CompletionCreateParamsNonStreaming>({ model: MODEL, ...body }));

async function streamText(body: Extra): Promise<{ texts: string[]; finish: (string | null)[]; usage: OpenAI.CompletionUsage | undefined; chunks: number }> {
  const stream = await api.completions.create(withExtras<OpenAI.CompletionCreateParamsStreaming>({ model: MODEL, ...body, stream: true }));
  const texts: string[] = [];
  const finish: (string | null)[] = [];
  let usage: OpenAI.CompletionUsage | undefined;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      texts[c.index] = (texts[c.index] ?? "") + c.text;
      if (c.finish_reason) finish[c.index] = c.finish_reason;
    }
  }
  return { texts, finish, usage, chunks };
}

describe("ratio serve: models", () => {
  it("lists and retrieves the served model", async () => {
    const list = await api.models.list();
    expect(list.data.map((m) => m.id)).toEqual([MODEL]);
    expect((await api.models.retrieve(MODEL)).id).toBe(MODEL);
  });
});

describe("ratio serve: completions", () => {
  it("greedy completion equals the Generator's, with usage counts", async () => {
    const r = await complete({ prompt: "the cat", max_tokens: 12, temperature: 0 });
    const [g] = await gen.generate(["the cat"], { temperature: 0, maxTokens: 12 });
    expect(r.object).toBe("text_completion");
    expect(r.choices).toHaveLength(1);
    expect(r.choices[0].text).toBe(g.text);
    expect(r.choices[0].finish_reason).toBe(g.finishReason);
    expect(r.usage).toEqual({ prompt_tokens: 8, completion_tokens: g.tokenIds.length, total_tokens: 8 + g.tokenIds.length });
  });

  it("same seed → same samples (and the Generator's); another seed → others", async () => {
    const body = { prompt: "Hello", n: 3, max_tokens: 10, temperature: 1, seed: 42 };
    const a = await complete(body);
    const b = await complete(body);
    const c = await complete({ ...body, seed: 43 });
    const texts = (r: OpenAI.Completion) => r.choices.map((x) => x.text);
    expect(texts(a)).toEqual(texts(b));
    expect(texts(c)).not.toEqual(texts(a));
    const g = await gen.generate(["Hello"], { n: 3, maxTokens: 10, temperature: 1, seed: 42 });
    expect(texts(a)).toEqual(g.map((x) => x.text));
  });

  it("several prompts (text and token ids) number their choices prompt by prompt", async () => {
    const ids = [tokenizer.bosId as number, ...tokenizer.encode("xyz")];
    const r = await complete({ prompt: ["abc", "xyz"], n: 2, max_tokens: 6, temperature: 0.8, seed: 5 });
    const byIds = await complete({ prompt: ids, n: 2, max_tokens: 6, temperature: 0.8, seed: 5 });
    const g = await gen.generate(["abc", "xyz"], { n: 2, maxTokens: 6, temperature: 0.8, seed: 5 });
    expect(r.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(r.choices.map((c) => c.text)).toEqual(g.map((x) => x.text));
    // token ids are used as given (no bos added)
    const alone = await gen.generate([ids], { n: 2, maxTokens: 6, temperature: 0.8, seed: 5 });
    expect(byIds.choices.map((c) => c.text)).toEqual(alone.map((x) => x.text));
  });

  it("streams the same text as the whole response, then usage and [DONE]", async () => {
    const body = { prompt: "stream me", n: 2, max_tokens: 15, temperature: 0.9, seed: 9 };
    const whole = await complete(body);
    const s = await streamText({ ...body, stream_options: { include_usage: true } });
    expect(s.texts).toEqual(whole.choices.map((c) => c.text));
    expect(s.finish).toEqual(whole.choices.map((c) => c.finish_reason));
    expect(s.usage).toEqual(whole.usage);
    expect(s.chunks).toBeGreaterThan(2);
  });

  it("cuts at the first stop string (OpenAI semantics), or keeps it with include_stop_str_in_output", async () => {
    const free = (await complete({ prompt: "abc", max_tokens: 30, temperature: 0 })).choices[0].text;
    const stop = [...free].find((ch, i) => i >= 2 && ch.trim() !== "" && !"<>".includes(ch));
    expect(stop, `no usable stop character in ${JSON.stringify(free)}`).toBeDefined();
    const at = free.indexOf(stop as string);
    const r = await complete({ prompt: "abc", max_tokens: 30, temperature: 0, stop: [stop, "unseen stop"] });
    expect(r.choices[0].text).toBe(free.slice(0, at));
    expect(r.choices[0].finish_reason).toBe("stop");
    expect((r.choices[0] as unknown as Extra).stop_reason).toBe(stop);
    const kept = await complete({ prompt: "abc", max_tokens: 30, temperature: 0, stop, include_stop_str_in_output: true });
    expect(kept.choices[0].text).toBe(free.slice(0, at + 1));
    const streamed = await streamText({ prompt: "abc", max_tokens: 30, temperature: 0, stop: [stop] });
    expect(streamed.texts).toEqual([free.slice(0, at)]);
  });

  it("a sample ended by its first token (max_tokens 1, a stop string) gets no second token", async () => {
    const body = { prompt: ["one", "two"], n: 2, temperature: 1, seed: 11 };
    const g = await gen.generate(["one", "two"], { n: 2, maxTokens: 1, temperature: 1, seed: 11 });
    const r = await complete({ ...body, max_tokens: 1, logprobs: 0 });
    expect(r.choices.map((c) => c.text)).toEqual(g.map((x) => x.text));
    expect(r.choices.map((c) => c.logprobs?.tokens?.length)).toEqual(g.map(() => 1));
    expect(r.choices.map((c) => c.finish_reason)).toEqual(g.map((x) => x.finishReason));
    expect(r.usage?.completion_tokens).toBe(4);
    // a stop string that the first sampled character matches: an empty text from one token
    const first = g[0].text;
    const stopped = await complete({ prompt: "one", temperature: 1, seed: 11, max_tokens: 8, stop: [first] });
    expect(stopped.choices[0].text).toBe("");
    expect(stopped.choices[0].finish_reason).toBe("stop");
    expect(stopped.usage?.completion_tokens).toBe(1);
  });

  it("logprobs: the sampled token's log-probability (the Generator's), top alternatives and text offsets", async () => {
    const r = await complete({ prompt: "log", max_tokens: 8, temperature: 0, logprobs: 3 });
    const [g] = await gen.generate(["log"], { temperature: 0, maxTokens: 8 });
    const lp = r.choices[0].logprobs;
    expect(lp).toBeTruthy();
    if (!lp?.tokens || !lp.token_logprobs || !lp.top_logprobs || !lp.text_offset) throw new Error("logprobs fields missing");
    const n = g.finishReason === "stop" ? g.tokenIds.length - 1 : g.tokenIds.length;
    expect(lp.tokens).toHaveLength(n);
    expect(lp.tokens.join("")).toBe(r.choices[0].text);
    lp.token_logprobs.forEach((x, i) => expect(x).toBeCloseTo(g.logprobs[i], 5));
    let offset = 0;
    lp.tokens.forEach((t, i) => {
      expect(lp.text_offset?.[i]).toBe(offset);
      offset += t.length;
      const top = Object.entries(lp.top_logprobs?.[i] ?? {});
      expect(top.length).toBeGreaterThan(0);
      expect(top.length).toBeLessThanOrEqual(3);
      for (let k = 1; k < top.length; k++) expect(top[k - 1][1]).toBeGreaterThanOrEqual(top[k][1]);
      expect(top[0][1]).toBeCloseTo(lp.token_logprobs?.[i] ?? NaN, 5); // greedy: the sampled token is the top one
    });
    const streamed = await api.completions.create({ model: MODEL, prompt: "log", max_tokens: 8, temperature: 0, logprobs: 3, stream: true });
    const tokens: string[] = [];
    const offsets: number[] = [];
    for await (const chunk of streamed) {
      for (const c of chunk.choices) {
        tokens.push(...(c.logprobs?.tokens ?? []));
        offsets.push(...(c.logprobs?.text_offset ?? []));
      }
    }
    expect(tokens).toEqual(lp.tokens);
    expect(offsets).toEqual(lp.text_offset); // chunk after chunk, offsets continue from the last chunk's end
  });
});

describe("ratio serve: chat", () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi there" }];

  it("renders the chat template and samples like a completion of the rendered prompt", async () => {
    const r = await api.chat.completions.create({ model: MODEL, messages, max_tokens: 12, temperature: 0.7, seed: 3 });
    const prompt = qwen3Template.render("Hi there", { system: "Be brief." });
    const plain = await complete({ prompt, max_tokens: 12, temperature: 0.7, seed: 3, stop: ["<|im_end|>"] });
    expect(r.object).toBe("chat.completion");
    expect(r.choices[0].message.role).toBe("assistant");
    expect(r.choices[0].message.content).toBe(plain.choices[0].text);
    expect(r.usage?.prompt_tokens).toBe(plain.usage?.prompt_tokens);
  });

  it("streams role, content deltas and finish_reason; the same content as the whole response", async () => {
    const body = { model: MODEL, messages, max_tokens: 14, temperature: 1, seed: 11, n: 2 };
    const whole = await api.chat.completions.create(body);
    const stream = await api.chat.completions.create({ ...body, stream: true });
    const content: string[] = [];
    const roles: string[] = [];
    const finish: string[] = [];
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        if (c.delta.role) roles[c.index] = c.delta.role;
        content[c.index] = (content[c.index] ?? "") + (c.delta.content ?? "");
        if (c.finish_reason) finish[c.index] = c.finish_reason;
      }
    }
    expect(roles).toEqual(["assistant", "assistant"]);
    expect(content).toEqual(whole.choices.map((c) => c.message.content));
    expect(finish).toEqual(whole.choices.map((c) => c.finish_reason));
  });

  it("logprobs: true with top_logprobs gives one entry per content token", async () => {
    const r = await api.chat.completions.create({ model: MODEL, messages, max_tokens: 6, temperature: 0, logprobs: true, top_logprobs: 2 });
    const content = r.choices[0].logprobs?.content ?? [];
    expect(content.map((t) => t.token).join("")).toBe(r.choices[0].message.content);
    for (const t of content) {
      expect(t.top_logprobs).toHaveLength(2);
      expect(t.logprob).toBeCloseTo(t.top_logprobs[0].logprob, 5);
      expect(t.bytes).toEqual(Array.from(new TextEncoder().encode(t.token)));
    }
  });
});
