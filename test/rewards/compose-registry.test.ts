import { describe, expect, it } from "vitest";
import {
  buildRewardInput,
  buildRewardSpecs,
  composeRewards,
  correctnessReward,
  formatReward,
  getReward,
  rewardNames,
  summarizeRewards,
  type Scorer,
} from "../../src/rewards/index.js";

const countWords = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe("composeRewards", () => {
  const composed = composeRewards([
    { name: "correctness", fn: correctnessReward(), weight: 1 },
    { name: "format", fn: formatReward(), weight: 0.5 },
  ]);

  it("returns the weighted sum and the unweighted parts", () => {
    const good = composed({ completion: "<think>a</think><answer>4</answer>", correct: true, tokens: { response: 5 } });
    expect(good).toEqual({ total: 1.5, parts: { correctness: 1, format: 1 } });
    const bad = composed({ completion: "4", correct: true, tokens: { response: 1 } });
    expect(bad).toEqual({ total: 1, parts: { correctness: 1, format: 0 } });
  });

  it("summarizes a batch as TRL logs it", () => {
    const results = [
      { total: 1.5, parts: { correctness: 1, format: 1 } },
      { total: 1, parts: { correctness: 1, format: 0 } },
      { total: 0, parts: { correctness: 0, format: 0 } },
    ];
    const s = summarizeRewards(results);
    expect(s.reward).toBeCloseTo(2.5 / 3, 14);
    expect(s["rewards/correctness/mean"]).toBeCloseTo(2 / 3, 14);
    expect(s["rewards/format/mean"]).toBeCloseTo(1 / 3, 14);
    expect(s["rewards/format/std"]).toBeCloseTo(Math.sqrt(((2 / 3) ** 2 + 2 * (1 / 3) ** 2) / 2), 14); // Bessel
  });

  it("rejects duplicate names and empty lists", () => {
    const fn = formatReward();
    expect(() => composeRewards([{ name: "f", fn, weight: 1 }, { name: "f", fn, weight: 2 }])).toThrow(/duplicate reward name "f"/);
    expect(() => composeRewards([])).toThrow(/at least one/);
  });
});

describe("buildRewardInput", () => {
  it("scores once and counts tokens with the caller's tokenizer", () => {
    let calls = 0;
    const scorer: Scorer<{ answer: string }> = (c, ex) => {
      calls++;
      return { correct: c.includes(ex.answer), extracted: ex.answer };
    };
    const x = buildRewardInput({
      completion: "<think>two plus two</think> <answer>4</answer>",
      thinking: "two plus two",
      example: { answer: "4" },
      scorer,
      countTokens: countWords,
      maxTokens: 100,
      targetTokens: 50,
    });
    expect(calls).toBe(1);
    expect(x.tokens).toEqual({ response: 4, thinking: 3 });
    expect(x.correct).toBe(true);
    expect(x.score?.extracted).toBe("4");
    expect(x.maxTokens).toBe(100);
    expect(x.targetTokens).toBe(50);
    expect(buildRewardInput({ completion: "a b", tokenIds: [7, 8, 9] }).tokens).toEqual({ response: 3 });
    expect(() => buildRewardInput({ completion: "a b" })).toThrow(/never characters/);
  });
});

describe("reward registry", () => {
  it("builds every registered reward with default-valid options", () => {
    expect(rewardNames).toEqual(["correctness", "format", "cosine", "repetition", "repetition_dense", "overlong", "lcpo", "tinyzero_countdown", "simplerl"]);
    for (const name of rewardNames) {
      const options = name === "overlong" ? { cacheLength: 4 } : {};
      expect(typeof getReward(name as string, options)).toBe("function"); // a name from config: options checked at run time
    }
  });

  it("passes options through to the reward", () => {
    const cos = getReward("cosine", { preset: "trl", maxTokens: 100 });
    expect(cos({ completion: "", correct: true, tokens: { response: 50 } })).toBeCloseTo(0.75, 12);
    const lcpo = getReward("lcpo", { preset: "l1-max" });
    expect(lcpo({ completion: "", correct: true, tokens: { response: 1250 }, targetTokens: 1000 })).toBeCloseTo(0.25, 12);
    const cosNoExceed = getReward("cosine", { preset: "paper", exceedLength: null, maxTokens: 100 });
    expect(cosNoExceed({ completion: "", correct: true, tokens: { response: 99 } })).toBeGreaterThan(1);
  });

  it("rejects unknown names, unknown keys and bad values naming the reward and field", () => {
    expect(() => getReward("nope")).toThrow(/unknown reward "nope" \(expected one of: correctness, format/);
    // @ts-expect-error a literal name types its options; the run-time check covers names read from files
    expect(() => getReward("cosine", { preset: "paperz" })).toThrow(/^reward "cosine": options\.preset: /);
    // @ts-expect-error a literal name types its options; the run-time check covers names read from files
    expect(() => getReward("cosine", { maxlen: 10 })).toThrow(/^reward "cosine": options: .*maxlen/);
    // @ts-expect-error a literal name types its options; the run-time check covers names read from files
    expect(() => getReward("overlong", {})).toThrow(/^reward "overlong": options\.cacheLength: /);
    // One name per idea: maxTokens and openThink; the old names (maxLen, maxLength, thinkPrefilled) still work.
    const input = { completion: "x", tokens: { response: 50 }, correct: true };
    expect(getReward("cosine", { preset: "trl", maxLen: 100 })(input)).toBe(getReward("cosine", { preset: "trl", maxTokens: 100 })(input));
    expect(() => getReward("cosine", { maxTokens: 100, maxLen: 90 })).toThrow(/options maxTokens \(100\) and maxLen \(90\) disagree/);
    expect(getReward("format", { thinkPrefilled: true })({ completion: "a</think><answer>1</answer>", tokens: { response: 1 } })).toBe(
      getReward("format", { openThink: true })({ completion: "a</think><answer>1</answer>", tokens: { response: 1 } }),
    );
    expect(() => getReward("repetition", { maxPenalty: 0.5 })).toThrow(/^reward "repetition": options\.maxPenalty: /);
  });

  it("builds weighted specs from config entries, with labels", () => {
    const specs = buildRewardSpecs([
      { name: "format", weight: 0.5 },
      { name: "cosine", label: "cosine_trl", options: { preset: "trl", maxTokens: 100 } },
    ]);
    expect(specs.map((s) => [s.name, s.weight])).toEqual([
      ["format", 0.5],
      ["cosine_trl", 1],
    ]);
    const out = composeRewards(specs)({ completion: "<think>a</think><answer>b</answer>", correct: false, tokens: { response: 0 } });
    expect(out.parts).toEqual({ format: 1, cosine_trl: -1 });
    expect(out.total).toBeCloseTo(-0.5, 14);
    expect(() => buildRewardSpecs([{ name: "format", weight: "x" as unknown as number }])).toThrow(/^rewards\[0\]\.weight: /);
  });
});
