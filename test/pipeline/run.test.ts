// A two-stage pipeline (sft → eval) on a tiny model, end to end in-process: manifest lineage and status, one
// metrics row per (stage, step), checkpoints, stop + resume giving the numbers of an uninterrupted run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePipeline, runPipeline, type Pipeline } from "../../src/pipeline/index.js";
import { RunDir, type MetricsRow } from "../../src/run/index.js";
import { freshDir } from "../fixtures/tmp.js";
import { tinyPipeline } from "./tiny-pipeline.js";

const YAML = `${tinyPipeline("tiny-add", 5)}  - name: sft
    type: sft
    data: { task: add, n: 48 }
    steps: 12
    batch_size: 8
    lr: 0.003
    save_every: 4
  - name: eval
    type: eval
    task: add
    n: 6
    k: 2
`;

const TIMING = new Set(["step_time", "tokens_per_second"]);
const withoutTiming = (rows: MetricsRow[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING.has(k))));
/** metrics.jsonl rows, optionally of one stage and kind (reading, unlike RunDir.open, changes nothing). */
function metrics(dir: string, stage?: string, kind?: string): MetricsRow[] {
  const rows = readFileSync(path.join(dir, "metrics.jsonl"), "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as MetricsRow);
  return rows.filter((r) => (stage === undefined || r.stage === stage) && (kind === undefined || (r.kind ?? "train") === kind));
}
const pipeline = (text = YAML): Pipeline => parsePipeline(text, "tiny-add.yaml");
const opts = { threads: 1 };

describe("runPipeline", () => {
  const root = freshDir("ratio-pipeline-");
  const full = path.join(root, "full");

  it("runs sft → eval: lineage, status, metrics, checkpoints", async () => {
    const lines: string[] = [];
    const r = await runPipeline(pipeline(), { ...opts, out: full, report: (l) => lines.push(l) });
    expect(r.status).toBe("complete");
    const m = RunDir.readManifest(full);
    expect(m.status).toBe("complete");
    expect(m.stages.map((s) => [s.name, s.kind, s.status])).toEqual([["base", "init", "complete"], ["sft", "sft", "complete"], ["eval", "eval", "complete"]]);
    expect(m.stages[1].inputs).toEqual({ model: "checkpoints/base/final", data: "task add gold rationales 0…47" });
    expect(m.stages[1].outputs).toEqual({ checkpoint: "checkpoints/sft/final" });
    expect(m.stages[2].inputs).toEqual({ model: "checkpoints/sft/final", task: "add (addition)" });
    const sft = metrics(full, "sft");
    expect(sft.map((x) => x.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(Object.keys(sft[0])).toEqual(expect.arrayContaining(["loss", "learning_rate", "grad_norm", "num_tokens", "tokens_per_second", "step_time"]));
    expect(sft[11].loss as number).toBeLessThan(sft[0].loss as number);
    const ev = metrics(full, "eval", "eval");
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ problems: 6 });
    expect(typeof ev[0]["maj@2"]).toBe("number");
    expect(readdirSync(path.join(full, "checkpoints/sft")).sort()).toEqual(["final", "step-12", "step-8"]);
    expect(existsSync(path.join(full, "checkpoints/sft/final/model.safetensors"))).toBe(true);
    expect(existsSync(path.join(full, "checkpoints/sft/final/trainer_state"))).toBe(false);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[1\/2\] sft sft \(.* s\): steps 12, examples 48, loss .* → checkpoints\/sft\/final$/);
    expect(lines[1]).toMatch(/^\[2\/2\] eval eval .*accuracy \d+\.\d%, problems 6, maj@2/);
  });

  it("refuses a non-empty run directory without resume, and a changed pipeline with resume", async () => {
    await expect(runPipeline(pipeline(), { ...opts, out: full })).rejects.toThrow(/not empty.*--resume/);
    await expect(runPipeline(pipeline(YAML.replace("steps: 12", "steps: 13")), { ...opts, out: full, resume: true })).rejects.toThrow(/tiny-add\.yaml: stages\[0\]\.steps differs from the run in .* \(12 there\), where stage "sft" is complete/);
    await expect(runPipeline(pipeline(YAML.replace("seed: 5", "seed: 6")), { ...opts, out: full, resume: true })).rejects.toThrow(/tiny-add\.yaml: seed differs from the run in .* \(5 there\), which the stages done so far were made with/);
    expect(RunDir.readManifest(full).status).toBe("complete");
  });

  it("resuming a complete run skips every stage and logs nothing new", async () => {
    const before = readFileSync(path.join(full, "metrics.jsonl"), "utf8");
    const r = await runPipeline(pipeline(), { ...opts, out: full, resume: true });
    expect(r.stages.map((s) => s.status)).toEqual(["skipped", "skipped"]);
    expect(readFileSync(path.join(full, "metrics.jsonl"), "utf8")).toBe(before);
    expect(RunDir.readManifest(full).status).toBe("complete");
  });

  it("stopped mid-stage and resumed, it logs each step once and reaches the same numbers", async () => {
    const split = path.join(root, "split");
    const first = await runPipeline(pipeline(), { ...opts, out: split, stopAfterSteps: 6 });
    expect(first.status).toBe("stopped");
    expect(RunDir.readManifest(split).stages[1]).toMatchObject({ name: "sft", status: "running", step: 6 });
    const second = await runPipeline(pipeline(), { ...opts, out: split, resume: true });
    expect(second.status).toBe("complete");
    const a = metrics(full);
    const b = metrics(split);
    expect(withoutTiming(b)).toEqual(withoutTiming(a));
    const weights = (dir: string) => readFileSync(path.join(dir, "checkpoints/sft/final/model.safetensors"));
    expect(weights(split).equals(weights(full))).toBe(true);
  });

  it("a stage that has not completed may change before --resume", async () => {
    const dir = path.join(root, "changed");
    await runPipeline(pipeline(), { ...opts, out: dir, stopAfterSteps: 3 });
    const r = await runPipeline(pipeline(YAML.replace("    n: 6", "    n: 5")), { ...opts, out: dir, resume: true });
    expect(r.stages.map((s) => s.summary.problems ?? s.summary.steps)).toEqual([12, 5]);
    const m = RunDir.readManifest(dir);
    expect(m.status).toBe("complete");
    expect((m.config as { pipeline: { stages: { n?: number }[] } }).pipeline.stages[1].n).toBe(5);
  });

  it("trains on a mixture: the sources' rows concatenated, each repeated as asked, named in the lineage", async () => {
    const dir = path.join(root, "mix");
    const yaml = `${tinyPipeline("tiny-mix", 5)}  - name: sft
    type: sft
    data:
      - { task: add, n: 6 }
      - { task: add, n: 4, offset: 100, repeat: 3 }
    epochs: 1
    batch_size: 6
`;
    const r = await runPipeline(pipeline(yaml), { ...opts, out: dir });
    expect(r.status).toBe("complete");
    expect(RunDir.readManifest(dir).stages[1].inputs).toEqual({ model: "checkpoints/base/final", data: "task add gold rationales 0…5 + task add gold rationales 100…103 × 3" });
    expect(r.stages[0].summary).toMatchObject({ examples: 18, steps: 3 });
  });
});
