import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics, NonFiniteError, readDataset, RunDir, writeDataset, writeStagePlots } from "../../src/run/index.js";
import { freshDir } from "../fixtures/tmp.js";
const tmpDir = (p: string) => freshDir(`ratio-${p}-`);

describe("RunDir", () => {
  it("creates the layout, refuses to clobber a run, and resumes it", () => {
    const dir = path.join(tmpDir("run"), "r");
    const run = RunDir.open(dir, { command: ["ratio", "run", "x.yaml"], config: { a: 1 }, seed: 7 });
    expect(run.manifest.status).toBe("running");
    run.startStage("sft", "sft", { model: "base" });
    run.logMetrics({ stage: "sft", step: 1, loss: 1 });
    expect(() => run.logMetrics({ stage: "sft", step: 1, loss: 2 })).toThrow(/already logged/);
    run.logMetrics({ stage: "sft", step: 1, kind: "eval", accuracy: 0.5 });
    run.finishStage("sft", { checkpoint: "checkpoints/sft/final" }, { accuracy: 0.5 });
    run.setStatus("complete");
    expect(() => RunDir.open(dir)).toThrow(/not empty.*--resume/);
    const again = RunDir.open(dir, { resume: true });
    expect(again.manifest.status).toBe("running");
    expect(again.stage("sft")?.outputs.checkpoint).toBe("checkpoints/sft/final");
    expect(() => RunDir.open(path.join(tmpDir("run"), "none"), { resume: true })).toThrow(/no run to resume/);
  });

  it("names a file or a non-run directory given as the run directory, without a raw errno", () => {
    const root = tmpDir("run");
    const file = path.join(root, "file");
    writeFileSync(file, "x");
    expect(() => RunDir.open(file)).toThrow(/file: is a file, not a run directory/);
    expect(() => RunDir.readManifest(file)).toThrow(/file: not a directory$/);
    const other = path.join(root, "other");
    mkdirSync(other);
    writeFileSync(path.join(other, "notes.txt"), "mine");
    expect(() => RunDir.open(other)).toThrow(/other: directory is not empty and holds no run \(no manifest\.json\); choose an empty or new --out$/);
    expect(readFileSync(path.join(other, "notes.txt"), "utf8")).toBe("mine");
  });

  it("drops a torn last line and rewinds a stage so each (stage, step) is logged once", () => {
    const dir = path.join(tmpDir("run"), "r");
    const run = RunDir.open(dir, { seed: 1 });
    run.startStage("grpo", "grpo");
    for (let s = 1; s <= 5; s++) run.logMetrics({ stage: "grpo", step: s, reward: s });
    run.logSamples([{ stage: "grpo", step: 5, completion: "x" }]);
    appendFileSync(run.metricsFile, '{"stage":"grpo","step":6,"rew'); // killed mid-write
    const resumed = RunDir.open(dir, { resume: true });
    expect(resumed.metrics("grpo").map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    resumed.rewind("grpo", 3);
    expect(resumed.metrics("grpo").map((r) => r.step)).toEqual([1, 2, 3]);
    expect(readFileSync(resumed.samplesFile, "utf8")).toBe("");
    resumed.logMetrics({ stage: "grpo", step: 4, reward: 4 });
    expect(resumed.metrics().length).toBe(4);
  });

  it("finds and prunes step checkpoints", () => {
    const run = RunDir.open(path.join(tmpDir("run"), "r"));
    for (const s of [2, 10, 4]) mkdirSync(run.checkpointDir("rl", s), { recursive: true });
    expect(run.latestCheckpoint("rl")?.step).toBe(10);
    run.pruneCheckpoints("rl", 2);
    expect(run.checkpointSteps("rl")).toEqual([4, 10]);
    expect(existsSync(run.checkpointDir("rl", 2))).toBe(false);
  });

  it("writes datasets with lineage and plots from metrics", () => {
    const run = RunDir.open(path.join(tmpDir("run"), "r"));
    const file = run.datasetPath("rs", "kept");
    writeDataset(file, [{ prompt: "p", completion: "c", problem_id: "a-1" }], { stage: "rs", seed: 3, sourceCheckpoint: "base" });
    const d = readDataset(file);
    expect(d.rows[0]).toMatchObject({ prompt: "p", completion: "c", problem_id: "a-1" });
    expect(d.lineage).toMatchObject({ stage: "rs", seed: 3, rows: 1 });
    writeFileSync(path.join(run.dir, "bad.jsonl"), '{"completion": 1}\n');
    expect(() => readDataset(path.join(run.dir, "bad.jsonl"))).toThrow(/bad.jsonl:1: field completion/);
    run.logMetrics({ stage: "g", step: 1, reward: 0.1, accuracy: 0.2, "completions/mean_length": 10 });
    run.logMetrics({ stage: "g", step: 2, reward: 0.3, accuracy: 0.4, "completions/mean_length": 12 });
    const files = writeStagePlots(run, "g");
    expect(files.map((f) => path.basename(f))).toEqual(["g-reward.svg", "g-accuracy.svg", "g-length.svg"]);
    expect(readFileSync(files[0], "utf8")).toContain("<svg");
  });
});

describe("Diagnostics", () => {
  it("prints each diagnostic once with cause and fix, and stops on NaN", () => {
    const said: string[] = [];
    const d = new Diagnostics((m) => said.push(m), 100);
    d.observe({ stage: "g", step: 1, frac_reward_zero_std: 1, "completions/clipped_ratio": 0.8, "completions/mean_length": 95 });
    d.observe({ stage: "g", step: 2, frac_reward_zero_std: 1 });
    expect(said.length).toBe(2); // "length near the maximum" has the cause "truncated" already named
    expect(said[0]).toMatch(/identical rewards.*Fix:/);
    expect(said[1]).toMatch(/max_completion_length/);
    for (let s = 3; s < 7; s++) d.observe({ stage: "g", step: s, kl: 0.01, accuracy: 0.6 });
    d.observe({ stage: "g", step: 7, kl: 0.5, accuracy: 0.1 });
    expect(d.seen.map((x) => x.kind)).toEqual(["zero-std-groups", "truncated", "kl-spike", "accuracy-collapse"]);
    expect(() => d.observe({ stage: "g", step: 8, loss: NaN })).toThrow(NonFiniteError);
    const near = new Diagnostics(() => undefined, 100);
    near.observe({ stage: "g", step: 1, "completions/clipped_ratio": 0.1, "completions/mean_length": 95 });
    expect(near.seen.map((x) => x.kind)).toEqual(["length-near-max"]);
  });
});
