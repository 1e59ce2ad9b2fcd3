// `ratio experiment sos`: Stream of Search (Gandhi et al. 2024) at CPU scale — the same model trained from scratch on
// search streams (a random SoS strategy per problem) vs on optimal paths (the solution without search) for the same
// problems, with identical training compute, then the solve rate on problems whose targets no training problem has
// (SoS's val_target) and on new problems with seen targets (val). Directory layout: <out>/search and <out>/optimal
// (one run directory per arm: datasets, metrics, checkpoints), plots and the report beside them.
//
// Equal compute: both arms take the same number of optimizer steps, each step a batch of whole sequences filling a
// fixed token budget (tokens_per_step), drawn from the same epoch-wise permutation of the same problems; the
// optimal-path arm, whose sequences are shorter, therefore sees more problems per step. Trained tokens, sequences
// and epochs are counted per arm and reported.
import * as path from "node:path";
import { generateSos, type SosRow } from "../datagen/sos.js";
import { saveCheckpoint } from "../model/checkpoint.js";
import { presetConfig, type LlamaConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import type { ParamStore } from "../model/params.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { encodeSft } from "../algorithms/sft.js";
import { writeDataset } from "../run/dataset.js";
import { RunDir } from "../run/run-dir.js";
import { Generator } from "../sampling/generate.js";
import { combineNums, SOS_MAX_NODES } from "../tasks/countdown/rules.js";
import { parseSosTrace } from "../tasks/countdown/sos-grammar.js";
import { checkSosTrace, fullTrace } from "../tasks/countdown/sos-check.js";
import { sosTargetSplit } from "../tasks/countdown/sos-split.js";
import type { TrainSequence } from "../train/batch.js";
import { Trainer } from "../train/trainer.js";
import { writeFileAtomic } from "../util/atomic.js";
import { lineChartSvg } from "../util/plot.js";
import { Rng } from "../util/rng.js";
import type { Experiment, ExperimentFlags, ExperimentResult } from "./index.js";

/** Every character of the SoS trace grammar (sos-grammar.ts). */
export const SOS_ALPHABET = "0123456789 +-*/=,:[]'#.\nCurrent State Operations Exploring Resulting Numbers Generated Node Moving to equal Goal Reached unequal No Solution solution found";

export function sosTokenizer(): CharTokenizer {
  return CharTokenizer.fromAlphabet(SOS_ALPHABET);
}

export interface SosBudget {
  /** input numbers per problem (SoS: 4; 3 keeps max_nodes at 48 and traces ~1k characters) */
  numbers: number;
  /** largest input number (SoS: 99, i.e. max_target − 1) */
  maxNumber: number;
  trainProblems: number;
  /** problems whose search trace is longer are dropped from every split (both arms: the same problems) */
  maxTraceChars: number;
  model: { hidden_size: number; num_hidden_layers: number; num_attention_heads: number; intermediate_size: number };
  /** model context: prompt + longest trace + bos/eos */
  context: number;
  steps: number;
  tokensPerStep: number;
  microBatchSize: number;
  lr: number;
  warmupSteps: number;
  minLr: number;
  /** held-out-target (val_target) problems, and seen-target (val) problems evaluated at the end */
  evalProblems: number;
  valProblems: number;
  /** evaluate the first curveProblems val_target problems every this many steps (all of them at the end) */
  evalEvery: number;
  curveProblems: number;
  /** samples per val_target problem at temperature 1 at the end (0: greedy only) */
  samples: number;
}

export const FULL_SOS_BUDGET: SosBudget = {
  numbers: 3, maxNumber: 9, trainProblems: 8000, maxTraceChars: 1024,
  model: { hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 172 }, context: 1088,
  steps: 2000, tokensPerStep: 4096, microBatchSize: 8, lr: 5e-3, warmupSteps: 20, minLr: 5e-4,
  evalProblems: 200, valProblems: 100, evalEvery: 500, curveProblems: 64, samples: 4,
};

export const QUICK_SOS_BUDGET: SosBudget = {
  numbers: 3, maxNumber: 9, trainProblems: 48, maxTraceChars: 600,
  model: { hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64 }, context: 640,
  steps: 3, tokensPerStep: 2048, microBatchSize: 8, lr: 3e-3, warmupSteps: 1, minLr: 3e-4,
  evalProblems: 4, valProblems: 2, evalEvery: 2, curveProblems: 2, samples: 2,
};

/** Seeds of the data streams (the experiment seed is added): far apart, so no two splits share a draw. */
const TRAIN_SEED = 1_000_001;
const VAL_SEED = 1_000_003;
const EVAL_SEED = 1_000_005;
/** The held-out target split is SoS's: one fixed split seed for every dataset of the experiment. */
const SPLIT_SEED = 0;

const ARMS = [
  { name: "search", label: "search streams", trace: "search" },
  { name: "optimal", label: "optimal paths", trace: "optimal" },
] as const;

export interface SosEval {
  problems: number;
  /** valid trace reaching the goal with rating > 0 (SoS accuracy) */
  solved: number;
  /** mean rating over problems (0 for unsolved) */
  rating: number;
  /** completions that claim "Goal Reached" */
  claimed: number;
  /** completions cut at the context length */
  truncated: number;
  /** "Exploring Operation" lines whose arithmetic is right under combine_nums rules, of all such lines */
  opAccuracy: number;
  meanChars: number;
  /** pass@k at temperature 1 (when samples > 0) */
  passK?: number;
}

export interface SosArmResult {
  arm: string;
  label: string;
  steps: number;
  sequences: number;
  /** every token of the trained sequences (bos + prompt + completion + eos), the compute measure */
  tokens: number;
  /** completion tokens (the loss covers them) */
  trainedTokens: number;
  epochs: number;
  finalNll: number;
  /** val_target evaluations during training (the first curveProblems problems; all of them at the last step) */
  curve: { step: number; solved: number; rating: number; opAccuracy: number; problems: number }[];
  valTarget: SosEval;
  val: SosEval;
  seconds: number;
}

/**
 * Token-budget batches: walk the epoch-wise permutations of `lengths` (Rng(`${seed}:epoch:${e}`), as runSft) and
 * fill each of `steps` batches with whole sequences up to `tokensPerStep` tokens (at least one sequence).
 */
export function tokenBudgetBatches(lengths: readonly number[], tokensPerStep: number, steps: number, seed: number): number[][] {
  const batches: number[][] = [];
  let epoch = 0;
  let perm = new Rng(`${seed}:epoch:0`).shuffle(lengths.map((_, i) => i));
  let pos = 0;
  for (let s = 0; s < steps; s++) {
    const batch: number[] = [];
    let used = 0;
    for (;;) {
      if (pos === perm.length) {
        epoch++;
        perm = new Rng(`${seed}:epoch:${epoch}`).shuffle(lengths.map((_, i) => i));
        pos = 0;
      }
      const i = perm[pos];
      if (batch.length > 0 && used + lengths[i] > tokensPerStep) break;
      batch.push(i);
      used += lengths[i];
      pos++;
    }
    batches.push(batch);
  }
  return batches;
}

/** A trace ends at its goal line or at BFS's "No solution found." (what follows is never rated). */
const STOPS = { stop: ["Goal Reached", "No solution found."], includeStopStrInOutput: true } as const;

/** Greedy (and optionally k-sample) solve rate of a model on problems, by checkSosTrace. */
export async function evaluateSos(gen: Generator, rows: readonly SosRow[], context: number, samples = 0, seed = 0, maxChars = Infinity): Promise<SosEval> {
  const prompts = rows.map((r) => r.prompt);
  const maxTokens = Math.min(maxChars, context - 1 - Math.max(...prompts.map((p) => p.length)));
  const greedy = await gen.generate(prompts, { maxTokens, temperature: 0, ...STOPS });
  let solved = 0, rating = 0, claimed = 0, truncated = 0, chars = 0, ops = 0, rightOps = 0;
  greedy.forEach((c, i) => {
    const r = rows[i];
    const check = checkSosTrace(fullTrace(c.text, r.target, r.nums), r.target, r.nums);
    if (check.valid && check.rating > 0) solved++;
    rating += check.valid ? check.rating : 0;
    if (c.text.includes("Goal Reached")) claimed++;
    if (c.finishReason === "length") truncated++;
    chars += c.text.length;
    for (const line of parseSosTrace(c.text).lines) {
      if (line.kind !== "explore") continue;
      ops++;
      const { a, b, op, result } = line.op;
      if (combineNums(a, b).some((x) => x.op === op && x.a === a && x.b === b && x.result === result)) rightOps++;
    }
  });
  const n = Math.max(1, rows.length);
  const out: SosEval = { problems: rows.length, solved: solved / n, rating: rating / n, claimed: claimed / n, truncated: truncated / n, opAccuracy: ops > 0 ? rightOps / ops : 0, meanChars: chars / n };
  if (samples > 0) {
    const sampled = await gen.generate(prompts, { maxTokens, temperature: 1, n: samples, seed, ...STOPS });
    const any = new Set<number>();
    for (const c of sampled) {
      const r = rows[c.promptIndex];
      const check = checkSosTrace(fullTrace(c.text, r.target, r.nums), r.target, r.nums);
      if (check.valid && check.rating > 0) any.add(c.promptIndex);
    }
    out.passK = any.size / n;
  }
  return out;
}

const key = (r: { target: number; nums: readonly number[] }): string => `${r.target}:${[...r.nums].sort((a, b) => a - b).join(",")}`;

interface ArmData {
  rows: SosRow[];
  seqs: TrainSequence[];
}

async function trainArm(
  flags: ExperimentFlags, b: SosBudget, arm: (typeof ARMS)[number], data: ArmData, config: LlamaConfig, tokenizer: CharTokenizer, evalRows: SosRow[], valRows: SosRow[],
): Promise<SosArmResult> {
  const t0 = performance.now();
  const run = RunDir.open(path.join(flags.out, arm.name), { overwrite: true, seed: flags.seed, command: ["ratio", "experiment", "sos"], config: { budget: b, arm: arm.name } });
  const dataFile = run.datasetPath("sft", arm.name);
  writeDataset(dataFile, data.rows, { stage: "sft", seed: flags.seed + TRAIN_SEED, generator: "sos", trace: arm.trace, numbers: b.numbers, max_number: b.maxNumber, max_trace_chars: b.maxTraceChars, split: "train", split_seed: SPLIT_SEED });
  run.startStage("sft", "sft", { data: run.relative(dataFile) });
  const params: ParamStore = initParams(config, flags.seed);
  const trainer = await Trainer.create({
    config, params, schedule: { type: "warmup-cosine", lr: b.lr, warmupSteps: b.warmupSteps, totalSteps: b.steps, minLr: b.minLr },
    optimizer: { weightDecay: 0.01 }, maxGradNorm: 1, padId: tokenizer.padId, objective: { entropy: false }, microBatchSize: b.microBatchSize,
  });
  const lengths = data.seqs.map((s) => s.tokens.length);
  // the batch order is a function of the experiment seed alone: both arms walk the same permutation of the problems
  const batches = tokenBudgetBatches(lengths, b.tokensPerStep, b.steps, flags.seed);
  let sequences = 0, tokens = 0, trainedTokens = 0, nll = NaN;
  const curve: SosArmResult["curve"] = [];
  let last: SosEval | undefined;
  // generation stops at the longest training trace plus a margin (an untrained model otherwise fills the context)
  const maxChars = b.maxTraceChars + 64;
  for (const [s, batch] of batches.entries()) {
    batch.sort((x, y) => lengths[x] - lengths[y] || x - y);
    const stats = await trainer.train(batch.map((i) => data.seqs[i]));
    sequences += batch.length;
    tokens += batch.reduce((a, i) => a + lengths[i], 0);
    trainedTokens += stats.tokens;
    nll = stats.nll;
    run.logMetrics({ stage: "sft", step: stats.step, loss: stats.nll, nll: stats.nll, learning_rate: stats.lr, grad_norm: stats.gradNorm, sequences: batch.length, num_tokens: tokens, step_time: stats.ms / 1000 });
    if ((s + 1) % b.evalEvery === 0 || s + 1 === b.steps) {
      const gen = await Generator.create({ config, params, tokenizer, frozen: true });
      const end = s + 1 === b.steps;
      const ev = await evaluateSos(gen, end ? evalRows : evalRows.slice(0, b.curveProblems), config.max_position_embeddings, 0, 0, maxChars);
      if (end) last = ev;
      curve.push({ step: s + 1, solved: ev.solved, rating: ev.rating, opAccuracy: ev.opAccuracy, problems: ev.problems });
      run.logMetrics({ stage: "sft", step: s + 1, kind: "eval", val_target_solved: ev.solved, val_target_rating: ev.rating, claimed: ev.claimed, truncated: ev.truncated, op_accuracy: ev.opAccuracy, problems: ev.problems });
      flags.say(`${arm.label}: step ${s + 1}/${b.steps} nll ${nll.toFixed(3)}, held-out targets solved ${(ev.solved * 100).toFixed(1)} % of ${ev.problems}, arithmetic ${(ev.opAccuracy * 100).toFixed(0)} % (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  const final = run.checkpointDir("sft", "final");
  await saveCheckpoint(final, { config, params, tokenizer });
  const gen = await Generator.create({ config, params, tokenizer, frozen: true });
  const valTarget = b.samples > 0 ? { ...(last as SosEval), passK: (await evaluateSos(gen, evalRows, config.max_position_embeddings, b.samples, flags.seed, maxChars)).passK } : (last as SosEval);
  const val = await evaluateSos(gen, valRows, config.max_position_embeddings, 0, 0, maxChars);
  const summary = { steps: b.steps, sequences, tokens, trained_tokens: trainedTokens, nll, val_target_solved: valTarget.solved, val_solved: val.solved };
  run.finishStage("sft", { checkpoint: run.relative(final) }, summary);
  run.setStatus("complete");
  return {
    arm: arm.name, label: arm.label, steps: b.steps, sequences, tokens, trainedTokens, epochs: sequences / data.rows.length, finalNll: nll, curve, valTarget, val,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The experiment with an explicit budget (probes, tests); `ratio experiment sos` passes FULL or QUICK. */
export async function runSosExperiment(flags: ExperimentFlags, b: SosBudget, only?: "search" | "optimal"): Promise<ExperimentResult> {
  const tokenizer = sosTokenizer();
  const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, {
    ...b.model, num_key_value_heads: b.model.num_attention_heads, max_position_embeddings: b.context,
  });
  const common = { numbers: b.numbers, max_number: b.maxNumber, max_trace_chars: b.maxTraceChars, split_seed: SPLIT_SEED };
  const split = sosTargetSplit(SPLIT_SEED);
  const search = generateSos(b.trainProblems, flags.seed + TRAIN_SEED, { ...common, trace: "search" });
  const optimal = generateSos(b.trainProblems, flags.seed + TRAIN_SEED, { ...common, trace: "optimal" });
  // distinct problems only (a small game repeats problems)
  const distinct = (rows: SosRow[], exclude: ReadonlySet<string>, n: number): SosRow[] => {
    const seen = new Set(exclude);
    return rows.filter((r) => !seen.has(key(r)) && seen.add(key(r)) !== undefined).slice(0, n);
  };
  const evalRows = distinct(generateSos(b.evalProblems * 3, flags.seed + EVAL_SEED, { ...common, split: "val_target" }).rows, new Set(), b.evalProblems);
  // val: seen targets, problems no training row has (SoS redraws a val problem whose solution is in train)
  const trained = new Set(search.rows.map(key));
  const valRows = distinct(generateSos(b.valProblems * 5, flags.seed + VAL_SEED, { ...common, split: "val" }).rows, trained, b.valProblems);
  // the split's promise, checked: no training problem has a held-out target, and the arms hold the same problems
  const held = new Set(split.valTarget);
  if (search.rows.some((r) => held.has(r.target))) throw new Error("sos experiment: a training problem has a held-out target (a bug in the split)");
  if (!evalRows.every((r) => held.has(r.target))) throw new Error("sos experiment: a val_target problem has a seen target (a bug in the split)");
  if (search.rows.some((r, i) => r.problem_id !== optimal.rows[i].problem_id)) throw new Error("sos experiment: the arms' problems differ");

  const encode = (rows: SosRow[], arm: string): TrainSequence[] => rows.map((r, i) => encodeSft(tokenizer, r, b.context, `${arm} example ${i + 1}`));
  const data: Record<string, ArmData> = { search: { rows: search.rows, seqs: encode(search.rows, "search") }, optimal: { rows: optimal.rows, seqs: encode(optimal.rows, "optimal") } };
  const meanLen = (rows: readonly SosRow[]) => rows.reduce((a, r) => a + r.prompt.length + r.completion.length, 0) / Math.max(1, rows.length);
  const dataStats = {
    train_problems: b.trainProblems, candidates: search.lineage.candidates as number, dropped_long: search.lineage.skipped_long as number,
    search_solved_fraction: search.lineage.search_solved_fraction as number, search_mean_chars: meanLen(search.rows), optimal_mean_chars: meanLen(optimal.rows),
    held_out_targets: split.valTarget, eval_problems: evalRows.length, val_problems: valRows.length,
    strategies: Object.fromEntries(Object.entries(search.rows.reduce<Record<string, number>>((a, r) => ({ ...a, [r.search_type]: (a[r.search_type] ?? 0) + 1 }), {})).sort()),
  };
  flags.say(`SoS: ${b.trainProblems} training problems of ${b.numbers} numbers (${dataStats.dropped_long} of ${dataStats.candidates} dropped: search trace > ${b.maxTraceChars} characters); search traces ${dataStats.search_mean_chars.toFixed(0)} characters on average (${(dataStats.search_solved_fraction * 100).toFixed(0)} % reach the goal), optimal paths ${dataStats.optimal_mean_chars.toFixed(0)}`);
  flags.say(`held-out targets ${split.valTarget.join(", ")}: ${evalRows.length} problems; seen targets: ${valRows.length} new problems`);

  const arms: SosArmResult[] = [];
  for (const arm of ARMS.filter((a) => only === undefined || a.name === only)) arms.push(await trainArm(flags, b, arm, data[arm.name], config, tokenizer, evalRows, valRows));

  const plot = path.join(flags.out, "sos-solve-rate.svg");
  await writeFileAtomic(plot, lineChartSvg(arms.map((a) => ({ name: a.label, points: [{ x: 0, y: 0 }, ...a.curve.map((c) => ({ x: c.step, y: c.solved }))] })), {
    title: `Stream of Search, ${b.numbers} numbers: held-out-target solve rate (greedy)`, xLabel: "training step (equal tokens per step in both arms)", yLabel: "solved (valid trace, rating > 0)", yRange: [0, 1],
  }));
  const params = initParams(config, flags.seed).count;
  return { markdown: report(arms, b, flags, dataStats, params), data: { budget: b, data: dataStats, parameters: params, arms }, plots: [plot] };
}

const pct = (x: number | undefined): string => (x === undefined ? "—" : `${(x * 100).toFixed(1)} %`);

function report(arms: readonly SosArmResult[], b: SosBudget, flags: ExperimentFlags, d: { [k: string]: unknown } & { candidates: number; dropped_long: number; search_solved_fraction: number; search_mean_chars: number; optimal_mean_chars: number; held_out_targets: number[]; eval_problems: number; val_problems: number; strategies: Record<string, number> }, params: number): string {
  const [s, o] = arms.length === 2 ? arms : [arms[0], arms[0]];
  const rel = o.valTarget.solved > 0 ? ((s.valTarget.solved - o.valTarget.solved) / o.valTarget.solved) * 100 : NaN;
  const lines = [
    `# Stream of Search: search streams vs optimal paths${flags.quick ? " (--quick: the numbers mean little)" : ""}`,
    "",
    `\`ratio experiment sos --seed ${flags.seed}${flags.quick ? " --quick" : ""}\``,
    "",
    `Data: ${b.trainProblems} Countdown problems of ${b.numbers} numbers (numbers 1–${b.maxNumber}${b.maxNumber === 99 ? " as SoS" : " (SoS: 1–99)"}, targets 10–100, combine_nums, max_nodes ${SOS_MAX_NODES[b.numbers]}), training targets only;` +
      ` held-out targets ${d.held_out_targets.join(", ")} (SoS's val_target split: 10 % of 10..100, seed ${SPLIT_SEED}). Strategy per problem drawn as SoS does` +
      ` (${Object.entries(d.strategies).map(([k, v]) => `${k} ${v}`).join(", ")}); search traces longer than ${b.maxTraceChars} characters dropped with their problem` +
      ` (${d.dropped_long} of ${d.candidates} candidates, both arms, every split). Search traces: ${d.search_mean_chars.toFixed(0)} characters on average,` +
      ` ${pct(d.search_solved_fraction)} reach the goal (the rest are kept, as in SoS); optimal paths: ${d.optimal_mean_chars.toFixed(0)} characters.`,
    `Model: Llama ${b.model.hidden_size}×${b.model.num_hidden_layers} layers, ${params.toLocaleString("en-US")} parameters, character tokenizer, context ${b.context}, trained from scratch.` +
      ` Both arms: ${b.steps} AdamW steps of ${b.tokensPerStep.toLocaleString("en-US")} tokens (whole sequences), lr ${b.lr} warm-up-cosine to ${b.minLr}, same seed, same problem order.`,
    `Evaluation: greedy completion of the first trace line, solved = checkSosTrace valid with rating > 0 (SoS accuracy); ${d.eval_problems} held-out-target problems, ${d.val_problems} new problems with seen targets.`,
    "",
    `| arm | steps | sequences (epochs) | tokens | trained tokens | final nll | held-out targets solved | mean rating | claims goal | arithmetic right | cut at length | seen targets solved |${b.samples > 0 ? ` pass@${b.samples} |` : ""} seconds |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|${b.samples > 0 ? "---|" : ""}---|`,
  ];
  for (const a of arms) {
    lines.push(
      `| ${a.label} | ${a.steps} | ${a.sequences.toLocaleString("en-US")} (${a.epochs.toFixed(1)}) | ${a.tokens.toLocaleString("en-US")} | ${a.trainedTokens.toLocaleString("en-US")} | ${a.finalNll.toFixed(3)} |` +
        ` ${pct(a.valTarget.solved)} | ${a.valTarget.rating.toFixed(3)} | ${pct(a.valTarget.claimed)} | ${pct(a.valTarget.opAccuracy)} | ${pct(a.valTarget.truncated)} | ${pct(a.val.solved)} |${b.samples > 0 ? ` ${pct(a.valTarget.passK)} |` : ""} ${a.seconds.toFixed(0)} |`,
    );
  }
  lines.push(
    "",
    `Held-out-target solve rate by step (first ${b.curveProblems} problems; all ${d.eval_problems} at the last step), arithmetic right in parentheses: ${arms.map((a) => `${a.label} ${a.curve.map((c) => `${c.step}: ${pct(c.solved)} (${pct(c.opAccuracy)})`).join(", ")}`).join("; ")}.`,
    "",
    "Columns: tokens = every token of the trained sequences (the compute measure; equal up to the unfilled end of each step's budget); trained tokens = completion tokens under the loss;" +
      " claims goal = the completion contains \"Goal Reached\" (valid or not); arithmetic right = share of the completions' \"Exploring Operation\" lines whose a op b = c is right under combine_nums;" +
      ` cut at length = generation stopped at ${b.maxTraceChars + 64} characters (the trace cap + 64).`,
    "",
    Number.isFinite(rel)
      ? `Search streams vs optimal paths on held-out targets: ${pct(s.valTarget.solved)} vs ${pct(o.valTarget.solved)} (${rel >= 0 ? "+" : ""}${rel.toFixed(0)} % relative, ${((s.valTarget.solved - o.valTarget.solved) * 100).toFixed(1)} points; the paper: +25 %).`
      : `Search streams vs optimal paths on held-out targets: ${pct(s.valTarget.solved)} vs ${pct(o.valTarget.solved)} (the paper: +25 %).`,
    "",
  );
  return lines.join("\n");
}

export const sosExperiment: Experiment = {
  name: "sos",
  description: "Stream of Search: train on search streams vs optimal paths (same compute), solve rate on held-out targets",
  run: (flags) => runSosExperiment(flags, flags.quick ? QUICK_SOS_BUDGET : FULL_SOS_BUDGET),
};
