// The prompts of a step as a pure function of (seed, stage, step, batch); LCPO budgets rendered into the L1 prompts
// and handed to the lcpo reward; thinking tokens counted from the template's think block; problems from a file.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseGrpoOptions } from "../../src/algorithms/grpo/options.js";
import { ProblemSource } from "../../src/algorithms/grpo/problems.js";
import { completionScorer, rewardInputOf } from "../../src/algorithms/grpo/scoring.js";
import type { Rollout } from "../../src/algorithms/rollout.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { buildRewardSpecs } from "../../src/rewards/registry.js";
import { getTask } from "../../src/tasks/registry.js";
import { getTemplate } from "../../src/templates/registry.js";
import { freshDir } from "../fixtures/tmp.js";

const addition = getTask("addition");
const tokenizer = CharTokenizer.fromAlphabet("0123456789 +\n", { unk: true });

async function source(raw: Record<string, unknown>, stage = "grpo", seed = 3) {
  const o = parseGrpoOptions(raw);
  return ProblemSource.create(o, getTask(o.task), o.template ? getTemplate(o.template) : undefined, seed, stage);
}

function rolloutOf(completion: string, p: { example: Rollout["example"]; prompt: string }, truncated = false): Rollout {
  return {
    example: p.example, problemIndex: 0, sampleIndex: 0, prompt: p.prompt, promptIds: [1], completion, tokenIds: tokenizer.encode(completion),
    logprobs: [], finishReason: truncated ? "length" : "stop", truncated, score: addition.score(completion, p.example),
  };
}

describe("ProblemSource", () => {
  it("step s, batch b → task.generate indices ((s − 1)·S + b)·B + i, S = 1 + max_resample_batches with dynamic filtering", async () => {
    const plain = await source({ batch_size: 2 });
    expect(plain.batch(3, 0).map((p) => p.example.id)).toEqual(["addition-3-4", "addition-3-5"]);
    const dynamic = await source({ batch_size: 2, dynamic_filtering: true, max_resample_batches: 2 });
    expect(dynamic.batch(2, 1).map((p) => p.example.id)).toEqual(["addition-3-8", "addition-3-9"]);
    expect(() => dynamic.batch(2, 3)).toThrow(/batch must be in \[0, 3\), got 3/);
    expect(plain.batch(1, 0)[0].prompt).toBe(addition.prompt(plain.batch(1, 0)[0].example));
    const seeded = await source({ batch_size: 2, problem_seed: 9 });
    expect(seeded.batch(3, 0).map((p) => p.example.id)).toEqual(["addition-9-4", "addition-9-5"]);
  });

  it("l1-exact / l1-max: a budget from budget_range per problem, rendered in the prompt, ±n_gold for the lcpo reward", async () => {
    const exact = await source({ template: "l1-exact", budget_range: [20, 40], batch_size: 6 });
    const problems = exact.batch(1, 0);
    const again = (await source({ template: "l1-exact", budget_range: [20, 40], batch_size: 6 })).batch(1, 0);
    expect(again).toEqual(problems);
    for (const p of problems) {
      const n = p.targetTokens!;
      expect(n).toBeGreaterThanOrEqual(20);
      expect(n).toBeLessThanOrEqual(40);
      expect(p.prompt.endsWith(`Think for ${n} tokens.`)).toBe(true);
    }
    expect(new Set(problems.map((p) => p.targetTokens)).size).toBeGreaterThan(1);
    const other = (await source({ template: "l1-exact", budget_range: [20, 40], batch_size: 6 }, "grpo-2")).batch(1, 0);
    expect(other.map((p) => p.targetTokens)).not.toEqual(problems.map((p) => p.targetTokens));
    const max = (await source({ template: "l1-max", budget_range: [30, 30] })).batch(1, 0)[0];
    expect(max.targetTokens).toBe(-30);
    expect(max.prompt.endsWith("Think for maximum 30 tokens.")).toBe(true);
    await expect(source({ template: "l1-exact" })).rejects.toThrow(/field budget_range: template "l1-exact" needs a \[min, max\]/);
  });

  it("the lcpo reward reads the problem's budget; lengths are the policy tokenizer's", async () => {
    const p = (await source({ template: "l1-exact", budget_range: [10, 10] })).batch(1, 0)[0];
    const gold = addition.rationale!(p.example);
    const score = completionScorer({
      specs: buildRewardSpecs([{ name: "lcpo", options: { preset: "l1-exact", alpha: 0.01 } }]),
      tokenizer, openThink: false, maxCompletionLength: 256, truncatedReward: null,
    });
    const [s] = score([rolloutOf(gold, p)], [p]);
    expect(s.length).toBe(tokenizer.encode(gold).length);
    expect(s.reward).toBeCloseTo(1 - 0.01 * Math.abs(10 - s.length), 12);
  });

  it("thinking tokens: the template's think block, re-encoded", () => {
    const e = addition.generate({ seed: 0, index: 0 });
    const x = rewardInputOf(rolloutOf("<scratch>\n1 2\n</scratch>\n3", { example: e, prompt: "" }), { example: e, prompt: "" }, {
      specs: [], tokenizer, template: getTemplate("star"), openThink: false, maxCompletionLength: 64, truncatedReward: null,
    });
    expect(x.tokens).toEqual({ response: tokenizer.encode("<scratch>\n1 2\n</scratch>\n3").length, thinking: "\n1 2\n".length });
    expect(x.maxTokens).toBe(64);
  });

  it("problems from a dataset file: epoch-wise shuffled, and they must be the task's", async () => {
    const file = path.join(freshDir("ratio-grpo-data-"), "p.jsonl");
    writeFileSync(file, ["1 + 1", "2 + 2", "3 + 3"].map((q, i) => JSON.stringify({ question: q, answer: String(2 * (i + 1)) })).join("\n"));
    const s = await source({ task: "math", dataset: { path: file }, batch_size: 3 });
    expect(s.batch(1, 0).map((p) => p.example.question).sort()).toEqual(["1 + 1", "2 + 2", "3 + 3"]);
    await expect(source({ task: "addition", dataset: { path: file } })).rejects.toThrow(/holds math problems, but task is "addition"/);
    expect(() => parseGrpoOptions({ task: "math", dataset: { path: file }, task_options: { minDigits: 1 } })).toThrow(/field task_options: problems come from dataset/);
  });
});

describe("parseGrpoOptions", () => {
  it("defaults (docs/training.md lists them beside TRL's and verl's)", () => {
    expect(parseGrpoOptions({})).toMatchObject({
      task: "addition", template: null, rewards: [{ name: "correctness", weight: 1 }], steps: 100, batch_size: 8, num_generations: 8,
      max_completion_length: 96, temperature: 1, learning_rate: 1e-4, beta: 0, kl_estimator: "k3", epsilon_low: 0.2, epsilon_high: 0.2,
      num_iterations: 1, loss_type: "dapo", scale_rewards: "group", mask_truncated_completions: false, truncated_reward: null,
      dynamic_filtering: false, max_resample_batches: 3, max_grad_norm: 1, weight_decay: 0, save_every: 25,
    });
  });

  it("errors name the field", () => {
    expect(() => parseGrpoOptions({ loss_type: "ppo" })).toThrow(/^grpo options: field loss_type: /);
    expect(() => parseGrpoOptions({ epsilon_low: 1 })).toThrow(/field epsilon_low/);
    expect(() => parseGrpoOptions({ budget_range: [40, 20], template: "l1-max" })).toThrow(/min ≤ max, got \[40, 20\]/);
    expect(() => parseGrpoOptions({ kl: "k3" })).toThrow(/unknown field kl \(expected one of: task, /);
  });
});
