// `ratio reward-server`: OpenRLHF's remote reward API over HTTP on 127.0.0.1. Responses are split from their
// prompts and stripped of end-of-sequence tokens; labels are gold answers or dataset records of the preset (math,
// GSM8K, Countdown, CommonsenseQA); bad requests get a 400 naming the field, never a missing reward.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { RewardService, splitResponse, stripTrailing, DEFAULT_STRIP_TOKENS } from "../../src/server/rewards/remote-rm.js";
import { startRewardServer, type RunningRewardServer } from "../../src/server/rewards/server.js";

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe("splitting and stripping responses", () => {
  it("takes what follows the prompt, and says when the prompt was not found", () => {
    expect(splitResponse("<s>Q: 2+2? A: 4</s>", "Q: 2+2? A: ")).toEqual({ response: "4</s>", found: true });
    expect(splitResponse("Q: 2+2? A: 4", "Q: 2+2? A: ")).toEqual({ response: "4", found: true });
    expect(splitResponse("just text", "Q:")).toEqual({ response: "just text", found: false });
    expect(splitResponse("just text", undefined)).toEqual({ response: "just text", found: false });
  });
  it("removes end-of-sequence and pad tokens from the end, repeatedly, and nothing else", () => {
    expect(stripTrailing("\\boxed{4}<|im_end|>\n<|endoftext|><|endoftext|>", DEFAULT_STRIP_TOKENS)).toBe("\\boxed{4}");
    expect(stripTrailing("a </s> b", DEFAULT_STRIP_TOKENS)).toBe("a </s> b");
    expect(stripTrailing("x", [])).toBe("x");
  });
});

describe("reward server", () => {
  let math: RunningRewardServer;
  let countdown: RunningRewardServer;
  let gsm8k: RunningRewardServer;
  beforeAll(async () => {
    math = await startRewardServer({ port: 0, workers: 1 });
    gsm8k = await startRewardServer({ port: 0, preset: "gsm8k", workers: 0 });
    countdown = await startRewardServer({ port: 0, preset: "countdown", maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await math.close();
    await countdown.close();
    await gsm8k.close();
  });

  it("scores math answers: gold strings, GSM8K-style records, values in any form; scores and extra_logs per sample", async () => {
    const p = "Question: what is half of one?\nAnswer: ";
    const { status, json } = await post(`${math.url}/get_reward`, {
      query: [`${p}It is \\boxed{\\frac{1}{2}}<|im_end|>`, `${p}It is 0.5`, `${p}It is \\boxed{2}`, "no prompt here: \\boxed{0.5}"],
      prompts: [p, p, p, p],
      labels: ["0.5", "\\frac12", "1/2", "0.5"],
    });
    expect(status).toBe(200);
    expect(json).toEqual({ rewards: [1, 1, 0, 1], scores: [1, 1, 0, 1], extra_logs: { correct: [1, 1, 0, 1], prompt_found: [1, 1, 1, 0] } });
    expect(math.stats()).toEqual({ requests: 1, samples: 4 });
    // GSM8K records: the gold follows "####", thousands commas removed; a plain string label is still a gold answer
    const gsm = await post(`${gsm8k.url}/`, { query: ["A: \\boxed{1000}", "A: 999"], prompts: ["A: ", "A: "], labels: [{ question: "q", answer: "so #### 1,000" }, "999"] });
    expect(gsm.json.rewards).toEqual([1, 1]);
  });

  it("scores Countdown with TinyZero's rules; labels are records, as objects or JSON strings", async () => {
    const { json } = await post(`${countdown.url}/get_reward`, {
      query: ["<think>3*8=24</think>\n<answer>3 * 8 * 1</answer><|endoftext|>", "<answer>3 + 8 + 1</answer>", "no tag"],
      labels: [{ target: 24, nums: [3, 8, 1] }, JSON.stringify({ target: 24, nums: [3, 8, 1] }), { target: 24, nums: [3, 8, 1] }],
    });
    expect(json).toEqual({ rewards: [1, 0.1, 0], scores: [1, 0, 0], extra_logs: { correct: [1, 0, 0], prompt_found: [0, 0, 0] } });
    // verl's (TinyZero's) ground truth names the list "numbers": a field mapping reads it
    const verl = await startRewardServer({ port: 0, preset: "countdown", fields: { numbers: "numbers" } });
    try {
      const r = await post(`${verl.url}/get_reward`, { query: ["<answer>(3 + 1) * 6</answer>"], labels: [{ target: 24, numbers: [3, 1, 6] }] });
      expect(r.json.rewards).toEqual([1]);
    } finally {
      await verl.close();
    }
  });

  it("answers a bad request with 400 naming the field", async () => {
    const cases: [unknown, RegExp, string | null, string][] = [
      [{ labels: ["1"] }, /^query: /, "query", "invalid_value"],
      [{ query: ["a", "b"], labels: ["1"] }, /labels: 1 labels for 2 queries/, "labels", "invalid_value"],
      [{ query: ["a"], prompts: [], labels: ["1"] }, /prompts: 0 prompts for 1 queries/, "prompts", "invalid_value"],
      [{ query: [3], labels: ["1"] }, /^query\[0\]: /, "query[0]", "invalid_value"],
      ["{not json", /not valid JSON/, null, "invalid_json"],
    ];
    for (const [body, message, param, code] of cases) {
      const r = await post(`${math.url}/get_reward`, body);
      expect(r.status).toBe(400);
      // OpenAI-style: message, type, param, code
      expect(r.json.error).toEqual({ message: expect.stringMatching(message), type: "invalid_request_error", param, code });
    }
    const str = await post(`${countdown.url}/get_reward`, { query: ["x"], labels: ["24"] });
    expect(str.status).toBe(400);
    expect(str.json.error).toMatchObject({ param: "labels[0]", message: expect.stringMatching(/countdown preset needs a record/) });
    const missing = await post(`${countdown.url}/get_reward`, { query: ["x"], labels: [{ target: 24 }] });
    expect(missing.json.error).toMatchObject({ param: "labels[0]", message: expect.stringMatching(/field "nums" is missing/) });
    const big = await post(`${countdown.url}/get_reward`, { query: ["x".repeat(5000)], labels: [{ target: 1, nums: [1] }] });
    expect(big.status).toBe(413);
    expect(big.json.error).toMatchObject({ type: "invalid_request_error", code: "request_too_large" });
    const nowhere = await fetch(`${math.url}/v1/completions`, { method: "POST", body: "{}" });
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { error: unknown }).error).toMatchObject({ type: "invalid_request_error", param: null, code: "unknown_url" });
    expect(await (await fetch(`${math.url}/health`)).json()).toEqual({ status: "ok", task: "math", preset: "plain" });
  });
});

describe("composed rewards", () => {
  const score = async (service: RewardService, query: string[], labels: string[]) => {
    try {
      return await service.score(service.parse({ query, labels }));
    } finally {
      await service.close();
    }
  };

  it("weights and sums registry rewards, each part in extra_logs", async () => {
    const service = RewardService.create({ workers: 0, rewards: [{ name: "correctness" }, { name: "format", weight: 0.1 }] });
    const r = await score(service, ["<think>1+1 is 2</think>\n<answer>2</answer>", "the answer is \\boxed{2}", "<think>hm</think>\n<answer>3</answer>"], ["2", "2", "2"]);
    expect(r.rewards.map((x) => Number(x.toFixed(6)))).toEqual([1.1, 1, 0.1]);
    expect(r.extra_logs["reward/correctness"]).toEqual([1, 1, 0]);
    expect(r.extra_logs["reward/format"]).toEqual([1, 0, 1]);
    expect(r.scores).toEqual([1, 1, 0]);
  });

  it("length rewards count the policy's tokens; without a tokenizer they are refused at start", async () => {
    expect(() => RewardService.create({ rewards: [{ name: "cosine" }], maxTokens: 64 })).toThrow(/cosine.*tokenizer/);
    // without L_max the hint names the flag that gives it, not the tokenizer
    const tok = CharTokenizer.fromSpec("chars:abc");
    expect(() => RewardService.create({ rewards: [{ name: "cosine" }], tokenizer: tok })).toThrow(/cosine" needs maxTokens.* \(give L_max with --max-tokens <n>\)$/);
    const tokenizer = CharTokenizer.fromSpec("chars:0123456789 abcdefghijklmnopqrstuvwxyz\\{}");
    const service = RewardService.create({ workers: 0, rewards: [{ name: "cosine" }], tokenizer, maxTokens: 200 });
    const r = await score(service, ["\\boxed{2}", "so so so so so so so so so the answer is \\boxed{2}", "\\boxed{3}"], ["2", "2", "2"]);
    expect(r.rewards[0]).toBeGreaterThan(r.rewards[1]); // cosine: a shorter correct answer earns more
    expect(r.rewards[1]).toBeGreaterThan(0);
    expect(r.rewards[2]).toBeLessThan(0);
  });
});
