// GRPO options checked before any step: rewards against the options they read (LCPO's budget, overlong's window,
// distinct names), min_lr against learning_rate, reward option errors in words, max_completion_length against the
// model's context; a learning rate that breaks the model stops the stage (DivergedError) and keeps no broken
// checkpoint; a completed stage records its last step in the manifest.
import { describe, expect, it } from "vitest";
import { parseGrpoOptions, runGrpo } from "../../src/algorithms/grpo/grpo.js";
import { getReward } from "../../src/rewards/registry.js";
import { DivergedError } from "../../src/run/diagnostics.js";
import { freshContext, model, TINY_GRPO } from "./grpo-model.js";

describe("GRPO option checks", () => {
  it("checks the rewards against the options they read", () => {
    expect(() => parseGrpoOptions({ rewards: [{ name: "lcpo" }] })).toThrow(/field rewards: rewards\[0\] \(lcpo\) needs a token budget n_gold: template l1-exact or l1-max with budget_range/);
    expect(() => parseGrpoOptions({ rewards: [{ name: "lcpo", options: { targetTokens: 50 } }] })).not.toThrow();
    expect(() => parseGrpoOptions({ template: "l1-exact", budget_range: [8, 16], rewards: [{ name: "lcpo" }] })).not.toThrow();
    expect(() => parseGrpoOptions({ max_completion_length: 40, rewards: [{ name: "overlong", options: { cacheLength: 100 } }] })).toThrow(
      /field rewards: rewards\[0\] \(overlong\): options\.cacheLength 100 exceeds L_max 40 \(max_completion_length\).*at most 40/,
    );
    expect(() => parseGrpoOptions({ max_completion_length: 40, rewards: [{ name: "overlong", options: { cacheLength: 16 } }] })).not.toThrow();
    expect(() => parseGrpoOptions({ rewards: [{ name: "correctness" }, { name: "correctness", weight: 0.5 }] })).toThrow(
      /field rewards: rewards\[1\] is a second reward named "correctness" \(rewards\[0\] is the first\); give one a distinct label/,
    );
    expect(() => parseGrpoOptions({ rewards: [{ name: "correctness" }, { name: "correctness", label: "c2" }] })).not.toThrow();
  });

  it("explains why temperature 0 is refused", () => {
    expect(() => parseGrpoOptions({ temperature: 0 })).toThrow(/field temperature: expected a number > 0 \(0 is greedy decoding: the G completions of a prompt would be identical/);
  });

  it("checks min_lr against learning_rate for a decaying schedule", () => {
    expect(() => parseGrpoOptions({ lr_scheduler_type: "linear", min_lr: 1 })).toThrow(/field min_lr: 1 exceeds learning_rate 0\.0001/);
    expect(() => parseGrpoOptions({ lr_scheduler_type: "cosine", min_lr: 1e-5 })).not.toThrow();
  });

  it("words reward option errors: unknown (with the known ones), missing, of the wrong kind", () => {
    // @ts-expect-error wrong on purpose: the run-time message is under test
    expect(() => getReward("correctness", { foo: 1 })).toThrow('reward "correctness": options: unknown option "foo" (expected one of: use)');
    // @ts-expect-error wrong on purpose: the run-time message is under test
    expect(() => getReward("overlong", {})).toThrow('reward "overlong": options.cacheLength: required (expected a number)');
    // @ts-expect-error wrong on purpose: the run-time message is under test
    expect(() => getReward("cosine", { maxTokens: "x" })).toThrow('reward "cosine": options.maxTokens: expected a number, got "x"');
    // @ts-expect-error wrong on purpose: the run-time message is under test
    expect(() => getReward("cosine", { preset: "foo" })).toThrow('reward "cosine": options.preset: expected one of "paper", "code", "trl", got "foo"');
  });

  it("names max_completion_length when a prompt plus it exceeds the context, before sampling", async () => {
    const ctx = freshContext();
    await expect(runGrpo(ctx, model(), { ...TINY_GRPO, max_completion_length: 200 })).rejects.toThrow(
      /^grpo stage "grpo": field max_completion_length: 200 new tokens after the longest step 1 prompt \(\d+ tokens\) exceed the model's context of 80; use at most \d+$/,
    );
    expect(ctx.run.stage("grpo")?.status).toBe("failed");
  });

  it("records the last step in the manifest when save_every does not divide steps", async () => {
    const ctx = freshContext();
    await runGrpo(ctx, model(), { ...TINY_GRPO, steps: 3, save_every: 2 });
    expect(ctx.run.stage("grpo")).toMatchObject({ status: "complete", step: 3 });
  });

  it("stops on a learning rate that breaks the model, failing the stage and removing the broken checkpoints", async () => {
    const ctx = freshContext();
    const run = runGrpo(ctx, model(), { ...TINY_GRPO, steps: 6, save_every: 1, learning_rate: 1e4, max_grad_norm: 0 });
    await expect(run).rejects.toThrow(DivergedError);
    await expect(run).rejects.toThrow(/grad_norm is 0 while the loss is .*learning rate far too high \(learning_rate is 10000\)/);
    const record = ctx.run.stage("grpo");
    expect(record?.status).toBe("failed");
    expect(record?.error).toMatch(/grad_norm is 0/);
    const failedAt = Math.max(...ctx.run.metrics("grpo").map((r) => r.step));
    expect(ctx.run.checkpointSteps("grpo").every((s) => s < failedAt - 1)).toBe(true);
  });
});
