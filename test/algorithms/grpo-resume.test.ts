// Resume: a stage stopped after 3 steps (stopAfterSteps) and resumed from its checkpoint logs exactly the metrics and
// samples of an uninterrupted run (timing fields aside) and ends with bit-identical weights. The run uses a KL
// reference (reloaded from the stage input), μ = 2 (old log-probs) and dynamic filtering (resampled batches).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runGrpo } from "../../src/algorithms/grpo/grpo.js";
import { TIMING_METRICS } from "../../src/algorithms/grpo/metrics.js";
import { loadCheckpoint } from "../../src/model/checkpoint.js";
import { RunDir, type MetricsRow } from "../../src/run/run-dir.js";
import { quietContext } from "../../src/run/stage.js";
import { freshContext, model, TINY_GRPO } from "./grpo-model.js";

const OPTIONS = { ...TINY_GRPO, steps: 5, save_every: 2, beta: 0.05, num_iterations: 2, dynamic_filtering: true, max_resample_batches: 1 };

const untimed = (rows: MetricsRow[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_METRICS.includes(k))));
const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n");

describe("GRPO resume", () => {
  it("stop after 3 steps + resume == 5 uninterrupted steps (metrics, samples, weights)", async () => {
    const straight = freshContext();
    const a = await runGrpo(straight, model(), OPTIONS);

    const first = freshContext("grpo", { stopAfterSteps: 3 });
    const stopped = await runGrpo(first, model(), OPTIONS);
    expect(stopped.stopped).toBe(true);
    expect(stopped.checkpoint).toBe(first.run.checkpointDir("grpo", 3));
    expect(first.run.checkpointSteps("grpo")).toEqual([2, 3]);
    expect(first.run.metrics("grpo").map((r) => r.step)).toEqual([1, 2, 3]);

    const reopened = RunDir.open(first.run.dir, { resume: true });
    const said: string[] = [];
    const b = await runGrpo(quietContext(reopened, "grpo", 0, { resume: true, say: (m) => said.push(m) }), model(), OPTIONS);
    expect(said[0]).toMatch(/resuming after step 3/);
    expect(b.stopped).toBeUndefined();
    expect(untimed(reopened.metrics("grpo"))).toEqual(untimed(straight.run.metrics("grpo")));
    expect(lines(reopened.samplesFile)).toEqual(lines(straight.run.samplesFile));
    const wa = (await loadCheckpoint(a.checkpoint!)).params.flat, wb = (await loadCheckpoint(b.checkpoint!)).params.flat;
    expect(Buffer.from(wb.buffer).equals(Buffer.from(wa.buffer))).toBe(true);
    expect(b.summary).toEqual(a.summary);

    // resuming a complete stage returns its result without training again
    const again = await runGrpo(quietContext(reopened, "grpo", 0, { resume: true }), model(), OPTIONS);
    expect(again.checkpoint).toBe(b.checkpoint);
    expect(reopened.metrics("grpo")).toHaveLength(5);
  });

  it("refuses to resume with other options, seed or input model, naming what changed", async () => {
    const ctx = freshContext("grpo", { stopAfterSteps: 1 });
    await runGrpo(ctx, model(), { ...OPTIONS, steps: 3 });
    const resume = (seed = 0) => quietContext(RunDir.open(ctx.run.dir, { resume: true }), "grpo", seed, { resume: true });
    await expect(runGrpo(resume(), model(), { ...OPTIONS, steps: 3, learning_rate: 0.1 })).rejects.toThrow(/GRPO options changed since this checkpoint/);
    await expect(runGrpo(resume(7), model(), { ...OPTIONS, steps: 3 })).rejects.toThrow(/trained with seed 0, this run has seed 7/);
    const other = model();
    other.params.flat[0] += 1;
    await expect(runGrpo(resume(), other, { ...OPTIONS, steps: 3 })).rejects.toThrow(/input model differs/);
    expect(RunDir.readManifest(ctx.run.dir).stages[0]).toMatchObject({ name: "grpo", status: "failed" });
    // save_every and log_samples do not change the trajectory: a resume may change them
    await expect(runGrpo(resume(), model(), { ...OPTIONS, steps: 3, save_every: 1, log_samples: 1 })).resolves.toMatchObject({ summary: { steps: 3 } });
  });
});
