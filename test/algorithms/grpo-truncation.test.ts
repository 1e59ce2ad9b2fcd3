// Completions cut at max_completion_length: masked out of the loss (mask_truncated_completions) or given a fixed
// reward (truncated_reward); counted in completions/clipped_ratio either way.
import { describe, expect, it } from "vitest";
import { groupAdvantages } from "../../src/algorithms/grpo/advantages.js";
import { parseGrpoOptions, runGrpo, samplingSeed } from "../../src/algorithms/grpo/grpo.js";
import { ProblemSource, type Problem } from "../../src/algorithms/grpo/problems.js";
import { grpoSequences } from "../../src/algorithms/grpo/sequences.js";
import { rollout } from "../../src/algorithms/rollout.js";
import { loadCheckpoint } from "../../src/model/checkpoint.js";
import { Generator } from "../../src/sampling/generate.js";
import { Trainer } from "../../src/train/trainer.js";
import { completionScorer } from "../../src/algorithms/grpo/scoring.js";
import type { Rollout } from "../../src/algorithms/rollout.js";
import { buildRewardSpecs } from "../../src/rewards/registry.js";
import { getTask } from "../../src/tasks/registry.js";
import { config, freshContext, model, TINY_GRPO, tokenizer } from "./grpo-model.js";

const task = getTask("multiple-choice");
const example = task.generate({ seed: 0, index: 0, numChoices: 2, maxValue: 10 });
const problem: Problem = { example, prompt: task.prompt(example) };

function fakeRollout(completion: string, truncated: boolean): Rollout {
  return {
    example, problemIndex: 0, sampleIndex: 0, prompt: problem.prompt, promptIds: [tokenizer.bosId!], completion,
    tokenIds: tokenizer.encode(completion), logprobs: [], finishReason: truncated ? "length" : "stop", truncated,
    score: task.score(completion, example),
  };
}

describe("truncated completions", () => {
  it("truncated_reward replaces the total of a truncated completion; the unweighted parts stay", () => {
    const gold = example.answer;
    const score = completionScorer({
      specs: buildRewardSpecs([{ name: "correctness" }, { name: "overlong", weight: 0.5, options: { cacheLength: 2 } }]),
      tokenizer, openThink: false, maxCompletionLength: 4, truncatedReward: -1,
    });
    const [done, cut] = score([fakeRollout(gold, false), fakeRollout(`${gold}   `, true)], [problem]);
    expect(done.reward).toBe(1); // correct, length 1 ≤ L_max − L_cache: no overlong penalty
    expect(cut.truncated).toBe(true);
    expect(cut.reward).toBe(-1);
    expect(cut.parts).toEqual({ correctness: 1, overlong: -1 }); // 4 tokens: (2 − 4) / 2
    const keep = completionScorer({ specs: buildRewardSpecs([{ name: "correctness" }]), tokenizer, openThink: false, maxCompletionLength: 4, truncatedReward: null });
    expect(keep([fakeRollout(gold, true)], [problem])[0].reward).toBe(1);
  });

  it("mask_truncated_completions: runGrpo's first step equals one update on the hand-built batch with truncated completions masked", async () => {
    const opts = parseGrpoOptions({ ...TINY_GRPO, steps: 1, max_completion_length: 2, mask_truncated_completions: true });
    const ctx = freshContext();
    const m = model();
    const r = await runGrpo(ctx, m, opts);
    expect(ctx.run.metrics("grpo")[0]["completions/clipped_ratio"]).toBeGreaterThan(0);

    // the same step by hand: problems, sampling seed, rewards, advantages, masked sequences, one update
    const params = m.params.clone();
    const gen = await Generator.create({ config, params, tokenizer });
    const source = await ProblemSource.create(opts, task, undefined, ctx.seed, ctx.stage);
    const problems = source.batch(1, 0);
    const rolls = await rollout(gen, task, problems.map((p) => p.example), {
      n: opts.num_generations, temperature: 1, maxTokens: opts.max_completion_length, seed: samplingSeed(ctx.seed, ctx.stage, 1, 0),
    }, problems.map((p) => p.prompt));
    const rewards = rolls.map((x) => (x.score.correct ? 1 : 0));
    const adv = groupAdvantages(rewards, opts.num_generations, "group").advantages;
    const items = rolls.map((x) => ({ promptIds: x.promptIds, tokenIds: x.tokenIds, truncated: x.truncated }));
    const masked = grpoSequences(items, adv, true);
    // not vacuous: some truncated completion has a non-zero advantage, so masking changes the update
    expect(rolls.some((x, i) => x.truncated && adv[i] !== 0)).toBe(true);
    expect(rolls.some((x, i) => !x.truncated && adv[i] !== 0)).toBe(true);
    const trainer = await Trainer.create({ config, params, schedule: { type: "constant", lr: opts.learning_rate }, optimizer: { weightDecay: 0 }, padId: tokenizer.padId });
    await trainer.train(masked);
    const trained = (await loadCheckpoint(r.checkpoint!)).params.flat;
    expect(Buffer.from(trained.buffer).equals(Buffer.from(params.flat.buffer))).toBe(true);
  });

  it("without masking the same completions train; truncated_reward makes every group equal (no signal)", async () => {
    const ctx = freshContext();
    await runGrpo(ctx, model(), { ...TINY_GRPO, steps: 1 });
    expect(ctx.run.metrics("grpo")[0].grad_norm).toBeGreaterThan(0);
    const penalized = freshContext();
    await runGrpo(penalized, model(), { ...TINY_GRPO, steps: 1, truncated_reward: -1 });
    const row = penalized.run.metrics("grpo")[0];
    expect(row.reward).toBe(-1);
    expect(row.frac_reward_zero_std).toBe(1);
  });
});
