// A learning rate that breaks the model (lr 1e4: the activations overflow, grad_norm is 0 from then on) stops an sft
// stage: the stage and the run are marked failed with a message saying what happened and what to do, no checkpoint
// of the broken model is left, and --resume with a sane learning rate then trains the stage from its start. Also:
// nonsense sft options are refused when the file is read.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePipeline, runPipeline } from "../../src/pipeline/index.js";
import { RunDir } from "../../src/run/index.js";
import { freshDir } from "../fixtures/tmp.js";
import { tinyPipeline } from "./tiny-pipeline.js";

const YAML = `${tinyPipeline("tiny-diverged", 3)}  - name: sft
    type: sft
    data: { task: add, n: 32 }
    steps: 6
    batch_size: 8
    lr: 10000
    schedule: constant
    max_grad_norm: 0
    save_every: 1
`;

const errorOf = (text: string): string => {
  try {
    parsePipeline(text, "d.yaml");
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
};

describe("a diverging sft stage", () => {
  it("fails the stage with what happened, keeps no broken checkpoint, and resumes from the start with a fixed lr", async () => {
    const out = path.join(freshDir("ratio-diverged-"), "run");
    await expect(runPipeline(parsePipeline(YAML, "d.yaml"), { out, threads: 1 })).rejects.toThrow(/^stage "sft" step \d+: grad_norm is 0 while the loss is .*learning rate far too high \(learning_rate is 10000\)/);
    const m = RunDir.readManifest(out);
    expect(m.status).toBe("failed");
    const sft = m.stages.find((s) => s.name === "sft");
    expect(sft).toMatchObject({ status: "failed" });
    expect(sft?.error).toMatch(/grad_norm is 0 while the loss is/);
    expect(RunDir.open(out, { resume: true }).checkpointSteps("sft")).toEqual([]);

    const r = await runPipeline(parsePipeline(YAML.replace("    lr: 10000", "    lr: 0.003"), "d.yaml"), { out, threads: 1, resume: true });
    expect(r.status).toBe("complete");
    expect(r.stages[0].summary.steps).toBe(6);
  });

  it("refuses lr 0 and a micro-batch larger than the batch at their line", () => {
    expect(errorOf(YAML.replace("    lr: 10000", "    lr: 0"))).toMatch(/^d\.yaml:19: stages\[0\]\.lr: .*>0, got 0/);
    expect(errorOf(YAML.replace("    batch_size: 8", "    batch_size: 8\n    micro_batch_size: 16"))).toMatch(/^d\.yaml:19: stages\[0\]\.micro_batch_size: 16 exceeds batch_size 8/);
  });
});
