// Pipeline files: every mistake is one error naming the file, the line and the key path.
import { readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline, parsePipeline, PipelineError } from "../../src/pipeline/index.js";
import { freshDir } from "../fixtures/tmp.js";

const GOOD = `name: t
seed: 3
model:
  preset: tiny
  vocab: auto
  max_position_embeddings: 160
tasks:
  add:
    task: addition
    options: { minDigits: 1, maxDigits: 2 }
stages:
  - name: warm
    type: sft
    data: { task: add, n: 50 }
    steps: 20
    batch_size: 8
  - name: again
    type: sft
    data: { task: add, n: 50, offset: 50 }
    epochs: 2
  - name: ev
    type: eval
    model: warm
    task: add
    n: 10
`;

/** GOOD with line `line` (1-based) replaced by `text` (several lines allowed). */
function edit(line: number, text: string): string {
  const lines = GOOD.split("\n");
  lines.splice(line - 1, 1, ...text.split("\n"));
  return lines.join("\n");
}

function errorOf(text: string): string {
  try {
    parsePipeline(text, "p.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("parsePipeline", () => {
  it("reads a valid file: defaults, model references, data and tasks", () => {
    const p = parsePipeline(GOOD, "p.yaml");
    expect(p).toMatchObject({ name: "t", seed: 3, model: { from: "preset", preset: "tiny", vocab: "auto", overrides: { max_position_embeddings: 160 } } });
    expect(p.stages.map((s) => [s.name, s.type, s.model, s.seed])).toEqual([["warm", "sft", "base", 3], ["again", "sft", "warm", 3], ["ev", "eval", "warm", 3]]);
    expect(p.stages[1].data).toEqual([{ from: "task", task: "add", n: 50, offset: 50, repeat: 1 }]);
    expect(p.tasks.get("add")?.goldExamples(1)[0].completion).toMatch(/<scratch>/);
  });

  it("names the line of an unknown key, with the keys that are allowed", () => {
    expect(errorOf(edit(16, "    batch_size: 8\n    lr_rate: 0.1"))).toMatch(/^p\.yaml:17: stages\[0\]\.lr_rate: unknown key "lr_rate" for an sft stage \(expected one of: .*\blr\b.*\)/);
    expect(errorOf(edit(5, "  vocab: auto\n  layers: 3"))).toMatch(/^p\.yaml:6: model\.layers: unknown key "layers" \(expected one of: preset, checkpoint, vocab/);
    expect(errorOf(GOOD + "extra: 1\n")).toMatch(/^p\.yaml:26: extra: unknown key "extra" \(expected one of: name, seed, model, tasks, stages\)/);
    expect(errorOf(edit(10, "    options: { minDigits: 1, maxDigit: 2 }"))).toMatch(/^p\.yaml:10: tasks\.add\.options\.maxDigit: task "addition": unknown option "maxDigit"/);
  });

  it("names the line of a wrong type or value", () => {
    expect(errorOf(edit(15, "    steps: many"))).toBe('p.yaml:15: stages[0].steps: expected a number, got "many"');
    expect(errorOf(edit(2, "seed: 1.5"))).toMatch(/^p\.yaml:2: seed: expected an integer/);
    expect(errorOf(edit(4, "  preset: huge"))).toMatch(/^p\.yaml:4: model\.preset: expected one of "tiny", "small", "medium", got "huge"/);
    expect(errorOf(edit(16, "    batch_size: 0"))).toMatch(/^p\.yaml:16: stages\[0\]\.batch_size: .*>0, got 0/);
    expect(errorOf(edit(20, "    epochs: 2\n    steps: 5"))).toMatch(/^p\.yaml:21: stages\[1\]\.steps: give exactly one of steps and epochs/);
    expect(errorOf(edit(10, "    options: { minDigits: 1, maxDigits: 20 }"))).toMatch(/^p\.yaml:10: tasks\.add\.options\.maxDigits: task "addition": option "maxDigits"/);
    expect(errorOf(edit(13, "    type: distill"))).toMatch(/^p\.yaml:13: stages\[0\]\.type: unknown stage type "distill" \(expected one of: sft, star, rejection_sampling, grpo, eval\)/);
  });

  it("names the line of a reference to an unknown or later stage, or an unknown task", () => {
    expect(errorOf(edit(23, "    model: warmup"))).toMatch(/^p\.yaml:23: stages\[2\]\.model: unknown stage "warmup" \(expected base, warm, again\)/);
    expect(errorOf(edit(14, "    model: ev\n    data: { task: add, n: 50 }"))).toMatch(/^p\.yaml:14: stages\[0\]\.model: stage "ev" comes later \(line 22\)/);
    expect(errorOf(edit(24, "    task: sub"))).toMatch(/^p\.yaml:24: stages\[2\]\.task: unknown task "sub" \(expected one of the tasks: add\)/);
    expect(errorOf(edit(19, "    data: warm"))).toMatch(/^p\.yaml:19: stages\[1\]\.data: stage "warm" \(sft\) produces no dataset/);
    expect(errorOf(edit(19, "    data: { task: subtract, n: 5 }"))).toMatch(/^p\.yaml:19: stages\[1\]\.data\.task: unknown task "subtract"/);
    expect(errorOf(edit(23, "    model: ev"))).toMatch(/stages\[2\]\.model: stage "ev" is this stage/);
  });

  it("reads a list of data sources (a mixture, each optionally repeated) and names the line of a bad one", () => {
    const mix = edit(19, "    data:\n      - { task: add, n: 50, offset: 50 }\n      - { task: add, n: 10, repeat: 3 }");
    expect(parsePipeline(mix, "p.yaml").stages[1].data).toEqual([
      { from: "task", task: "add", n: 50, offset: 50, repeat: 1 },
      { from: "task", task: "add", n: 10, offset: 0, repeat: 3 },
    ]);
    expect(errorOf(edit(19, "    data:\n      - { task: add, n: 5 }\n      - { task: sub, n: 5 }"))).toMatch(/^p\.yaml:21: stages\[1\]\.data\[1\]\.task: unknown task "sub"/);
    expect(errorOf(edit(19, "    data:\n      - { task: add, n: 5 }\n      - warm"))).toMatch(/^p\.yaml:21: stages\[1\]\.data\[1\]: stage "warm" \(sft\) produces no dataset/);
    expect(errorOf(edit(19, "    data:\n      - { stage: ev }"))).toMatch(/^p\.yaml:20: stages\[1\]\.data\[0\]\.stage: stage "ev" comes later \(line 22\)/);
    expect(errorOf(edit(19, "    data:\n      - { task: add, n: 5, repeat: 0 }"))).toMatch(/^p\.yaml:20: stages\[1\]\.data\[0\]\.repeat: /);
    expect(errorOf(edit(19, "    data: []"))).toMatch(/^p\.yaml:19: stages\[1\]\.data: an empty list/);
  });

  it("reports YAML syntax errors, duplicate keys, missing keys and reserved names with their line", () => {
    expect(errorOf(edit(15, "    steps: [1, 2"))).toMatch(/^p\.yaml:\d+: invalid YAML/);
    expect(errorOf(edit(16, "    batch_size: 8\n    steps: 3"))).toBe('p.yaml:17: invalid YAML: duplicate key "steps" (each key may appear once in a mapping)');
    expect(errorOf(edit(19, "    data: { task: add, n: 50, n: 60 }"))).toMatch(/^p\.yaml:19: invalid YAML: duplicate key "n"/);
    expect(errorOf(`${GOOD}---\nname: u\n`)).toMatch(/^p\.yaml:\d+: invalid YAML: a second document \(after ---\): the file must hold one$/);
    expect(errorOf("")).toBe("p.yaml:1: (top level): the file is empty (expected the keys name, model, stages and optionally seed, tasks)");
    expect(errorOf("# nothing yet\n")).toMatch(/^p\.yaml:1: \(top level\): the file is empty/);
    const dir = freshDir("ratio-spec-read-");
    expect(() => loadPipeline(path.join(dir, "missing.yaml"))).toThrow(/missing\.yaml: no such file$/);
    expect(() => loadPipeline(dir)).toThrow(/: is a directory, expected a pipeline file \(\.yaml\)$/);
    const noTask = GOOD.split("\n").slice(0, 20).join("\n") + "\n  - name: ev\n    type: eval\n    n: 3\n";
    expect(errorOf(noTask)).toMatch(/^p\.yaml:21: stages\[2\]: an eval stage needs task/);
    expect(errorOf(edit(12, "  - name: base"))).toMatch(/^p\.yaml:12: stages\[0\]\.name: "base" names the initial model/);
    expect(errorOf(edit(17, "  - name: warm"))).toMatch(/^p\.yaml:17: stages\[1\]\.name: a stage named "warm" comes earlier/);
    expect(errorOf(edit(14, "    lr: 0.01"))).toMatch(/^p\.yaml:12: stages\[0\]: an sft stage needs data/);
  });

  it("checks a grpo stage's reward names and options when the file is read, at the line of rewards", () => {
    const grpo = (rewards: string) => edit(25, `    n: 10\n  - name: rl\n    type: grpo\n    task: add\n    steps: 2\n    rewards: ${rewards}`);
    expect(() => parsePipeline(grpo("[{ name: correctness }, { name: format, weight: 0.5 }]"), "p.yaml")).not.toThrow();
    expect(errorOf(grpo("[{ name: correctnes }]"))).toMatch(/^p\.yaml:30: stages\[3\]\.rewards: unknown reward "correctnes" \(expected one of: correctness, /);
    expect(errorOf(grpo("[{ name: overlong, options: { bogus: 1 } }]"))).toMatch(/^p\.yaml:30: stages\[3\]\.rewards: reward "overlong": options/);
  });

  it("checks the model section: preset or checkpoint, overrides only with a preset, a valid vocabulary", () => {
    expect(errorOf(edit(4, "  preset: tiny\n  checkpoint: x"))).toMatch(/^p\.yaml:3: model: give preset .* or checkpoint/);
    expect(errorOf(edit(5, "  vocab: letters"))).toMatch(/^p\.yaml:5: model\.vocab: expected auto or chars:<alphabet>/);
    expect(errorOf(edit(6, "  num_attention_heads: 3"))).toMatch(/^p\.yaml:3: model: preset tiny: .*heads/);
    const dir = freshDir("ratio-spec-");
    const file = path.join(dir, "p.yaml");
    const ck = GOOD.replace("  preset: tiny\n  vocab: auto\n  max_position_embeddings: 160", "  checkpoint: nowhere");
    writeFileSync(file, ck);
    expect(() => parsePipeline(ck, file)).toThrow(/p\.yaml:4: model\.checkpoint: .*nowhere is not a checkpoint directory/);
    expect(errorOf(GOOD.replace("  preset: tiny", "  checkpoint: x"))).toMatch(/^p\.yaml:5: model\.vocab: only with preset/);
    expect(errorOf(edit(19, "    data: rows.jsonl"))).toMatch(/^p\.yaml:19: stages\[1\]\.data: .*rows\.jsonl does not exist/);
  });

  it("reads the example pipelines", () => {
    const dir = path.resolve(import.meta.dirname, "../../examples");
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
    expect(files).toEqual(["distill-addition.yaml", "grpo-countdown.yaml", "r1-recipe.yaml", "star-addition.yaml"]);
    const types = files.map((f) => loadPipeline(path.join(dir, f)).stages.map((s) => s.type).join(" "));
    expect(types).toEqual(["rejection_sampling sft eval", "sft eval grpo eval", "sft eval grpo eval rejection_sampling sft eval grpo eval", "sft eval star eval"]);
  });
});
