import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyModel } from "../../src/algorithms/model-input.js";
import { runSftSorted } from "../../src/algorithms/length-sorted-sft.js";
import { encodeSft } from "../../src/algorithms/sft.js";
import { runStar, starEvalSet } from "../../src/algorithms/star.js";
import { starSeeds } from "../../src/algorithms/star-iteration.js";
import { parseStarOptions, starSteps, type StarOptionsInput } from "../../src/algorithms/star-options.js";
import { drawProblems } from "../../src/algorithms/task-problems.js";
import { loadCheckpoint } from "../../src/model/checkpoint.js";
import { readDataset, RunDir, quietContext } from "../../src/run/index.js";
import { additionScratchpad, additionTask } from "../../src/tasks/addition.js";
import { getTask } from "../../src/tasks/registry.js";
import { Trainer } from "../../src/train/trainer.js";
import { freshDir } from "../fixtures/tmp.js";
import { memorizedModel } from "./memorized.js";

const SEED = 3;
const OPTS: StarOptionsInput = {
  task_options: { minDigits: 1, maxDigits: 1 }, problems_per_iteration: 4, iterations: 2, start_steps: 3, add_steps: 2, batch_size: 2,
  lr: 1e-3, max_completion_length: 80, eval_problems: 3, log_samples: 2,
};
const task = getTask("addition");
const heldOut = starEvalSet(task, parseStarOptions(OPTS), SEED).examples;
const iter1 = drawProblems(task, { seed: SEED, offset: 0, count: 4, taskOptions: { minDigits: 1, maxDigits: 1 }, exclude: new Set(heldOut.map((e) => e.question)) });
const gold = (i: number) => additionTask.rationale!(iter1[i]);
const wrong = (i: number) => { const { a, b } = iter1[i].metadata as { a: number; b: number }; return additionScratchpad(a, (b + 1) % 10 === b ? b + 2 : b + 1); };
const hint = (i: number) => additionTask.rationalization!.prompt(iter1[i]);
const plain = (i: number) => additionTask.prompt(iter1[i]);

async function star(model: PolicyModel, o: StarOptionsInput = {}, ctx: { dir?: string; resume?: boolean; stopAfterSteps?: number } = {}) {
  const dir = ctx.dir ?? path.join(freshDir(), "run");
  const run = RunDir.open(dir, { seed: SEED, resume: ctx.resume });
  const result = await runStar(quietContext(run, "star", SEED, { resume: ctx.resume ?? false, stopAfterSteps: ctx.stopAfterSteps, threads: 1 }), model, { ...OPTS, ...o });
  return { run, result, dir };
}

describe("STaR", () => {
  let model: PolicyModel;
  beforeAll(async () => {
    // problems 0, 1: solved directly; 2: wrong, but right with the hint (and the model repeats the hint line);
    // 3: wrong with and without the hint
    model = await memorizedModel([
      { prompt: plain(0), completion: gold(0) }, { prompt: plain(1), completion: gold(1) },
      { prompt: plain(2), completion: wrong(2) }, { prompt: hint(2), completion: `Answer: ${iter1[2].answer}\n${gold(2)}` },
      { prompt: plain(3), completion: wrong(3) }, { prompt: hint(3), completion: wrong(3) },
    ]);
  });

  it("keeps correct rationales and rationalizations with the hint stripped, with lineage and kept counts", async () => {
    expect(heldOut.some((e) => iter1.some((p) => p.question === e.question))).toBe(false);
    const { run, result } = await star(model);
    const { rows, lineage } = readDataset(run.datasetPath("star", "iter-1"));
    expect(rows.map((r) => [r.problem_id, r.source])).toEqual([[iter1[0].id, "correct"], [iter1[1].id, "correct"], [iter1[2].id, "rationalized"]]);
    expect(rows[2].prompt).toBe(plain(2));
    expect(rows[2].completion).toBe(gold(2));
    expect(rows.every((r) => !r.prompt.includes("Answer:") && !r.completion.includes("Answer:"))).toBe(true);
    expect(lineage).toMatchObject({
      stage: "star", sourceCheckpoint: "(in memory)", seed: SEED, iteration: 1, task: "addition", problem_seed: SEED, problems: 4,
      kept_correct: 2, kept_rationalized: 1, rationalization: { p_rationalization: 1, hint_stripped: true }, sampling: { temperature: 0 },
    });
    expect(readDataset(run.datasetPath("star", "iter-2")).lineage?.sourceCheckpoint).toBe("checkpoints/star/step-1");
    const its = run.metrics("star", "iteration");
    expect(its.map((r) => [r.iteration, r.step])).toEqual([[0, 0], [1, 3], [2, 8]]);
    expect(its[1]).toMatchObject({ kept_correct: 2, kept_rationalized: 1, train_examples: 3, solved: 2, hinted: 2, rationalized: 1, train_steps: 3 });
    expect(Object.keys(its[1].accuracy_by_bucket as object)).toEqual(["1"]);
    const train = run.metrics("star", "train");
    expect(train.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(train.map((r) => r.iteration)).toEqual([1, 1, 1, 2, 2, 2, 2, 2]);
    expect(train[0]).toHaveProperty("nll");
    expect(train[0]).toHaveProperty("grad_norm");
    expect(readFileSync(run.plotPath("star-accuracy-by-digits"), "utf8")).toContain("<svg");
    expect(result.checkpoint).toBe(run.checkpointDir("star", "final"));
    expect(result.summary).toMatchObject({ iterations: 2 });
    expect(run.stage("star")).toMatchObject({ kind: "star", status: "complete" });
  });

  it("without rationalization keeps only the direct successes", async () => {
    const { run } = await star(model, { rationalization: false, iterations: 1 });
    const { rows, lineage } = readDataset(run.datasetPath("star", "iter-1"));
    expect(rows.map((r) => r.source)).toEqual(["correct", "correct"]);
    expect(lineage?.rationalization).toBeNull();
  });

  it("fine-tunes every iteration from the base model (continue: from the previous one)", async () => {
    const replay = async (from: PolicyModel["params"], dir: string, iteration: number) => {
      const { rows } = readDataset(path.join(dir, "datasets", "star", `iter-${iteration}.jsonl`));
      const params = from.clone();
      const trainer = await Trainer.create({ config: model.config, params, schedule: { type: "constant", lr: 1e-3 }, optimizer: { weightDecay: 0 }, maxGradNorm: 1, padId: model.tokenizer.padId, objective: { entropy: false }, threads: 1 });
      const seqs = rows.map((r) => encodeSft(model.tokenizer, r, model.config.max_position_embeddings));
      await runSftSorted({ trainer, sequences: seqs, steps: starSteps(parseStarOptions(OPTS), iteration, rows.length), batchSize: 2, seed: starSeeds(SEED, iteration).data });
      return params;
    };
    const fromBase = await star(model);
    const m2 = (await loadCheckpoint(path.join(fromBase.dir, "checkpoints", "star", "final"))).params;
    expect(m2.flat).toEqual((await replay(model.params, fromBase.dir, 2)).flat);
    const cont = await star(model, { continue: true });
    const m1 = (await loadCheckpoint(path.join(cont.dir, "checkpoints", "star", "step-1"))).params;
    const c2 = (await loadCheckpoint(path.join(cont.dir, "checkpoints", "star", "final"))).params;
    expect(c2.flat).toEqual((await replay(m1, cont.dir, 2)).flat);
    expect(c2.flat).not.toEqual(m2.flat);
  });

  it("resumes at iteration granularity to the same model and rows; same seed, same numbers", async () => {
    const whole = await star(model);
    const parts = await star(model, {}, { stopAfterSteps: 1 });
    expect(parts.result.stopped).toBe(true);
    expect(parts.run.metrics("star", "iteration").map((r) => r.iteration)).toEqual([0, 1]);
    const resumed = await star(model, {}, { dir: parts.dir, resume: true });
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ step_time: _t, ...r }) => r);
    expect(strip(resumed.run.metrics("star"))).toEqual(strip(whole.run.metrics("star")));
    const a = await loadCheckpoint(whole.result.checkpoint!);
    const b = await loadCheckpoint(resumed.result.checkpoint!);
    expect(b.params.flat).toEqual(a.params.flat);
    const again = await star(model, { lr: 2e-3 }, { dir: parts.dir, resume: true }); // complete: returned as is
    expect(again.result.checkpoint).toBe(resumed.result.checkpoint);
    expect((await loadCheckpoint(again.result.checkpoint!)).params.flat).toEqual(a.params.flat);
  });

  it("names max_completion_length when a prompt and the budget exceed the context", async () => {
    await expect(star(model, { max_completion_length: 120 })).rejects.toThrow(/field max_completion_length: 120 new tokens .* context of 128; use at most/);
  });

  it("checks every iteration's prompts, hinted ones included, before iteration 1 trains", async () => {
    // the budget the held-out prompts leave fits every plain prompt but not the hinted ones; iteration 1's two
    // problems are solved directly, so only iteration 2 would need a hint: the error must come before any training
    const fit = await star(model, { max_completion_length: 120 }).catch((e: Error) => Number(/use at most (\d+)/.exec(e.message)?.[1]));
    expect(fit).toBeGreaterThan(0);
    const dir = path.join(freshDir(), "run");
    await expect(star(model, { max_completion_length: fit as number, problems_per_iteration: 2 }, { dir })).rejects.toThrow(/field max_completion_length: .* hinted \(rationalization\) prompt/);
    const run = RunDir.open(dir, { seed: SEED, resume: true });
    expect(run.metrics("star").filter((r) => r.kind !== "iteration" || r.iteration !== 0)).toEqual([]);
  });

  it("counts steps as the original code and names bad options", () => {
    const o = parseStarOptions({});
    expect([1, 2, 3, 5].map((i) => starSteps(o, i, 1000))).toEqual([40, 60, 80, 120]);
    expect(starSteps({ ...o, schedule: "epochs" }, 2, 100)).toBe(15); // ⌈100 · 1.2 / 8⌉
    expect(o).toMatchObject({ continue: false, p_rationalization: 1, rationalization: true, temperature: 0, lr: 1e-3, weight_decay: 0 });
    expect(() => parseStarOptions({ iterations: 0 })).toThrow(/field iterations/);
    expect(() => parseStarOptions({ steps: 3 })).toThrow(/steps/);
  });
});
