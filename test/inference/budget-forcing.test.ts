// Budget forcing on a scripted deterministic backend (one token per character): exact token accounting under both
// accountings, the number of extensions, the forced end with its answer prefix, the trace's segments.
import { describe, expect, it } from "vitest";
import { budgetForce, openThinking, type BudgetForcingOptions } from "../../src/inference/budget-forcing.js";
import { BUDGET_FORCING_PRESETS, forcedEnd } from "../../src/inference/presets.js";
import { ScriptedBackend } from "./scripted.js";

const d = BUDGET_FORCING_PRESETS.r1;
const PROMPT = openThinking("Q: 3+4?\n", d);

/** Thinks "first thought", or " more thought" after an extension; answers "\n\nAnswer: 7" after </think>, " 7" after "Final Answer:". */
const script = (text: string): string => {
  const after = text.slice(PROMPT.length);
  if (after.endsWith("Final Answer:")) return " 7\n<eos-ish>";
  if (after.includes("</think>")) return "\n\nAnswer: 7";
  return after.endsWith("Wait") ? " more thought</think>\n\nAnswer: 7" : "first thought</think>\n\nAnswer: 7";
};

async function run(o: Partial<BudgetForcingOptions>, withTokenizer = true) {
  const backend = new ScriptedBackend(script, withTokenizer);
  const session = await backend.session([PROMPT]);
  const [s] = await budgetForce(session, { delimiters: d, maxAnswerTokens: 12, maxRoundTokens: 100, ...o }, (t) => backend.countTokens(t));
  return { s, backend };
}

describe("budget forcing (scripted backend)", () => {
  it("no budget: the model's own end; thinking tokens = characters of the thinking", async () => {
    const { s } = await run({});
    expect(s.thinking).toBe("first thought");
    expect(s.thinkingTokens).toBe(13);
    expect(s.extensions).toBe(0);
    expect(s.forcedEnd).toBe(false);
    expect(s.completion).toBe("first thought</think>\n\nAnswer: 7");
    expect(s.answer).toBe("\n\nAnswer: 7");
    expect(s.answerTokens).toBe(11);
    expect(s.segments.map((x) => [x.kind, x.forced, x.text])).toEqual([
      ["thinking", false, "first thought"], ["end", true, "</think>"], ["answer", false, "\n\nAnswer: 7"],
    ]);
  });

  it("minimum: the end is replaced by 'Wait' exactly N times, then the model's end stands", async () => {
    const { s, backend } = await run({ extensions: 2 });
    expect(s.extensions).toBe(2);
    expect(s.thinking).toBe("first thoughtWait more thoughtWait more thought");
    expect(s.thinkingTokens).toBe(13 + 4 + 13 + 4 + 13);
    expect(s.forcedEnd).toBe(false);
    expect(s.segments.filter((x) => x.kind === "extension").map((x) => [x.text, x.tokens])).toEqual([["Wait", 4], ["Wait", 4]]);
    // every round re-sent prompt + text with the end delimiter removed
    expect(backend.prompts.slice(1, 3)).toEqual([`${PROMPT}first thoughtWait`, `${PROMPT}first thoughtWait more thoughtWait`]);
  });

  // A server counts a stop string's tokens against max_tokens: "first thought</think>" needs a limit ≥ 21 to stop.
  it("maximum, decrement accounting: round limits B − T, extensions counted, forced end with the answer prefix", async () => {
    const { s } = await run({ extensions: 2, maxThinkingTokens: 30, accounting: "decrement", extension: "Wait" });
    // round 1: limit 30 → 13 kept and a stop; "Wait" (4) fits (17 < 30); round 2: limit 13 → " more thought", length
    expect(s.thinking).toBe("first thoughtWait more thought");
    expect(s.thinkingTokens).toBe(30);
    expect(s.extensions).toBe(1);
    expect(s.forcedEnd).toBe(true);
    expect(s.cutTokens).toBe(0);
    expect(s.completion).toBe("first thoughtWait more thought\n</think>\n\nFinal Answer: 7\n<eos-ish>");
    expect(s.answer).toBe("Final Answer: 7\n<eos-ish>");
    expect(s.segments.map((x) => x.kind)).toEqual(["thinking", "extension", "thinking", "forced-end", "answer"]);
    expect(s.segments[3].text).toBe(forcedEnd(d, s.thinking));
  });

  it("maximum, truncate accounting: every round may use B, then thinking is cut to its first B tokens", async () => {
    const { s } = await run({ extensions: 2, maxThinkingTokens: 25, accounting: "truncate" });
    // round 1 (limit 25): 13 + "Wait" = 17; round 2 (limit 25): " more thought" and a stop → 30 ≥ B: the next
    // extension would be cut, so thinking ends, forced, and is cut to 25 tokens
    expect(s.thinking).toBe("first thoughtWait more th");
    expect(s.thinkingTokens).toBe(25);
    expect(s.cutTokens).toBe(5);
    expect(s.extensions).toBe(1);
    expect(s.forcedEnd).toBe(true);
    expect(s.segments.map((x) => [x.kind, x.text, x.tokens])).toEqual([
      ["thinking", "first thought", 13], ["extension", "Wait", 4], ["thinking", " more th", 8],
      ["forced-end", "\n</think>\n\nFinal Answer:", 24], ["answer", " 7\n<eos-ish>", 12],
    ]);
  });

  it("a thinking round cut by its limit is a forced end; an extension that does not fit leaves the model's end", async () => {
    const cut = (await run({ maxThinkingTokens: 5, accounting: "decrement" })).s;
    expect([cut.thinking, cut.thinkingTokens, cut.forcedEnd]).toEqual(["first", 5, true]);
    // 13 + 23 ≥ 30: no room left to think after the extension, so none is appended
    const tight = (await run({ extensions: 3, maxThinkingTokens: 30, accounting: "decrement", extension: "Wait, let me think more" })).s;
    expect([tight.extensions, tight.forcedEnd, tight.thinkingTokens]).toEqual([0, false, 13]);
  });

  it("minThinkingTokens: extends only while thinking is shorter", async () => {
    const { s } = await run({ minThinkingTokens: 20 });
    expect(s.extensions).toBe(1);
    expect(s.thinkingTokens).toBe(30);
  });

  it("server usage numbers: decrement works; truncate asks for a tokenizer", async () => {
    const { s } = await run({ extensions: 1, maxThinkingTokens: 30, accounting: "decrement" }, false);
    expect(s.tokenCounting).toBe("server-usage");
    // round 1 is counted with its stop string (21 = completion_tokens); "Wait" has no count before the server sees it,
    // so it is taken as 1 token (22 < 30); round 2 (limit 8) is " more th", and the count is the server's again:
    // prompt_tokens delta 17 + 8 completion tokens
    expect([s.extensions, s.forcedEnd, s.thinking, s.thinkingTokens]).toEqual([1, true, "first thoughtWait more th", 25]);
    await expect(run({ maxThinkingTokens: 20, accounting: "truncate" }, false)).rejects.toThrow(/needs the model's tokenizer.*decrement/);
  });

  it("rejects bad options by name", async () => {
    await expect(run({ maxThinkingTokens: 0 })).rejects.toThrow(/maxThinkingTokens must be an integer ≥ 1/);
    await expect(run({ maxRoundTokens: undefined })).rejects.toThrow(/needs maxRoundTokens/);
    await expect(run({ extensions: 1, extension: "" })).rejects.toThrow(/extension string is empty/);
  });
});
