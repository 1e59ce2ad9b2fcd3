// The openai backend against `ratio serve` (the official client on both sides of the wire): completions equal the
// builtin backend's on the same checkpoint (greedy), per-sample usage counts, chat, log-probabilities, and budget
// forcing over the server (each round re-sent as prompt + text) equals budget forcing on the builtin engine's
// KV-cache session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuiltinBackend } from "../../src/backends/builtin.js";
import { OpenAIBackend } from "../../src/backends/openai.js";
import { budgetForce } from "../../src/inference/budget-forcing.js";
import type { ThinkingDelimiters } from "../../src/inference/presets.js";
import type { RunningServer } from "../../src/server/index.js";
import { API_KEY, checkpointDir, MODEL, testServer, tokenizer } from "../server/fixture.js";

let server: RunningServer;
let builtin: BuiltinBackend;
beforeAll(async () => {
  server = await testServer({ apiKey: API_KEY });
  builtin = await BuiltinBackend.load(await checkpointDir());
});
afterAll(async () => { await server?.close(); });

function backend(withTokenizer: boolean): OpenAIBackend {
  process.env.RATIO_SERVE_TEST_KEY = API_KEY;
  return new OpenAIBackend({
    baseURLs: [`${server.url}/v1`], model: MODEL, apiKeyEnv: "RATIO_SERVE_TEST_KEY", tokenizer: withTokenizer ? tokenizer : undefined,
    retries: 1, baseDelayMs: 1, timeoutMs: 60_000,
  });
}

const PROMPTS = ["The answer is", "abc <think>"];

describe("openai backend ↔ ratio serve", () => {
  it("greedy completions equal the builtin backend's; usage gives per-sample counts", async () => {
    const req = { prompt: PROMPTS, n: 2, temperature: 0, maxTokens: 12 };
    const [viaServer, local] = await Promise.all([backend(false).complete(req), builtin.complete(req)]);
    expect(viaServer.tokenCounting).toBe("server-usage");
    expect(viaServer.choices.map((c) => [c.promptIndex, c.sampleIndex, c.text])).toEqual(local.choices.map((c) => [c.promptIndex, c.sampleIndex, c.text]));
    expect(viaServer.choices.map((c) => c.tokens)).toEqual(local.choices.map((c) => c.tokens));
    expect(viaServer.promptTokens).toEqual(local.promptTokens);
  });

  it("log-probabilities and stop strings", async () => {
    const b = backend(true);
    const r = await b.complete({ prompt: "The answer is", temperature: 0, maxTokens: 12, logprobs: true });
    const l = await builtin.complete({ prompt: "The answer is", temperature: 0, maxTokens: 12, logprobs: true });
    expect(r.choices[0].logprobs).toHaveLength(l.choices[0].logprobs!.length);
    r.choices[0].logprobs!.forEach((x, i) => expect(x).toBeCloseTo(l.choices[0].logprobs![i], 3));
    const text = l.choices[0].text;
    const stop = text.slice(3, 5);
    const cut = await b.complete({ prompt: "The answer is", temperature: 0, maxTokens: 12, stop: [stop] });
    expect(cut.choices[0].text).toBe(text.slice(0, text.indexOf(stop)));
    expect(cut.choices[0].finishReason).toBe("stop");
  });

  it("chat completions", async () => {
    const r = await backend(false).chat({ messages: [{ role: "user", content: "hi" }], temperature: 0, maxTokens: 6, n: 2 });
    expect(r.choices).toHaveLength(2);
    expect(r.choices[0].text).toBe(r.choices[1].text);
    expect(r.choices[0].tokens).toBeGreaterThan(0);
  });

  it("budget forcing over the server equals budget forcing on the builtin KV-cache session (greedy)", async () => {
    // the random model writes "j8" often: as the end of thinking it makes rounds stop early, so extensions happen
    const d: ThinkingDelimiters = { thinkStart: "<think>", thinkEnd: "j8", afterEnd: "\n", answerPrefix: "Final Answer:", answerStops: [] };
    const prompts = ["Q: one and one? <think>", "Q: why? <think>", "x <think>"];
    for (const accounting of ["decrement", "truncate"] as const) {
      const o = { delimiters: d, extensions: 2, extension: " Wait", maxThinkingTokens: 24, accounting, maxAnswerTokens: 8 };
      const remote = backend(true);
      const viaServer = await budgetForce(await remote.session(prompts, { temperature: 0 }), o, (t) => remote.countTokens(t));
      const local = await budgetForce(await builtin.session(prompts, { temperature: 0 }), o, (t) => builtin.countTokens(t));
      expect(viaServer.map((s) => s.completion)).toEqual(local.map((s) => s.completion));
      expect(viaServer.map((s) => [s.thinkingTokens, s.extensions, s.forcedEnd])).toEqual(local.map((s) => [s.thinkingTokens, s.extensions, s.forcedEnd]));
      expect(local.every((s) => s.thinkingTokens! <= 24)).toBe(true);
      expect(local.some((s) => s.extensions > 0)).toBe(true);
      expect(local.some((s) => s.forcedEnd)).toBe(true);
    }
  });
});
