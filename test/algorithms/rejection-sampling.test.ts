import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyModel } from "../../src/algorithms/model-input.js";
import { parseRejectionSamplingOptions, runRejectionSampling, selectCorrect } from "../../src/algorithms/rejection-sampling.js";
import type { Rollout } from "../../src/algorithms/rollout.js";
import { drawProblems } from "../../src/algorithms/task-problems.js";
import { readDataset, RunDir, quietContext } from "../../src/run/index.js";
import { additionTask } from "../../src/tasks/addition.js";
import { getTask } from "../../src/tasks/registry.js";
import { freshDir } from "../fixtures/tmp.js";
import { memorizedModel } from "./memorized.js";

const SEED = 5;
const TASK_OPTIONS = { minDigits: 1, maxDigits: 1 };

function fake(problemIndex: number, sampleIndex: number, completion: string, correct: boolean, tokens = completion.length): Rollout {
  return {
    example: additionTask.fromFields({ a: 1, b: problemIndex }), problemIndex, sampleIndex, prompt: "p", promptIds: [], completion,
    tokenIds: Array.from({ length: tokens }, () => 0), logprobs: [], finishReason: "stop", truncated: false,
    score: { reward: correct ? 1 : 0, correct, extracted: null, reason: "" },
  };
}

describe("selectCorrect", () => {
  const rs = [fake(1, 0, "aaaa", true), fake(0, 1, "bb", true), fake(0, 0, "ccc", true), fake(0, 2, "bb", true), fake(0, 3, "d", false), fake(1, 1, "e", false)];
  it("keeps the correct ones in problem, then sample order", () => {
    expect(selectCorrect(rs).map((r) => r.completion)).toEqual(["ccc", "bb", "bb", "aaaa"]);
  });
  it("dedupes identical texts, keeps the shortest, caps per prompt", () => {
    expect(selectCorrect(rs, { dedupe: true }).map((r) => r.completion)).toEqual(["ccc", "bb", "aaaa"]);
    expect(selectCorrect(rs, { shortest: true }).map((r) => [r.problemIndex, r.sampleIndex])).toEqual([[0, 1], [1, 0]]);
    expect(selectCorrect(rs, { maxPerPrompt: 1 }).map((r) => r.completion)).toEqual(["ccc", "aaaa"]);
    expect(selectCorrect([fake(0, 0, "xx", true, 5), fake(0, 1, "yy", true, 5)], { shortest: true })[0].sampleIndex).toBe(0);
  });
});

describe("runRejectionSampling", () => {
  let model: PolicyModel;
  const problems = drawProblems(getTask("addition"), { seed: SEED, offset: 0, count: 3, taskOptions: TASK_OPTIONS });
  beforeAll(async () => {
    model = await memorizedModel(problems.map((e) => ({ prompt: additionTask.prompt(e), completion: additionTask.rationale!(e) })));
  });
  const base = { task_options: TASK_OPTIONS, problems: 3, problem_seed: SEED, max_completion_length: 80 };

  it("writes the correct samples with lineage; greedy k = 3 gives the gold once with dedupe, three times without", async () => {
    const run = RunDir.open(path.join(freshDir(), "run"), { seed: 1 });
    const r = await runRejectionSampling(quietContext(run, "rs", 1), model, { ...base, samples_per_prompt: 3, temperature: 0 });
    const { rows, lineage } = readDataset(r.dataset!);
    expect(rows.map((x) => x.completion)).toEqual(problems.map((e) => additionTask.rationale!(e)));
    expect(rows.map((x) => x.problem_id)).toEqual(problems.map((e) => e.id));
    expect(rows[0].prompt).toBe(additionTask.prompt(problems[0]));
    expect(lineage).toMatchObject({
      stage: "rs", sourceCheckpoint: "(in memory)", seed: 1, task: "addition", problem_seed: SEED, problems: 3, rows: 3,
      sampling: { samples_per_prompt: 3, temperature: 0, max_completion_length: 80 }, filter: { dedupe: true, shortest: false, max_per_prompt: null },
    });
    expect(r.summary).toMatchObject({ problems: 3, samples: 9, correct: 9, kept: 3, coverage: 1 });
    expect(run.stage("rs")).toMatchObject({ kind: "rejection_sampling", status: "complete", outputs: { dataset: "datasets/rs/kept.jsonl" } });
    expect(run.metrics("rs", "sampling")).toHaveLength(1);

    const run2 = RunDir.open(path.join(freshDir(), "run"), { seed: 1 });
    const all = await runRejectionSampling(quietContext(run2, "rs", 1), model, { ...base, samples_per_prompt: 3, temperature: 0, dedupe: false });
    expect(readDataset(all.dataset!).rows).toHaveLength(9);
  });

  it("temperature samples: only correct, distinct per prompt, shortest/max_per_prompt; same seed → same file; resume returns it", async () => {
    const dir = path.join(freshDir(), "run");
    const run = RunDir.open(dir, { seed: 2 });
    const opts = { ...base, samples_per_prompt: 8, temperature: 1.5 };
    const r = await runRejectionSampling(quietContext(run, "rs", 2), model, opts);
    const { rows } = readDataset(r.dataset!);
    expect(r.summary.correct).toBeLessThan(24); // hot sampling breaks some
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(additionTask.score(row.completion, problems.find((p) => p.id === row.problem_id)!).correct).toBe(true);
    for (const p of problems) {
      const texts = rows.filter((x) => x.problem_id === p.id).map((x) => x.completion);
      expect(new Set(texts).size).toBe(texts.length);
    }
    const text = readFileSync(r.dataset!, "utf8");
    const again = RunDir.open(path.join(freshDir(), "run"), { seed: 2 });
    expect(readFileSync((await runRejectionSampling(quietContext(again, "rs", 2), model, opts)).dataset!, "utf8")).toBe(text);
    const resumed = await runRejectionSampling(quietContext(RunDir.open(dir, { resume: true }), "rs", 2, { resume: true }), { checkpoint: "/nonexistent" }, opts);
    expect(resumed.dataset).toBe(r.dataset);

    const one = await runRejectionSampling(quietContext(again, "rs-short", 2), model, { ...opts, shortest: true });
    const short = readDataset(one.dataset!).rows;
    expect(new Set(short.map((x) => x.problem_id)).size).toBe(short.length);
    for (const row of short) {
      const lengths = rows.filter((x) => x.problem_id === row.problem_id).map((x) => x.tokens as number);
      expect(row.tokens).toBe(Math.min(...lengths));
    }
    const capped = await runRejectionSampling(quietContext(again, "rs-cap", 2), model, { ...opts, max_per_prompt: 1, dedupe: false });
    expect(readDataset(capped.dataset!).rows.length).toBeLessThanOrEqual(3);
  });

  it("names max_completion_length when a prompt plus it exceeds the model's context, before sampling", async () => {
    const run = RunDir.open(path.join(freshDir(), "run"), { seed: 1 });
    const context = model.config.max_position_embeddings;
    await expect(runRejectionSampling(quietContext(run, "rs", 1), model, { ...base, max_completion_length: context })).rejects.toThrow(
      new RegExp(`^rejection_sampling stage "rs": field max_completion_length: ${context} new tokens after the longest prompt \\(\\d+ tokens\\) exceed the model's context of ${context}; use at most \\d+$`),
    );
    expect(run.stage("rs")?.status).toBe("failed");
  });

  it("errors name the option", () => {
    expect(() => parseRejectionSamplingOptions({ samples_per_prompt: 0 })).toThrow(/field samples_per_prompt/);
    expect(() => parseRejectionSamplingOptions({ samples: 3 })).toThrow(/samples/);
    expect(parseRejectionSamplingOptions({})).toMatchObject({ task: "addition", samples_per_prompt: 8, dedupe: true, shortest: false });
  });
});
