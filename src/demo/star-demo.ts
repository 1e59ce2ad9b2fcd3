// `ratio demo`: STaR on n-digit addition, from a randomly initialized model, in one run directory (docs/runs.md):
//   (a) SFT on a small set of gold scratchpads (stage "sft")
//   (b) STaR iterations with rationalization on unlabeled 1–5 digit problems (stage "star", src/algorithms/star.ts)
//   (c) a short GRPO stage with the correctness reward (stage "grpo")
//   (d) a final evaluation on held-out problems, greedy and maj@k (stage "eval")
// Held-out problems come from their own seed, training problems are drawn outside them (drawProblems' exclude),
// and at the end every held-out question is checked against every problem any stage trained on.
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { additionDigitsBucket, evaluatePolicy, type PolicyEvaluation } from "../algorithms/evaluate.js";
import { runGrpo, type GrpoOptionsInput } from "../algorithms/grpo/grpo.js";
import { parseGrpoOptions } from "../algorithms/grpo/options.js";
import { ProblemSource } from "../algorithms/grpo/problems.js";
import { runSftSorted } from "../algorithms/length-sorted-sft.js";
import { encodeSft } from "../algorithms/sft.js";
import { runStar, starEvalSet } from "../algorithms/star.js";
import { parseStarOptions, type StarOptionsInput } from "../algorithms/star-options.js";
import { drawProblems } from "../algorithms/task-problems.js";
import { loadCheckpoint, saveCheckpoint } from "../model/checkpoint.js";
import { presetConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { readDataset, writeDataset, type DatasetRow } from "../run/dataset.js";
import { writeStagePlots } from "../run/plots.js";
import { MANIFEST_FILE, RunDir } from "../run/run-dir.js";
import type { StageContext } from "../run/stage.js";
import { Generator } from "../sampling/generate.js";
import { getTask } from "../tasks/registry.js";
import { Trainer } from "../train/trainer.js";
import { progressBar } from "../util/progress.js";
import { hashString, Rng } from "../util/rng.js";
import { additionTokenizer, FULL_RECIPE, QUICK_RECIPE, type DemoRecipe } from "./recipe.js";

export interface DemoFlags {
  out: string;
  seed: number;
  quick: boolean;
  say: (message: string) => void;
  progress: boolean;
  /** overrides the full / quick recipe (tests, probes) */
  recipe?: DemoRecipe;
  threads?: number;
}

export interface DemoIteration {
  iteration: number;
  accuracy_by_digits: Record<string, number>;
  train_examples: number;
}

export interface DemoResult {
  iterations: DemoIteration[];
  final: { greedy_accuracy: number; maj_accuracy: number; k: number; greedy_by_digits: Record<string, number>; maj_by_digits: Record<string, number>; after: string };
  held_out: { problems: number; seed: number; training_problems: number; overlap: number };
  samples: { question: string; answer: string; output: string; correct: boolean }[];
  seconds: number;
  run_dir: string;
  plot: string;
}

const task = getTask("addition");
/** The held-out seed: far from the training streams (which hash the demo seed with a label). */
const EVAL_SEED_OFFSET = 1_000_003;
const pct = (x: number | undefined): string => (x === undefined ? "—" : `${(x * 100).toFixed(0)}%`);

/** Opens the run directory: a new one, or a previous ratio run (replaced); anything else is refused. */
function openRun(out: string, seed: number, recipe: DemoRecipe): RunDir {
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(path.join(out, MANIFEST_FILE))) {
    throw new Error(`--out ${out}: directory is not empty and holds no ratio run (choose another --out)`);
  }
  return RunDir.open(out, { overwrite: true, seed, command: ["ratio", "demo", ...process.argv.slice(3)], config: recipe });
}

const digitsOptions = (lo: number, hi: number) => ({ minDigits: lo, maxDigits: hi, equalDigits: true });

export function starOptionsFor(r: DemoRecipe, seed: number): StarOptionsInput {
  return {
    task: "addition", task_options: digitsOptions(1, r.maxDigits), iterations: r.star.iterations, problems_per_iteration: r.star.problemsPerIteration,
    problem_seed: hashString(`${seed}:demo:star`), rationalization: true, temperature: r.star.temperature,
    rationalization_samples: r.star.rationalizationSamples, rationalization_temperature: r.star.rationalizationTemperature,
    start_steps: r.star.startSteps, add_steps: r.star.addSteps, batch_size: r.star.batchSize, micro_batch_size: r.microBatchSize, lr: r.star.lr, warmup_steps: r.star.warmupSteps, continue: r.star.continue,
    max_completion_length: maxTokens(r), eval_problems: r.eval.perDigits, eval_seed: seed + EVAL_SEED_OFFSET,
    eval_task_options: Array.from({ length: r.maxDigits }, (_, d) => digitsOptions(d + 1, d + 1)), log_samples: 2,
  };
}

/** New tokens for a maxDigits scratchpad and answer, with room to spare. */
export const maxTokens = (r: DemoRecipe): number => Math.min(r.model.max_position_embeddings - 64, 40 + 32 * r.maxDigits);

/** (a) The gold set: 1–2 digit scratchpads (plus longExamples of 3…maxDigits), some with the hint in the prompt. */
export function goldSet(r: DemoRecipe, seed: number, heldOut: ReadonlySet<string>): DatasetRow[] {
  const short = drawProblems(task, { seed: hashString(`${seed}:demo:sft`), offset: 0, count: r.sft.examples, taskOptions: digitsOptions(1, 2), exclude: heldOut });
  const long = r.sft.longExamples > 0 ? drawProblems(task, { seed: hashString(`${seed}:demo:sft-long`), offset: 0, count: r.sft.longExamples, taskOptions: digitsOptions(3, r.maxDigits), exclude: heldOut }) : [];
  const pick = new Rng(`${seed}:demo:hints`);
  return [...short, ...long].map((ex) => {
    const hinted = pick.uniform() < r.sft.hintFraction;
    return {
      prompt: hinted ? task.rationalization!.prompt(ex) : task.prompt(ex), completion: task.rationale!(ex), problem_id: ex.id,
      question: ex.question, answer: ex.answer, hinted,
    };
  });
}

function context(run: RunDir, stage: string, seed: number, f: DemoFlags): StageContext {
  return { run, stage, seed, resume: false, say: f.say, progress: f.progress, threads: f.threads };
}

/** (a) SFT from scratch on the gold set; returns the checkpoint directory. */
export async function sftStage(run: RunDir, r: DemoRecipe, f: Pick<DemoFlags, "seed" | "say" | "progress" | "threads">, rows: readonly DatasetRow[]): Promise<string> {
  const tokenizer = additionTokenizer();
  const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, { ...r.model, num_key_value_heads: r.model.num_attention_heads });
  const params = initParams(config, f.seed);
  run.startStage("sft", "sft", { data: run.relative(run.datasetPath("sft", "gold")) });
  const trainer = await Trainer.create({
    config, params, schedule: { type: "warmup-cosine", lr: r.sft.lr, warmupSteps: r.sft.warmupSteps, totalSteps: r.sft.steps, minLr: r.sft.minLr },
    optimizer: { weightDecay: 0, beta2: r.sft.beta2 }, maxGradNorm: 1, padId: tokenizer.padId, threads: f.threads, objective: { entropy: false }, microBatchSize: r.microBatchSize,
  });
  const seqs = rows.map((x, i) => encodeSft(tokenizer, x, config.max_position_embeddings, `gold example ${i + 1}`));
  f.say(`(a) SFT: a ${params.count.toLocaleString("en-US")}-parameter Llama from scratch on ${rows.length} gold scratchpads, ${r.sft.steps} steps of ${r.sft.batchSize}`);
  const bar = progressBar(r.sft.steps, "sft", { enabled: f.progress });
  await runSftSorted({
    trainer, sequences: seqs, steps: r.sft.steps, batchSize: r.sft.batchSize, seed: hashString(`${f.seed}:demo:sft-batches`),
    onStep: (s) => {
      run.logMetrics({ stage: "sft", step: s.step, loss: s.nll, nll: s.nll, learning_rate: s.lr, grad_norm: s.gradNorm, step_time: s.ms / 1000 });
      bar.update(s.step, { info: `nll ${s.nll.toFixed(4)}` });
      if (!f.progress && s.step % 100 === 0) f.say(`sft step ${s.step}/${r.sft.steps}: nll ${s.nll.toFixed(4)}`);
    },
  });
  bar.stop();
  const dir = run.checkpointDir("sft", "final");
  await saveCheckpoint(dir, { config, params, tokenizer });
  writeStagePlots(run, "sft");
  const last = run.metrics("sft").at(-1);
  run.finishStage("sft", { checkpoint: run.relative(dir) }, { steps: r.sft.steps, examples: rows.length, nll: last?.nll ?? null });
  return dir;
}

/** (c) GRPO options and its problems; the stage seed moves on until none of them is held out. */
async function grpoPlan(r: DemoRecipe, seed: number, heldOut: ReadonlySet<string>): Promise<{ opts: GrpoOptionsInput; seed: number; questions: string[] }> {
  const opts: GrpoOptionsInput = {
    task: "addition", task_options: digitsOptions(1, r.maxDigits), steps: r.grpo.steps, batch_size: r.grpo.batchSize, num_generations: r.grpo.numGenerations,
    max_completion_length: maxTokens(r), learning_rate: r.grpo.lr, save_every: 0, log_samples: 2,
  };
  const parsed = parseGrpoOptions(opts);
  for (let k = 0; ; k++) {
    const s = hashString(`${seed}:demo:grpo:${k}`);
    const source = await ProblemSource.create(parsed, task, undefined, s, "grpo");
    const questions = Array.from({ length: r.grpo.steps }, (_, i) => source.batch(i + 1, 0).map((p) => p.example.question)).flat();
    if (questions.every((q) => !heldOut.has(q))) return { opts, seed: s, questions };
  }
}

async function evaluateFinal(dir: string, heldOut: Parameters<typeof evaluatePolicy>[2], r: DemoRecipe, seed: number, threads?: number): Promise<PolicyEvaluation> {
  const ck = await loadCheckpoint(dir);
  const gen = await Generator.create({ config: ck.config, params: ck.params, tokenizer: ck.tokenizer, threads, frozen: true });
  return evaluatePolicy(gen, task, heldOut, { maxTokens: maxTokens(r), k: r.eval.k, temperature: 0.7, seed: hashString(`${seed}:demo:eval`), bucket: additionDigitsBucket });
}

export async function runStarDemo(f: DemoFlags): Promise<DemoResult> {
  const t0 = performance.now();
  const r = f.recipe ?? (f.quick ? QUICK_RECIPE : FULL_RECIPE);
  const run = openRun(f.out, f.seed, r);
  const starOpts = starOptionsFor(r, f.seed);
  const held = starEvalSet(task, parseStarOptions(starOpts), f.seed).examples;
  const heldOut = new Set(held.map((e) => e.question));
  f.say(`Ratio demo: STaR on 1–${r.maxDigits} digit addition with a model trained from scratch (run directory ${f.out}).`);
  f.say(`Held-out: ${held.length} problems (${r.eval.perDigits} per digit count, seed ${f.seed + EVAL_SEED_OFFSET}), excluded from every training set.\n`);

  writeDataset(run.datasetPath("eval", "held-out"), held.map((e) => ({ prompt: task.prompt(e), completion: e.answer, problem_id: e.id, question: e.question, answer: e.answer })), {
    stage: "eval", seed: f.seed + EVAL_SEED_OFFSET, task: "addition", use: "evaluation only (completion = the gold answer); no stage trains on these questions",
  });
  const gold = goldSet(r, f.seed, heldOut);
  writeDataset(run.datasetPath("sft", "gold"), gold, { stage: "sft", seed: f.seed, task: "addition", source: "gold scratchpads (task.rationale)", hint_fraction: r.sft.hintFraction });
  const sftDir = await sftStage(run, r, f, gold);

  f.say(`\n(b) STaR: ${r.star.iterations} iterations × ${r.star.problemsPerIteration} unlabeled 1–${r.maxDigits} digit problems, rationalization on, fine-tuning from the SFT model each iteration`);
  const sft = await loadCheckpoint(sftDir);
  const star = await runStar(context(run, "star", f.seed, f), { config: sft.config, params: sft.params, tokenizer: sft.tokenizer, source: sftDir }, starOpts);
  writeStagePlots(run, "star"); // the fine-tuning loss per step, as `ratio run` writes for a star stage
  let finalDir = star.checkpoint!;
  let after = `STaR iteration ${r.star.iterations}`;
  let grpoQuestions: string[] = [];
  if (r.grpo.steps > 0) {
    const plan = await grpoPlan(r, f.seed, heldOut);
    grpoQuestions = plan.questions;
    f.say(`\n(c) GRPO: ${r.grpo.steps} steps × ${r.grpo.batchSize} problems × ${r.grpo.numGenerations} samples, reward = scratchpad answer correct`);
    const grpo = await runGrpo(context(run, "grpo", plan.seed, f), { checkpoint: finalDir }, plan.opts);
    finalDir = grpo.checkpoint!;
    after = "GRPO";
  }

  // (d) held-out evaluation, after checking that no held-out problem was trained on
  const trained = new Set<string>([...gold.map((g) => g.question as string), ...grpoQuestions]);
  for (let i = 1; existsSync(run.datasetPath("star", `iter-${i}`)); i++) for (const row of readDataset(run.datasetPath("star", `iter-${i}`)).rows) trained.add(row.question as string);
  const overlap = held.filter((e) => trained.has(e.question)).length;
  if (overlap > 0) throw new Error(`demo: ${overlap} held-out problems appear among the training problems (a bug in the problem draws)`);
  run.startStage("eval", "eval", { model: run.relative(finalDir) });
  const ev = await evaluateFinal(finalDir, held, r, f.seed, f.threads);
  const greedyBy: Record<string, number> = {};
  const majBy: Record<string, number> = {};
  for (const [b, a] of Object.entries(ev.byBucket)) {
    greedyBy[b] = a.greedy;
    majBy[b] = a.maj ?? 0;
  }
  run.logMetrics({ stage: "eval", step: 0, kind: "eval", accuracy: ev.greedyAccuracy, maj_accuracy: ev.majAccuracy ?? null, accuracy_by_bucket: greedyBy, maj_accuracy_by_bucket: majBy });
  run.finishStage("eval", {}, { greedy_accuracy: ev.greedyAccuracy, maj_accuracy: ev.majAccuracy, k: r.eval.k });
  run.setStatus("complete");

  const iterations: DemoIteration[] = run.metrics("star", "iteration").map((row) => ({
    iteration: row.iteration as number, accuracy_by_digits: row.accuracy_by_bucket as Record<string, number>, train_examples: (row.train_examples as number | undefined) ?? 0,
  }));
  const samples = ev.records.filter((_, i) => i % Math.max(1, r.eval.perDigits) === 0).map((x) => ({ question: x.question, answer: x.answer, output: x.greedy.extracted ?? "(no answer)", correct: x.greedy.correct }));
  return {
    iterations, samples, run_dir: f.out, plot: run.plotPath("star-accuracy-by-digits"), seconds: (performance.now() - t0) / 1000,
    final: { greedy_accuracy: ev.greedyAccuracy, maj_accuracy: ev.majAccuracy ?? 0, k: r.eval.k, greedy_by_digits: greedyBy, maj_by_digits: majBy, after },
    held_out: { problems: held.length, seed: f.seed + EVAL_SEED_OFFSET, training_problems: trained.size, overlap },
  };
}

/** The per-digit accuracy table printed at the end. */
export function demoTable(d: DemoResult): string {
  const digits = Object.keys(d.final.greedy_by_digits);
  const head = `${"".padEnd(22)}${digits.map((x) => `${x} digit${x === "1" ? " " : "s"}`.padStart(10)).join("")}${"all".padStart(8)}   train examples`;
  const line = (name: string, by: Record<string, number>, all: number | undefined, n: string) => `${name.padEnd(22)}${digits.map((x) => pct(by[x]).padStart(10)).join("")}${pct(all).padStart(8)}   ${n}`;
  const mean = (by: Record<string, number>) => digits.reduce((a, x) => a + (by[x] ?? 0), 0) / digits.length;
  return [
    head,
    ...d.iterations.map((it) => line(it.iteration === 0 ? "after SFT" : `STaR iteration ${it.iteration}`, it.accuracy_by_digits, mean(it.accuracy_by_digits), it.iteration === 0 ? "" : String(it.train_examples))),
    line(`final (${d.final.after})`, d.final.greedy_by_digits, d.final.greedy_accuracy, ""),
    line(`final maj@${d.final.k}`, d.final.maj_by_digits, d.final.maj_accuracy, ""),
  ].join("\n");
}
