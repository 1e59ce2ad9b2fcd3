// The server's token-level thinking budgets give what src/inference's budgetForce gives (accounting "decrement")
// on the builtin engine: same completions, thinking tokens, extensions and forced ends (greedy decoding).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { BuiltinBackend } from "../../src/backends/builtin.js";
import { budgetForce } from "../../src/inference/budget-forcing.js";
import type { ThinkingDelimiters } from "../../src/inference/presets.js";
import { startServer, type ChatFormat, type RunningServer } from "../../src/server/index.js";
import { config, params, testModel, tokenizer } from "../sampling/model.js";
import { withExtras } from "./fixture.js";

/** As in the budget-forcing tests: thinking ends at "h"; the forced end appends "hc"; the extension is "ab". */
const d: ThinkingDelimiters = { thinkStart: "", thinkEnd: "h", beforeEnd: "", afterEnd: "", answerPrefix: "c", answerStops: [] };
const PROMPTS = ["abc", "gfe", "dd", "bhag", "e"];
const format: ChatFormat = { name: "test", source: "test", stop: [], keptStops: [], delimiters: d, render: () => "" };

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ name: "m", config, params, tokenizer, chatFormat: format, chatNote: "" }, { port: 0, threads: 1 });
});
afterAll(async () => { await server?.close(); });

interface Thinking { thinking_tokens: number; extensions: number; forced_end: boolean }

describe("thinking budgets = budgetForce (decrement)", () => {
  for (const [name, budget] of [
    ["maximum and 2 extensions", { max: 12, extensions: 2 }],
    ["minimum and maximum", { min: 9, max: 14 }],
  ] as const) {
    it(name, async () => {
      const { gen } = await testModel();
      const session = await new BuiltinBackend(gen).session(PROMPTS, { temperature: 0 });
      const ref = await budgetForce(session, {
        delimiters: d, extension: "ab", maxThinkingTokens: budget.max, extensions: "extensions" in budget ? budget.extensions : undefined,
        minThinkingTokens: "min" in budget ? budget.min : undefined, accounting: "decrement", maxAnswerTokens: 6,
      }, (t) => tokenizer.encode(t).length);
      const api = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "none", maxRetries: 0 });
      for (const [i, prompt] of PROMPTS.entries()) {
        const r = await api.completions.create(withExtras<OpenAI.CompletionCreateParamsNonStreaming>({
          model: "m", prompt, temperature: 0, max_tokens: 40, thinking_extension: "ab",
          max_thinking_tokens: budget.max, min_thinking_tokens: "min" in budget ? budget.min : undefined, thinking_extensions: "extensions" in budget ? budget.extensions : undefined,
        }));
        const choice = r.choices[0] as unknown as { text: string; thinking: Thinking };
        const want = ref[i];
        expect(choice.thinking, prompt).toEqual({ thinking_tokens: want.thinkingTokens, extensions: want.extensions, forced_end: want.forcedEnd });
        // the reference answer stops after 6 tokens (or eos); the server's goes on to max_tokens
        if (want.finishReason === "length") expect(choice.text.startsWith(want.completion), `${prompt}: ${choice.text} vs ${want.completion}`).toBe(true);
        else expect(choice.text).toBe(want.completion);
      }
      expect(ref.some((s) => s.extensions > 0)).toBe(true);
      if (name.startsWith("maximum")) expect(ref.some((s) => s.forcedEnd)).toBe(true);
    });
  }
});
