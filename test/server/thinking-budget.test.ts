// Thinking budgets (s1 budget forcing) on a scripted model: exact token accounting, extensions, the forced end
// and answer prefix, streaming that never shows a delimiter later cut; then through the server on the tiny model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type OpenAI from "openai";
import { heldSuffix, Sequence } from "../../src/server/engine/sequence.js";
import type { RunningServer } from "../../src/server/index.js";
import { ThinkingBudgetController, type ThinkingBudget } from "../../src/server/thinking-budget.js";
import { BUDGET_FORCING_PRESETS, type ThinkingDelimiters } from "../../src/inference/presets.js";
import { S1_ANSWER_START } from "../../src/templates/index.js";
import { client, MODEL, testServer, tokenizer, withExtras, type Extra } from "./fixture.js";

const EOS = tokenizer.eosId as number;
const V = tokenizer.vocabSize;
/** <think> … </think>, forced end "\n</think>\nFinal Answer:" */
const THINK: ThinkingDelimiters = { thinkStart: "<think>", thinkEnd: "</think>", afterEnd: "\n", answerPrefix: "Final Answer:", answerStops: [] };

/** The token a scripted model writes next, given the text so far ("" ↔ eos). */
type Script = (text: string) => string;

interface Run {
  seq: Sequence;
  controller: ThinkingBudgetController;
  streamed: string;
}

/** Drives one sequence as the scheduler would: logits peaked at the script's token, one step per position. */
function drive(script: Script, budget: Partial<ThinkingBudget>, opts: { maxTokens?: number; stop?: string[] } = {}): Run {
  const controller = new ThinkingBudgetController({ extension: "W", open: true, delimiters: THINK, ...budget }, tokenizer);
  const promptIds = tokenizer.encode("q");
  const seq = new Sequence({
    promptIds, sampling: { temperature: 0, topP: 1, topK: 0 }, seed: 0, promptIndex: 0, sampleIndex: 0, maxTokens: opts.maxTokens ?? 200,
    stop: opts.stop ?? [], includeStopStrInOutput: false, stopTokenIds: new Set([EOS]), topLogprobs: 0, controller,
  }, tokenizer);
  const logits = () => {
    const next = script(seq.text);
    const id = next === "" ? EOS : tokenizer.encode(next);
    const row = new Float32Array(V);
    row[typeof id === "number" ? id : id[0]] = 20;
    return row;
  };
  let streamed = "";
  seq.fed = promptIds.length;
  seq.step(logits());
  streamed += seq.takeDelta();
  for (let guard = 0; !seq.done && guard < 1000; guard++) {
    seq.fed++;
    seq.step(logits());
    streamed += seq.takeDelta();
  }
  expect(seq.done).toBe(true);
  return { seq, controller, streamed };
}

/** After thinking closes: "z", then eos. */
const answer = (text: string) => (text.endsWith("z") ? "" : "z");

describe("thinking budget controller", () => {
  it("minimum: cuts the end delimiter and appends the extension until enough thinking tokens", () => {
    // the model closes thinking after two tokens of each round
    const script: Script = (t) => (t.includes("</think>") ? answer(t) : t.split("W").pop()!.length >= 2 ? "</think>" : "a");
    const five = drive(script, { min: 5 });
    expect(five.seq.text).toBe("aaWaa</think>z");
    expect(five.controller.extensions).toBe(1);
    expect(five.controller.thinkingTokens(five.seq)).toBe(5);
    expect(five.seq.finish).toBe("stop");
    expect(five.seq.forced.map((f) => f.text)).toEqual(["W"]);
    const six = drive(script, { min: 6 });
    expect(six.seq.text).toBe("aaWaaWaa</think>z");
    expect([six.controller.extensions, six.controller.thinkingTokens(six.seq)]).toEqual([2, 8]);
    expect(six.streamed).toBe(six.seq.text);
    for (const lp of six.seq.logprobs) expect(Number.isFinite(lp)).toBe(true);
  });

  it("thinking_extensions without a minimum: extends exactly N times (s1's \"Wait\" N×)", () => {
    const script: Script = (t) => (t.includes("</think>") ? answer(t) : t.split("W").pop()!.length >= 2 ? "</think>" : "a");
    const run = drive(script, { extensions: 2 });
    expect(run.seq.text).toBe("aaWaaWaa</think>z");
    expect(run.controller.extensions).toBe(2);
  });

  it("with a maximum, an extension is appended only while it leaves room to think (decrement accounting)", () => {
    const script: Script = (t) => (t.includes("</think>") ? answer(t) : t.split("W").pop()!.length >= 2 ? "</think>" : "a");
    // after "aaWaa" (5 tokens) one more "W" would reach 6 = max: the model's end stands
    const run = drive(script, { min: 10, max: 6 });
    expect(run.seq.text).toBe("aaWaa</think>z");
    expect(run.controller.capped).toBe(false);
  });

  it("an eos inside thinking is cut: extended below the minimum, else replaced by the end delimiter", () => {
    const run = drive((t) => (t.endsWith("a") ? "" : "a"), { min: 3 });
    expect(run.seq.text).toBe("aWa</think>a");
    expect(run.controller.extensions).toBe(1);
    expect(run.seq.stopReason).toBe(EOS);
  });

  it("maximum: at the budget, appends the end delimiter and the answer prefix; the model answers from there", () => {
    const script: Script = (t) => (t.includes("</think>") ? answer(t) : "a");
    const run = drive(script, { max: 4 });
    expect(run.seq.text).toBe("aaaa\n</think>\nFinal Answer:z");
    expect(run.controller.thinkingTokens(run.seq)).toBe(4);
    expect(run.controller.capped).toBe(true);
    expect(run.seq.ids).toHaveLength(4 + tokenizer.encode("\n</think>\nFinal Answer:").length + 2);
    // a stop string inside forced text does not stop the sequence
    expect(drive(script, { max: 4 }, { stop: ["Final"] }).seq.text).toBe(run.seq.text);
    // max tokens cut the forced text
    const short = drive(script, { max: 4 }, { maxTokens: 6 });
    expect(short.seq.text).toBe("aaaa\n</think>");
    expect(short.seq.finish).toBe("length");
    for (const lp of short.seq.logprobs) expect(Number.isFinite(lp)).toBe(true);
  });

  it("counts from the thinking-start delimiter when the prompt did not open thinking", () => {
    const script: Script = (t) => (!t.includes("<think>") ? "<think>" : t.includes("</think>") ? answer(t) : "a");
    const run = drive(script, { max: 3, open: false });
    expect(run.seq.text).toBe("<think>aaa\n</think>\nFinal Answer:z");
    expect(run.controller.thinkingTokens(run.seq)).toBe(3);
  });

  it("a multi-token end delimiter (s1) is held back from the stream until it is kept or cut", () => {
    const d = S1_ANSWER_START;
    const script: Script = (t) => {
      const part = t.split("W").pop()!;
      if (part.includes(d)) return answer(t);
      let k = Math.min(d.length - 1, part.length);
      while (k > 0 && !part.endsWith(d.slice(0, k))) k--;
      return part.length - k < 2 ? "a" : d[k];
    };
    // s1 stops thinking at any "<|im_start|>"; the natural end appends the whole "<|im_start|>answer"
    const run = drive(script, { min: 4, delimiters: BUDGET_FORCING_PRESETS.s1 });
    expect(run.seq.text).toBe(`aaWaa${d}z`);
    expect(run.streamed).toBe(run.seq.text);
    expect(heldSuffix("xx<|im_st", ["<|im_start|>"])).toBe(7);
    expect(heldSuffix("xx", [d])).toBe(0);
  });
});

describe("thinking budgets through the server", () => {
  let server: RunningServer;
  let api: OpenAI;
  beforeAll(async () => {
    server = await testServer({});
    api = client(server, "none");
  });
  afterAll(async () => { await server?.close(); });

  interface Choice { text?: string; message?: { content: string }; thinking?: { thinking_tokens: number; extensions: number; forced_end: boolean } }

  it("max_thinking_tokens caps thinking and forces the answer prefix (completions, prompt opening <think>)", async () => {
    const r = await api.completions.create(withExtras<OpenAI.CompletionCreateParamsNonStreaming>({ model: MODEL, prompt: "Q: why?<think>", n: 6, max_tokens: 40, seed: 2, max_thinking_tokens: 5 }));
    let forced = 0;
    for (const c of r.choices as unknown as Choice[]) {
      expect(c.thinking?.thinking_tokens).toBeLessThanOrEqual(5);
      if (c.thinking?.forced_end) {
        forced++;
        expect(c.thinking.thinking_tokens).toBe(5);
        const text = c.text ?? "";
        // the qwen3 preset's forced end
        expect(text).toContain("</think>\n\nFinal Answer:");
        // 5 sampled tokens, then "\n" unless the model wrote it, then the forced end
        const before = tokenizer.encode(text.slice(0, text.indexOf("</think>\n\nFinal Answer:"))).length;
        expect([5, 6]).toContain(before);
      }
    }
    expect(forced).toBeGreaterThan(0);
  });

  it("min_thinking_tokens extends early endings (chat: the prompt opens thinking); streamed text equals the whole", async () => {
    const body: Extra = { model: MODEL, messages: [{ role: "user", content: "think" }], n: 8, max_tokens: 60, seed: 4, temperature: 1, min_thinking_tokens: 30, thinking_extension: "Wait" };
    const r = await api.chat.completions.create(withExtras<OpenAI.ChatCompletionCreateParamsNonStreaming>(body));
    let extensions = 0;
    for (const c of r.choices as unknown as Choice[]) {
      const content = c.message?.content ?? "";
      const t = c.thinking;
      expect(t).toBeDefined();
      extensions += t?.extensions ?? 0;
      expect(content.split("Wait").length - 1).toBeGreaterThanOrEqual(t?.extensions ?? 0);
      const end = content.indexOf("</think>");
      if (end >= 0) expect(t?.thinking_tokens).toBeGreaterThanOrEqual(30);
    }
    expect(extensions).toBeGreaterThan(0);
    const stream = await api.chat.completions.create(withExtras<OpenAI.ChatCompletionCreateParamsStreaming>({ ...body, stream: true }));
    const content: string[] = [];
    for await (const chunk of stream) for (const c of chunk.choices) content[c.index] = (content[c.index] ?? "") + (c.delta.content ?? "");
    expect(content).toEqual(r.choices.map((c) => c.message.content));
  });
});
