// `ratio experiment priming`: the priming experiment of Gandhi et al. 2025, "Cognitive Behaviors that Enable
// Self-Improving Reasoners" (kanishkg/cognitive-behaviors), at toy scale. For each priming condition (all_strategies,
// only_backtracking, only_verification, empty_cot, placeholder_cot, incorrect_only) the same tiny Llama is
// initialized from scratch with the same seed, trained by SFT on that condition's Countdown traces (same steps and
// batch), then trained by GRPO with the same budget on Countdown (tinyzero preset, 3 numbers, TinyZero reward
// 1 / 0.1 / 0). Logged per condition: held-out accuracy and behavior frequency before and after GRPO, and per GRPO
// step the training accuracy and the fraction of sampled completions showing each behavior (rule-based detectors).
// Directory layout: <out>/<condition> (one run each: stages sft and grpo), plots and the report beside them.
import { readFileSync, existsSync } from "node:fs";
import * as path from "node:path";
import { runGrpo, type GrpoOptionsInput } from "../algorithms/grpo/grpo.js";
import { rollout } from "../algorithms/rollout.js";
import { runSftStage } from "../algorithms/sft-stage.js";
import { BEHAVIORS, countBehaviors, type Behavior } from "../analysis/behaviors/detect.js";
import { generatePriming, type PrimingRow } from "../datagen/priming.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { presetConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer, type Tokenizer } from "../model/tokenizer.js";
import { writeDataset } from "../run/dataset.js";
import { RunDir, type MetricsRow } from "../run/run-dir.js";
import type { StageContext } from "../run/stage.js";
import { Generator } from "../sampling/generate.js";
import { primingPhrases } from "../tasks/countdown/priming-phrases.js";
import type { PrimingCondition } from "../tasks/countdown/priming.js";
import { getTask } from "../tasks/registry.js";
import type { Example } from "../tasks/types.js";
import type { SftGrpoBudget } from "./budget.js";
import type { Experiment, ExperimentFlags, ExperimentResult } from "./index.js";
import { primingPlots, primingReport, type ConditionResult, type EvalPoint } from "./priming-report.js";

export const PRIMING_NUMBERS = 3;
/**
 * Number and target ranges: the tinyzero preset's rules and reward with smaller numbers. With its 1–99 / 10–100 a
 * from-scratch tiny model after 500 SFT steps stays at SFT loss 1.17 and 0 of 128 samples correct (it cannot copy
 * two-digit numbers from the prompt yet); with 1–12 / 10–40 the loss reaches 0.48 and 1 of 128 samples is right.
 */
export const PRIMING_RANGES = { maxValue: 12, maxTarget: 40 } as const;
const TASK_OPTIONS = { preset: "tinyzero", minNumbers: PRIMING_NUMBERS, maxNumbers: PRIMING_NUMBERS, ...PRIMING_RANGES };
/** Seeds of the priming sets and of the held-out problems (GRPO's prompts use the experiment seed). */
const SFT_DATA_SEED = 2_000_001;
const EVAL_SEED = 2_000_003;
/** Room for the longest priming completion under GRPO: max_completion_length = longest SFT completion × this. */
const COMPLETION_HEADROOM = 1.25;
/** Extra prompt positions for GRPO prompts with more digits than any seen here (a prompt's only varying tokens). */
const PROMPT_SLACK = 8;

export const FULL_CONDITIONS: readonly PrimingCondition[] = ["all_strategies", "only_backtracking", "only_verification", "empty_cot", "placeholder_cot", "incorrect_only"];
const QUICK_CONDITIONS: readonly PrimingCondition[] = ["all_strategies", "empty_cot"];

export type PrimingBudget = SftGrpoBudget;

/**
 * The full run (21 minutes on the 2-core VM, 2026-12-05). Probed on empty_cot and all_strategies (64 held-out problems): 400 SFT
 * steps solve nothing (0 % after GRPO in every condition), 2000 steps solve 14 % / 11 % sampled, so GRPO has a
 * signal; GRPO at lr 3e-4 then collapses (all_strategies 38 % → 11 % training accuracy within 30 steps, 6 %
 * held-out) while 1e-4 improves both (14 → 17 %, 11 → 16 % after 60 steps).
 */
const FULL: PrimingBudget = {
  sftExamples: 4000, sftSteps: 2000, sftBatch: 16, sftLr: 3e-3,
  grpoSteps: 150, batchSize: 8, numGenerations: 8, learningRate: 1e-4,
  evalProblems: 64, evalSamples: 4, window: 10,
};

const QUICK: PrimingBudget = {
  sftExamples: 64, sftSteps: 6, sftBatch: 8, sftLr: 3e-3,
  grpoSteps: 2, batchSize: 2, numGenerations: 2, learningRate: 2e-4,
  evalProblems: 4, evalSamples: 1, window: 1,
};

/** The thinking part of a completion (before </think>), where the behaviors are looked for. */
export function thinkingOf(completion: string): string {
  const end = completion.indexOf("</think>");
  return end < 0 ? completion : completion.slice(0, end);
}

/** Fraction of texts in which each behavior is detected at least once. */
export function behaviorFrequency(completions: readonly string[]): Record<Behavior, number> {
  const f = Object.fromEntries(BEHAVIORS.map((b) => [b, 0])) as Record<Behavior, number>;
  for (const c of completions) {
    const counts = countBehaviors(thinkingOf(c));
    for (const b of BEHAVIORS) if (counts[b] > 0) f[b] += 1;
  }
  for (const b of BEHAVIORS) f[b] = completions.length > 0 ? f[b] / completions.length : 0;
  return f;
}

/**
 * The experiment's tokenizer: characters, plus the TinyZero prompt's fixed text and the priming phrasings as single
 * tokens (what a BPE vocabulary trained on this data would merge), so a 64-wide model sees ~7× fewer positions.
 * Numbers and arithmetic stay one character per token.
 */
export function primingTokenizer(rows: readonly PrimingRow[]): CharTokenizer {
  const promptPieces = rows.length > 0 ? rows[0].prompt.split(/\d+/).filter((p) => p.length >= 3) : [];
  const specials = [...new Set([...promptPieces, ...primingPhrases(), "</think>\n<answer>", "</answer>"])];
  const alphabet = "0123456789+-*/()[], =.\n" + rows.map((r) => r.prompt + r.completion).join("");
  return CharTokenizer.fromAlphabet(alphabet, { specialTokens: specials });
}

/** The priming set of every condition (placeholder_cot matched in tokens of `tokenizer`). */
function primingSets(conditions: readonly PrimingCondition[], b: PrimingBudget): { tokenizer: CharTokenizer; sets: Map<PrimingCondition, PrimingRow[]> } {
  const options = { numbers: PRIMING_NUMBERS, ...PRIMING_RANGES };
  const text = [...new Set([...conditions, "all_strategies", "incorrect_only"] as PrimingCondition[])].filter((c) => c !== "placeholder_cot");
  const sets = new Map<PrimingCondition, PrimingRow[]>();
  for (const c of text) sets.set(c, generatePriming(b.sftExamples, SFT_DATA_SEED, { ...options, condition: c }).rows);
  const tokenizer = primingTokenizer([...sets.values()].flat());
  const tokens = (s: string) => tokenizer.encode(s).length;
  if (conditions.includes("placeholder_cot")) sets.set("placeholder_cot", generatePriming(b.sftExamples, SFT_DATA_SEED, { ...options, condition: "placeholder_cot" }, tokens).rows);
  return { tokenizer, sets };
}

const task = getTask("countdown");

async function evaluate(dir: string, heldOut: readonly Example[], maxTokens: number, b: PrimingBudget, seed: number): Promise<EvalPoint> {
  const ck = await loadCheckpoint(dir);
  const gen = await Generator.create({ config: ck.config, params: ck.params, tokenizer: ck.tokenizer, frozen: true });
  const greedy = await rollout(gen, task, heldOut, { n: 1, temperature: 0, maxTokens, seed });
  const sampled = await rollout(gen, task, heldOut, { n: b.evalSamples, temperature: 1, maxTokens, seed });
  const mean = (xs: readonly boolean[]) => xs.filter(Boolean).length / Math.max(1, xs.length);
  return {
    greedy: mean(greedy.map((r) => r.score.correct)),
    sampled: mean(sampled.map((r) => r.score.correct)),
    answered: mean(sampled.map((r) => r.score.extracted !== null && r.score.extracted !== undefined)),
    behaviors: behaviorFrequency(sampled.map((r) => r.completion)),
    length: sampled.reduce((a, r) => a + r.tokenIds.length, 0) / Math.max(1, sampled.length),
  };
}

/** Per GRPO step: the fraction of logged completions (one per prompt) showing each behavior. */
function stepBehaviors(run: RunDir, stage: string): { step: number; freq: Record<Behavior, number> }[] {
  if (!existsSync(run.samplesFile)) return [];
  const byStep = new Map<number, string[]>();
  for (const line of readFileSync(run.samplesFile, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const r = JSON.parse(line) as { stage: string; step: number; completion?: unknown };
    if (r.stage !== stage || typeof r.completion !== "string") continue;
    byStep.set(r.step, [...(byStep.get(r.step) ?? []), r.completion]);
  }
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, texts]) => ({ step, freq: behaviorFrequency(texts) }));
}

function context(flags: ExperimentFlags, dir: string, stage: string, b: PrimingBudget, condition: PrimingCondition): StageContext {
  const run = RunDir.open(dir, { overwrite: stage === "sft", seed: flags.seed, command: ["ratio", "experiment", "priming"], config: { condition, ...b } });
  return { run, stage, seed: flags.seed, resume: false, say: flags.say, progress: flags.progress };
}

function grpoOptions(b: PrimingBudget, maxCompletion: number): GrpoOptionsInput {
  return {
    task: "countdown", task_options: TASK_OPTIONS, rewards: [{ name: "tinyzero_countdown" }], steps: b.grpoSteps, batch_size: b.batchSize,
    num_generations: b.numGenerations, max_completion_length: maxCompletion, learning_rate: b.learningRate,
    save_every: 0, log_samples: b.batchSize,
  };
}

async function run(flags: ExperimentFlags): Promise<ExperimentResult> {
  return runPriming(flags, flags.quick ? QUICK : FULL, flags.quick ? QUICK_CONDITIONS : FULL_CONDITIONS);
}

/** The experiment with a given budget and conditions (`run` uses FULL or QUICK; probes pass their own). */
export async function runPriming(flags: ExperimentFlags, b: PrimingBudget, conditions: readonly PrimingCondition[]): Promise<ExperimentResult> {
  const { tokenizer, sets } = primingSets(conditions, b);
  const lengths = [...sets.values()].flat().map((r) => ({ prompt: tokenizer.encode(r.prompt).length, completion: tokenizer.encode(r.completion).length + 1 }));
  const maxCompletion = Math.ceil(Math.max(...lengths.map((l) => l.completion)) * COMPLETION_HEADROOM);
  const heldOut = Array.from({ length: b.evalProblems }, (_, i) => task.generate({ seed: EVAL_SEED, index: i, ...TASK_OPTIONS }));
  const longestPrompt = Math.max(...lengths.map((l) => l.prompt), ...heldOut.map((e) => tokenizer.encode(task.prompt(e)).length));
  const context_ = longestPrompt + PROMPT_SLACK + 1 + maxCompletion;
  const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, { max_position_embeddings: context_ });
  flags.say(`priming: vocabulary ${tokenizer.vocabSize} tokens, context ${context_}, max_completion_length ${maxCompletion}`);

  const results: ConditionResult[] = [];
  for (const condition of conditions) {
    const t0 = performance.now();
    const dir = path.join(flags.out, condition);
    const rows = sets.get(condition)!;
    const sftCtx = context(flags, dir, "sft", b, condition);
    writeDataset(sftCtx.run.datasetPath("sft", condition), rows, { stage: "sft", seed: SFT_DATA_SEED, task: "countdown", source: `priming generator, condition ${condition}` });
    sftCtx.run.startStage("sft", "sft");
    const model = { config, params: initParams(config, flags.seed), tokenizer: tokenizer as Tokenizer };
    const sft = await runSftStage(sftCtx, model, rows, {
      steps: b.sftSteps, batch_size: b.sftBatch, lr: b.sftLr, schedule: "warmup-cosine", warmup_steps: Math.min(10, b.sftSteps), min_lr: b.sftLr / 10, weight_decay: 0.01, max_grad_norm: 1, save_every: b.sftSteps,
    });
    sftCtx.run.finishStage("sft", { checkpoint: sftCtx.run.relative(sft.checkpoint!) }, sft.summary);
    const before = await evaluate(sft.checkpoint!, heldOut, maxCompletion, b, flags.seed);
    const grpoCtx = { ...sftCtx, stage: "grpo" };
    const grpo = await runGrpo(grpoCtx, { checkpoint: sft.checkpoint! }, grpoOptions(b, maxCompletion));
    const after = await evaluate(grpo.checkpoint!, heldOut, maxCompletion, b, flags.seed);
    sftCtx.run.setStatus("complete");
    const metrics: MetricsRow[] = sftCtx.run.metrics("grpo");
    results.push({
      condition, sftLoss: typeof sft.summary.loss === "number" ? sft.summary.loss : null, before, after,
      steps: metrics.map((r) => ({ step: r.step, accuracy: typeof r.accuracy === "number" ? r.accuracy : 0, reward: typeof r.reward === "number" ? r.reward : 0 })),
      behaviorsPerStep: stepBehaviors(sftCtx.run, "grpo"),
      seconds: (performance.now() - t0) / 1000,
    });
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    flags.say(`${condition}: sampled accuracy ${pct(before.sampled)} → ${pct(after.sampled)} (${results.at(-1)!.seconds.toFixed(0)} s)`);
  }
  const plots = await primingPlots(flags.out, results, b.window);
  return { markdown: primingReport(results, b, flags, { maxCompletion, context: context_, vocab: tokenizer.vocabSize, ...PRIMING_RANGES }), data: { budget: b, conditions: results }, plots };
}

export const primingExperiment: Experiment = {
  name: "priming",
  description: "cognitive-behavior priming on Countdown: SFT on each priming condition from scratch, then the same GRPO budget",
  run,
};
