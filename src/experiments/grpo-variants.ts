// `ratio experiment grpo-variants`: TRL's three GRPO loss aggregations (loss_type grpo, dr_grpo, dapo) on the same
// task, warm start, seed and budget. A tiny Llama (tiny preset, character tokenizer) is first trained from scratch
// by SFT on gold STaR scratchpads for 1–2-digit addition, stopped early so its sampled answers are right only
// part of the time; each variant then runs GRPO from that checkpoint with identical options but loss_type, and every
// model is evaluated on the same held-out problems (greedy and k samples at temperature 1). Writes one run
// directory per arm (sft, grpo, dr_grpo, dapo), two plots and a markdown report; docs/results/grpo-variants.md is
// the full run.
import * as path from "node:path";
import { evaluatePolicy } from "../algorithms/evaluate.js";
import { runGrpo, type GrpoOptionsInput } from "../algorithms/grpo/grpo.js";
import { runSftStage } from "../algorithms/sft-stage.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { presetConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { RunDir, type MetricsRow } from "../run/run-dir.js";
import type { StageContext } from "../run/stage.js";
import { Generator } from "../sampling/generate.js";
import { getTask } from "../tasks/registry.js";
import type { Example } from "../tasks/types.js";
import { writeFileAtomic } from "../util/atomic.js";
import { lineChartSvg } from "../util/plot.js";
import type { SftGrpoBudget } from "./budget.js";
import type { Experiment, ExperimentFlags, ExperimentResult } from "./index.js";

const TASK = "addition";
const TASK_OPTIONS = { minDigits: 1, maxDigits: 2 };
/** Seeds of the SFT data and the held-out problems (GRPO's prompts use the experiment seed). */
const SFT_DATA_SEED = 1_000_001;
const EVAL_SEED = 1_000_003;
const VARIANTS = ["grpo", "dr_grpo", "dapo"] as const;
type Variant = (typeof VARIANTS)[number];

type Budget = SftGrpoBudget;

const FULL: Budget = {
  sftExamples: 2000, sftSteps: 750, sftBatch: 32, sftLr: 3e-3,
  grpoSteps: 200, batchSize: 8, numGenerations: 8, learningRate: 1e-4,
  evalProblems: 200, evalSamples: 8, window: 10,
};

const QUICK: Budget = {
  sftExamples: 200, sftSteps: 30, sftBatch: 16, sftLr: 3e-3,
  grpoSteps: 3, batchSize: 4, numGenerations: 4, learningRate: 1e-4,
  evalProblems: 16, evalSamples: 2, window: 1,
};

/** Largest completion: the 2-digit scratchpad is ~80 characters (and tokens) plus eos. */
const MAX_COMPLETION_LENGTH = 96;

interface ArmResult {
  name: string;
  greedy: number;
  sampled: number;
  /** mean over the last `window` GRPO steps (undefined for the warm start) */
  reward?: number;
  accuracy?: number;
  length?: number;
  seconds: number;
}

const task = getTask(TASK);
const problem = (seed: number, index: number): Example => task.generate({ seed, index, ...TASK_OPTIONS });

/** Every character of the task's prompts and gold scratchpads. */
function additionTokenizer(): CharTokenizer {
  const e = problem(0, 0);
  return CharTokenizer.fromAlphabet(`0123456789 +,C:\n${task.prompt(e)}${task.rationale!(e)}`);
}

async function evaluate(dir: string, examples: readonly Example[], b: Budget, seed: number): Promise<{ greedy: number; sampled: number }> {
  const ck = await loadCheckpoint(dir);
  const gen = await Generator.create({ config: ck.config, params: ck.params, tokenizer: ck.tokenizer, frozen: true });
  const r = await evaluatePolicy(gen, task, examples, { maxTokens: MAX_COMPLETION_LENGTH, k: b.evalSamples, seed });
  const sampled = r.records.reduce((a, x) => a + (x.samples ?? []).filter((s) => s.correct).length / b.evalSamples, 0) / r.records.length;
  return { greedy: r.greedyAccuracy, sampled };
}

function tailMean(rows: readonly MetricsRow[], key: string, window: number): number {
  const xs = rows.slice(-window).map((r) => r[key]).filter((v): v is number => typeof v === "number");
  return xs.reduce((a, v) => a + v, 0) / Math.max(1, xs.length);
}

/** Trailing moving average of a metric per step. */
function curve(rows: readonly MetricsRow[], key: string, window: number): { x: number; y: number }[] {
  return rows.map((r, i) => ({ x: r.step, y: tailMean(rows.slice(0, i + 1), key, window) }));
}

function context(flags: ExperimentFlags, name: string, budget: Budget): StageContext {
  const run = RunDir.open(path.join(flags.out, name), { overwrite: true, seed: flags.seed, command: ["ratio", "experiment", "grpo-variants"], config: budget });
  return { run, stage: name, seed: flags.seed, resume: false, say: flags.say, progress: flags.progress };
}

function grpoOptionsFor(variant: Variant, b: Budget): GrpoOptionsInput {
  return {
    task: TASK, task_options: TASK_OPTIONS, loss_type: variant, steps: b.grpoSteps, batch_size: b.batchSize,
    num_generations: b.numGenerations, max_completion_length: MAX_COMPLETION_LENGTH, learning_rate: b.learningRate,
    save_every: 0, log_samples: 2,
  };
}

async function run(flags: ExperimentFlags): Promise<ExperimentResult> {
  const b = flags.quick ? QUICK : FULL;
  const tokenizer = additionTokenizer();
  const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId });
  const heldOut = Array.from({ length: b.evalProblems }, (_, i) => problem(EVAL_SEED, i));

  // warm start: SFT from scratch on gold scratchpads, stopped early
  let t0 = performance.now();
  const sftCtx = context(flags, "sft", b);
  sftCtx.run.startStage("sft", "sft");
  const examples = Array.from({ length: b.sftExamples }, (_, i) => {
    const e = problem(SFT_DATA_SEED, i);
    return { prompt: task.prompt(e), completion: task.rationale!(e) };
  });
  const sft = await runSftStage(sftCtx, { config, params: initParams(config, flags.seed), tokenizer }, examples, {
    steps: b.sftSteps, batch_size: b.sftBatch, lr: b.sftLr, schedule: "warmup-cosine", warmup_steps: 10, min_lr: b.sftLr / 10, weight_decay: 0.01, max_grad_norm: 1, save_every: b.sftSteps,
  });
  sftCtx.run.finishStage("sft", { checkpoint: sftCtx.run.relative(sft.checkpoint!) }, sft.summary);
  const warm = sft.checkpoint!;
  const arms: ArmResult[] = [{ name: "SFT warm start", ...(await evaluate(warm, heldOut, b, flags.seed)), seconds: (performance.now() - t0) / 1000 }];
  flags.say(`warm start: held-out greedy ${(arms[0].greedy * 100).toFixed(0)}%, sampled ${(arms[0].sampled * 100).toFixed(0)}%`);

  const rows: Record<string, MetricsRow[]> = {};
  for (const v of VARIANTS) {
    t0 = performance.now();
    const ctx = context(flags, v, b);
    const r = await runGrpo(ctx, { checkpoint: warm }, grpoOptionsFor(v, b));
    const seconds = (performance.now() - t0) / 1000;
    rows[v] = ctx.run.metrics(v);
    arms.push({
      name: v, ...(await evaluate(r.checkpoint!, heldOut, b, flags.seed)), seconds,
      reward: tailMean(rows[v], "reward", b.window), accuracy: tailMean(rows[v], "accuracy", b.window), length: tailMean(rows[v], "completions/mean_length", b.window),
    });
    flags.say(`${v}: held-out greedy ${(arms.at(-1)!.greedy * 100).toFixed(0)}%, sampled ${(arms.at(-1)!.sampled * 100).toFixed(0)}% (${seconds.toFixed(0)} s)`);
  }

  const plots = [path.join(flags.out, "grpo-variants-reward.svg"), path.join(flags.out, "grpo-variants-length.svg")];
  const series = (key: string) => VARIANTS.map((v) => ({ name: `loss_type ${v}`, points: curve(rows[v], key, b.window) }));
  const avg = b.window > 1 ? ` (moving average of ${b.window} steps)` : "";
  await writeFileAtomic(plots[0], lineChartSvg(series("reward"), { title: `GRPO loss types on 1–2-digit addition: training reward${avg}`, xLabel: "GRPO step", yLabel: "mean reward (accuracy)" }));
  await writeFileAtomic(plots[1], lineChartSvg(series("completions/mean_length"), { title: `completion length${avg}`, xLabel: "GRPO step", yLabel: "tokens" }));
  return { markdown: report(arms, b, flags), data: { budget: b, arms }, plots };
}

const pct = (x: number | undefined): string => (x === undefined ? "—" : `${(x * 100).toFixed(1)} %`);

function report(arms: readonly ArmResult[], b: Budget, flags: ExperimentFlags): string {
  const lines = [
    `# GRPO loss types: grpo vs dr_grpo vs dapo${flags.quick ? " (--quick: the numbers mean little)" : ""}`,
    "",
    `\`ratio experiment grpo-variants --seed ${flags.seed}${flags.quick ? " --quick" : ""}\``,
    "",
    `Task: ${TASK} with ${TASK_OPTIONS.minDigits}–${TASK_OPTIONS.maxDigits} digits and the STaR scratchpad; reward: correctness (1/0).`,
    `Warm start: tiny preset trained from scratch by SFT on ${b.sftExamples} gold scratchpads for ${b.sftSteps} steps of ${b.sftBatch}.`,
    `GRPO: ${b.grpoSteps} steps × ${b.batchSize} prompts × ${b.numGenerations} completions, lr ${b.learningRate}, β = 0, ε = 0.2, μ = 1,`,
    `scale_rewards group, max_completion_length ${MAX_COMPLETION_LENGTH}; only loss_type differs. Held-out: ${b.evalProblems} problems,`,
    `greedy and ${b.evalSamples} samples at temperature 1 each. Training columns average the last ${b.window} steps.`,
    "",
    "| model | train reward | train accuracy | train length (tokens) | held-out greedy | held-out sampled | seconds |",
    "|---|---|---|---|---|---|---|",
    ...arms.map((a) => `| ${a.name} | ${a.reward === undefined ? "—" : a.reward.toFixed(3)} | ${pct(a.accuracy)} | ${a.length === undefined ? "—" : a.length.toFixed(1)} | ${pct(a.greedy)} | ${pct(a.sampled)} | ${a.seconds.toFixed(0)} |`),
    "",
  ];
  return lines.join("\n");
}

export const grpoVariantsExperiment: Experiment = {
  name: "grpo-variants",
  description: "GRPO loss_type grpo vs dr_grpo vs dapo from one SFT warm start on 1–2-digit addition",
  run,
};
