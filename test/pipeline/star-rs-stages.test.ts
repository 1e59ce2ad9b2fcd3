// The star and rejection_sampling stage types in a pipeline, in the shape of the R1 recipe on a tiny model:
// sft → star → rejection_sampling → sft from base on the kept data → eval, with the datasets in the lineage.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePipeline, runPipeline } from "../../src/pipeline/index.js";
import type { Manifest } from "../../src/run/index.js";
import { freshDir } from "../fixtures/tmp.js";
import { tinyPipeline } from "./tiny-pipeline.js";

const YAML = `${tinyPipeline("tiny-r1", 4)}  - name: cold
    type: sft
    data: { task: add, n: 8 }
    steps: 150
    batch_size: 8
    lr: 0.01
    schedule: constant
  - name: star
    type: star
    task: add
    iterations: 1
    problems_per_iteration: 8
    start_steps: 2
    batch_size: 4
    max_completion_length: 48
    eval_problems: 4
  - name: rs
    type: rejection_sampling
    model: cold
    task: add
    problems: 6
    samples_per_prompt: 2
    temperature: 0.3
    max_completion_length: 48
  - name: again
    type: sft
    model: base
    data: rs
    steps: 2
    batch_size: 4
  - name: eval
    type: eval
    task: add
    n: 4
    max_tokens: 48
`;

const errorOf = (text: string): string => {
  try {
    parsePipeline(text, "r.yaml");
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
};

describe("star and rejection_sampling stages", () => {
  it("check their keys at their line; a dataset-only stage is no model", () => {
    const p = parsePipeline(YAML, "r.yaml");
    expect(p.stages.map((s) => [s.name, s.model])).toEqual([["cold", "base"], ["star", "cold"], ["rs", "cold"], ["again", "base"], ["eval", "again"]]);
    expect(p.stages[3].data).toEqual([{ from: "stage", stage: "rs", repeat: 1 }]);
    expect(errorOf(YAML.replace("    iterations: 1", "    iterations: 0"))).toMatch(/^r\.yaml:24: stages\[1\]\.iterations: .*>0, got 0/);
    expect(errorOf(YAML.replace("    samples_per_prompt: 2", "    samples: 2"))).toMatch(/^r\.yaml:35: stages\[2\]\.samples: unknown key "samples" for a rejection_sampling stage/);
    expect(errorOf(YAML.replace("    model: base\n    data: rs", "    model: rs\n    data: rs"))).toMatch(/^r\.yaml:40: stages\[3\]\.model: stage "rs" \(rejection_sampling\) produces no model/);
    expect(errorOf(YAML.replace("    data: rs", "    data: eval"))).toMatch(/^r\.yaml:41: stages\[3\]\.data: stage "eval" comes later \(line 44\)/);
    expect(errorOf(YAML.replace("    task: addition", "    task: countdown").replace("    options: { minDigits: 1, maxDigits: 1 }\n", "").replace("    data: { task: add, n: 8 }", "    data: x.jsonl"))).toMatch(/\.jsonl does not exist|rationalization/);
  });

  it("runs sft → star → rejection_sampling → sft from base → eval", async () => {
    const out = path.join(freshDir("ratio-star-rs-"), "run");
    const r = await runPipeline(parsePipeline(YAML, "r.yaml"), { out, threads: 1 });
    expect(r.status).toBe("complete");
    const m = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")) as Manifest;
    const stage = (n: string) => m.stages.find((s) => s.name === n);
    expect(stage("star")).toMatchObject({ kind: "star", status: "complete", inputs: { model: "checkpoints/cold/final", task: "add (addition)" }, outputs: { checkpoint: "checkpoints/star/final", dataset: "datasets/star/iter-1.jsonl" } });
    expect(stage("rs")).toMatchObject({ kind: "rejection_sampling", status: "complete", inputs: { model: "checkpoints/cold/final" }, outputs: { dataset: "datasets/rs/kept.jsonl" } });
    expect(stage("again")).toMatchObject({ inputs: { model: "checkpoints/base/final", data: "datasets/rs/kept.jsonl" }, outputs: { checkpoint: "checkpoints/again/final" } });
    expect(stage("eval")?.inputs.model).toBe("checkpoints/again/final");
    expect(m.status).toBe("complete");
  });
});
