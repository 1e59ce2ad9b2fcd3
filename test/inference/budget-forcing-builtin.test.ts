// Budget forcing on the builtin engine: the session that reuses the KV cache (one prefill for all rounds) gives
// exactly the traces of re-running prompt + text through the engine every round (greedy), under both accountings.
import { describe, expect, it, vi } from "vitest";
import { BuiltinBackend } from "../../src/backends/builtin.js";
import { ReplaySession } from "../../src/backends/replay-session.js";
import type { CompiledGraph } from "../../src/engine/index.js";
import { budgetForce, type BudgetForcingOptions } from "../../src/inference/budget-forcing.js";
import type { ThinkingDelimiters } from "../../src/inference/presets.js";
import { testModel, tokenizer } from "../sampling/model.js";

/** Delimiters inside the test model's alphabet (a…h): thinking ends at "h"; the extension is "ab". */
const d: ThinkingDelimiters = { thinkStart: "", thinkEnd: "h", beforeEnd: "", afterEnd: "", answerPrefix: "c", answerStops: [] };
const PROMPTS = ["abc", "gfe", "dd", "bhag", "e"];

async function both(o: BudgetForcingOptions) {
  const { gen } = await testModel();
  const backend = new BuiltinBackend(gen);
  const count = (t: string) => backend.countTokens(t);
  const prefill = vi.spyOn((gen as unknown as { prefill: CompiledGraph }).prefill, "run");
  let cached;
  try {
    const session = await backend.session(PROMPTS, { temperature: 0 });
    expect(session.reusesCache).toBe(true);
    cached = await budgetForce(session, o, count);
    expect(prefill).toHaveBeenCalledTimes(1);
  } finally {
    prefill.mockRestore();
  }
  const replay = new ReplaySession({ complete: (r) => backend.complete(r), tokenizer }, PROMPTS, { temperature: 0 });
  const fresh = await budgetForce(replay, o, count);
  return { cached, fresh };
}

describe("budget forcing on the builtin engine", () => {
  for (const accounting of ["decrement", "truncate"] as const) {
    it(`KV-cache continuation = re-running prompt + text each round (${accounting})`, async () => {
      const { cached, fresh } = await both({ delimiters: d, extensions: 2, extension: "ab", maxThinkingTokens: 12, accounting, maxAnswerTokens: 6 });
      expect(cached.map((s) => s.completion)).toEqual(fresh.map((s) => s.completion));
      expect(cached.map((s) => [s.thinkingTokens, s.extensions, s.forcedEnd, s.cutTokens])).toEqual(fresh.map((s) => [s.thinkingTokens, s.extensions, s.forcedEnd, s.cutTokens]));
      for (const s of cached) {
        expect(s.thinkingTokens).toBeLessThanOrEqual(12);
        expect(s.thinkingTokens).toBe(tokenizer.encode(s.thinking).length);
        expect(s.completion.startsWith(s.thinking)).toBe(true);
        if (s.forcedEnd) expect(s.completion.slice(s.thinking.length)).toMatch(/^hc/);
      }
      // the prompts exercise both endings and at least one extension
      expect(cached.some((s) => s.extensions > 0)).toBe(true);
      expect(cached.some((s) => s.forcedEnd)).toBe(true);
    });
  }
});
