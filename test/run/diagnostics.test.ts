// Diagnostics beyond NaN: a gradient that vanished while the loss did not (overflowed activations, e.g. a learning
// rate of 1e4) stops the stage and removes the checkpoints holding the broken model; dynamic filtering that runs out
// of batches says so (and the zero-std warning does not then suggest dynamic_filtering).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Diagnostics, DivergedError, discardBrokenCheckpoints, RunDir } from "../../src/run/index.js";
import { freshDir } from "../fixtures/tmp.js";

describe("Diagnostics: divergence and dynamic filtering", () => {
  it("stops when grad_norm is 0 while the loss is not, and only then", () => {
    const d = new Diagnostics(() => undefined);
    expect(() => d.observe({ stage: "g", step: 1, loss: 0, grad_norm: 0 })).not.toThrow(); // zero advantages: nothing to learn
    expect(() => d.observe({ stage: "g", step: 2, loss: 3.6, grad_norm: 0.5 })).not.toThrow();
    let err: unknown;
    try {
      d.observe({ stage: "sft", step: 3, loss: 3.6376, grad_norm: 0, learning_rate: 10000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergedError);
    expect((err as DivergedError).brokenFrom).toBe(2);
    expect((err as Error).message).toMatch(/^stage "sft" step 3: grad_norm is 0 while the loss is 3\.638: the activations overflowed after the update of step 2.*stopped.*learning rate far too high \(learning_rate is 10000\)/);
  });

  it("removes the checkpoints that hold the broken model, so the resume point is the last good one", () => {
    const run = RunDir.open(freshDir("ratio-diag-"), { seed: 0 });
    run.startStage("sft", "sft");
    for (const step of [2, 4, 6]) {
      mkdirSync(run.checkpointDir("sft", step), { recursive: true });
      writeFileSync(`${run.checkpointDir("sft", step)}/config.json`, "{}");
    }
    const e = new DivergedError("sft", 5, 3.6);
    discardBrokenCheckpoints(run, "sft", e);
    expect(run.checkpointSteps("sft")).toEqual([2]);
    expect(existsSync(run.checkpointDir("sft", 4))).toBe(false);
    expect(run.stage("sft")?.step).toBe(2);
    expect(e.message).toMatch(/removed the checkpoints step-4, step-6, which held the broken model/);
  });

  it("says when dynamic filtering stopped at max_resample_batches, once, instead of suggesting dynamic_filtering", () => {
    const said: string[] = [];
    const d = new Diagnostics((m) => said.push(m));
    const row = (step: number, kept: number) => ({
      stage: "g", step, frac_reward_zero_std: kept === 0 ? 1 : 0.5,
      "dynamic_filtering/groups_generated": 8, "dynamic_filtering/groups_kept": kept, "dynamic_filtering/batches": 4,
    });
    d.observe(row(1, 2)); // 2 groups a step (8 over 4 batches): full
    expect(said).toEqual([]);
    d.observe(row(2, 0));
    d.observe(row(3, 0));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^warning \[g step 2\]: dynamic filtering stopped at its limit of 4 batches \(max_resample_batches 3\) with 0 of the 2 groups .*no update.*Fix: .*max_resample_batches/);
    expect(said.join("\n")).not.toMatch(/or dynamic_filtering/);
  });

  it("one warning for completions cut at the maximum, whose advice fits mask_truncated_completions", () => {
    const said: string[] = [];
    const row = { stage: "g", step: 1, "completions/clipped_ratio": 1, "completions/mean_length": 40 };
    new Diagnostics((m) => said.push(m), 40).observe(row);
    expect(said).toHaveLength(1); // not also "length near the maximum": the same cause
    expect(said[0]).toMatch(/100% of completions hit max_completion_length .*or mask truncated completions/);
    const masked: string[] = [];
    new Diagnostics((m) => masked.push(m), 40, true).observe(row);
    expect(masked[0]).toMatch(/they are masked \(mask_truncated_completions\), so they teach nothing/);
    expect(masked[0]).not.toMatch(/or mask truncated/);
  });
});
