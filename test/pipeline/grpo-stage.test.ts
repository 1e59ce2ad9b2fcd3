// The grpo stage type in a pipeline: keys checked against runGrpo's options (task, task_options and template come
// from the pipeline's task), and a tiny sft → grpo → eval run with its lineage.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePipeline, runPipeline } from "../../src/pipeline/index.js";
import type { Manifest, MetricsRow } from "../../src/run/index.js";
import { freshDir } from "../fixtures/tmp.js";
import { tinyPipeline } from "./tiny-pipeline.js";

const YAML = `${tinyPipeline("tiny-grpo", 2)}  - name: sft
    type: sft
    data: { task: add, n: 32 }
    steps: 4
    batch_size: 8
  - name: rl
    type: grpo
    task: add
    steps: 2
    batch_size: 2
    num_generations: 2
    max_completion_length: 12
    save_every: 1
  - name: eval
    type: eval
    task: add
    n: 4
    max_tokens: 12
`;

const errorOf = (text: string): string => {
  try {
    parsePipeline(text, "g.yaml");
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
};

describe("grpo stages", () => {
  it("takes runGrpo's keys, except those the task supplies, and checks them at their line", () => {
    expect(parsePipeline(YAML, "g.yaml").stages[1]).toMatchObject({ type: "grpo", model: "sft", task: "add" });
    expect(errorOf(YAML.replace("    steps: 2\n", "    steps: 2\n    task_options: { maxDigits: 2 }\n"))).toMatch(/^g\.yaml:23: stages\[1\]\.task_options: unknown key "task_options" for a grpo stage/);
    expect(errorOf(YAML.replace("    num_generations: 2", "    num_generations: 1"))).toMatch(/^g\.yaml:24: stages\[1\]\.num_generations: .*>=2, got 1/);
    expect(errorOf(YAML.replace("    steps: 2\n", "    steps: 2\n    budget_range: [8, 16]\n"))).toMatch(/^g\.yaml:23: stages\[1\]\.budget_range: .*only the l1-exact and l1-max templates/);
    expect(errorOf(YAML.replace("    task: add\n    steps: 2", "    steps: 2"))).toMatch(/^g\.yaml:19: stages\[1\]: a grpo stage needs task/);
  });

  it("runs sft → grpo → eval and records the lineage", async () => {
    const out = path.join(freshDir("ratio-grpo-stage-"), "run");
    const r = await runPipeline(parsePipeline(YAML, "g.yaml"), { out, threads: 1 });
    expect(r.stages.map((s) => s.status)).toEqual(["complete", "complete", "complete"]);
    const m = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")) as Manifest;
    const rl = m.stages.find((s) => s.name === "rl");
    expect(rl).toMatchObject({ kind: "grpo", status: "complete", inputs: { model: "checkpoints/sft/final", task: "add (addition)" }, outputs: { checkpoint: "checkpoints/rl/final" } });
    expect(m.stages.find((s) => s.name === "eval")?.inputs.model).toBe("checkpoints/rl/final");
    const rows = readFileSync(path.join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as MetricsRow);
    expect(rows.filter((x) => x.stage === "rl").map((x) => x.step)).toEqual([1, 2]);
    expect(m.status).toBe("complete");
  });
});
