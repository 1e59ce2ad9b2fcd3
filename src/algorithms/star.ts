// STaR, the Self-Taught Reasoner (Zelikman et al. 2022, Algorithm 1), as a stage:
//   M_0 = the stage's input model
//   for i = 1 … iterations:
//     D_i  = correct rationales of M_{i−1} on N fresh problems ∪ its rationalizations of the failures (star-iteration.ts)
//     M_i  = fine-tune(M_0, D_i) for start_steps + add_steps·(i−1) steps    (continue: fine-tune(M_{i−1}, D_i))
//     evaluate M_i on held-out problems, per difficulty bucket (digit count for addition)
// As the original code, every iteration restarts from the base model with a fresh optimizer, trains on that
// iteration's kept set only, at a constant learning rate.
//
// Run directory: datasets/<stage>/iter-<i>.jsonl (+ lineage), a metrics row per optimizer step (step = global step
// of the stage) and one row of kind "iteration" per iteration (step = global step at its end; iteration 0 is the
// input model), checkpoints/<stage>/step-<i> = M_i with trainer state {iteration, global step}, the final model in
// checkpoints/<stage>/final, plots/<stage>-accuracy-by-digits.svg.
// Resume is per iteration: the newest step-<i> checkpoint is M_i, rows after its global step are rewound, and
// iteration i + 1 runs as it would have (problems, samples and batches are functions of (seed, iteration)).
// An iteration that keeps no example cannot fine-tune: the stage ends there with the model it has.
import { loadCheckpoint, saveCheckpoint } from "../model/checkpoint.js";
import type { ParamStore } from "../model/params.js";
import { writeDataset } from "../run/dataset.js";
import { Diagnostics } from "../run/diagnostics.js";
import type { MetricsRow, RunDir } from "../run/run-dir.js";
import type { StageContext, StageResult } from "../run/stage.js";
import { Generator } from "../sampling/generate.js";
import { getTask, parseTaskOptions, type AnyTask } from "../tasks/registry.js";
import type { Example } from "../tasks/types.js";
import { getTemplate } from "../templates/registry.js";
import { Trainer } from "../train/trainer.js";
import { writeFileAtomicSync } from "../util/atomic.js";
import { lineChartSvg } from "../util/plot.js";
import { progressBar } from "../util/progress.js";
import { hashString } from "../util/rng.js";
import { additionDigitsBucket, evaluatePolicy, type PolicyEvaluation } from "./evaluate.js";
import { modelSource, type ModelInput, type PolicyModel } from "./model-input.js";
import { runSftSorted } from "./length-sorted-sft.js";
import { encodeSft } from "./sft.js";
import { completedStage, runModelStage } from "./stage-frame.js";
import { checkStarContext, starIterationData, starSeeds } from "./star-iteration.js";
import { parseStarOptions, starSteps, STAR_EVAL_SEED_OFFSET, type StarOptions, type StarOptionsInput } from "./star-options.js";
import { drawProblems } from "./task-problems.js";

export const STAR_STAGE_KIND = "star";
const STATE_KEY = "star";

/** What a STaR iteration checkpoint records in trainer_state (checked on resume). */
interface StarState {
  iteration: number;
  global_step: number;
  seed: number;
  /** the options, minus `iterations` (which a resumed run may raise) */
  options: string;
}

const fingerprint = (o: StarOptions): string => JSON.stringify({ ...o, iterations: undefined });

/** The held-out problems: eval_problems per group, from the eval seed, distinct across groups. */
export function starEvalSet(task: AnyTask, o: StarOptions, seed: number): { examples: Example[]; group: Map<string, number> } {
  const evalSeed = o.eval_seed ?? seed + STAR_EVAL_SEED_OFFSET;
  const groups = o.eval_task_options ?? [o.task_options];
  const examples: Example[] = [];
  const group = new Map<string, number>();
  const seen = new Set<string>();
  groups.forEach((opts, g) => {
    for (const ex of drawProblems(task, { seed: evalSeed, offset: g * o.eval_problems, count: o.eval_problems, taskOptions: opts, exclude: seen })) {
      seen.add(ex.question);
      group.set(ex.id, g + 1);
      examples.push(ex);
    }
  });
  return { examples, group };
}

/** Bucket of a held-out problem: digit count for addition, else its eval group (or "all"). */
function bucketFor(task: AnyTask, group: Map<string, number>, groups: number): (ex: Example) => string {
  if (task.name === "addition") return additionDigitsBucket;
  return groups > 1 ? (ex) => String(group.get(ex.id) ?? 0) : () => "all";
}

/** The per-bucket accuracy plot: one line per bucket, x = iteration. */
export function writeStarPlot(run: RunDir, stage: string, byDigits: boolean): string | undefined {
  const rows = run.metrics(stage, "iteration");
  if (rows.length === 0) return undefined;
  const buckets = [...new Set(rows.flatMap((r) => Object.keys((r.accuracy_by_bucket as Record<string, number> | undefined) ?? {})))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const series = buckets.map((b) => ({
    name: byDigits ? `${b} digit${b === "1" ? "" : "s"}` : b,
    points: rows.map((r) => ({ x: r.iteration as number, y: (r.accuracy_by_bucket as Record<string, number>)[b] })).filter((p) => p.y !== undefined),
  }));
  series.push({ name: "all", points: rows.map((r) => ({ x: r.iteration as number, y: r.accuracy as number })) });
  const file = run.plotPath(`${stage}-accuracy-by-${byDigits ? "digits" : "bucket"}`);
  writeFileAtomicSync(file, lineChartSvg(series, { title: `${stage}: held-out greedy accuracy per iteration`, xLabel: "STaR iteration", yLabel: "accuracy", yRange: [0, 1] }));
  return file;
}

function iterationRow(stage: string, step: number, iteration: number, ev: PolicyEvaluation, extra: Record<string, number>): MetricsRow {
  const byBucket: Record<string, number> = {};
  for (const [b, acc] of Object.entries(ev.byBucket)) byBucket[b] = acc.greedy;
  const row: MetricsRow = { stage, step, kind: "iteration", iteration, accuracy: ev.greedyAccuracy, accuracy_by_bucket: byBucket, ...extra };
  if (ev.majAccuracy !== undefined) row.maj_accuracy = ev.majAccuracy;
  if (ev.passAtK !== undefined) row.pass_at_k = ev.passAtK;
  return row;
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const bucketLine = (ev: PolicyEvaluation): string => Object.entries(ev.byBucket).map(([b, a]) => `${b}: ${pct(a.greedy)}`).join("  ");

/**
 * Runs (or resumes, with ctx.resume) a STaR stage from `model` (not modified). Returns the last iteration's model
 * (checkpoint) and dataset, with the per-iteration accuracies in the summary.
 */
export async function runStar(ctx: StageContext, model: ModelInput, opts: StarOptionsInput = {}): Promise<StageResult> {
  const o = parseStarOptions(opts);
  const task = getTask(o.task);
  parseTaskOptions(o.task, o.task_options);
  (o.eval_task_options ?? []).forEach((t, g) => {
    try {
      parseTaskOptions(o.task, t);
    } catch (e) {
      throw new Error(`star options: field eval_task_options.${g}: ${(e as Error).message}`);
    }
  });
  if (o.rationalization && !task.rationalization) throw new Error(`star options: field rationalization: task ${task.name} has no rationalization (hint prompt); set rationalization: false`);
  const template = o.template === null ? undefined : getTemplate(o.template);
  return completedStage(ctx, "checkpoint") ?? runModelStage(ctx, STAR_STAGE_KIND, model, (input) => starLoop(ctx, o, task, template, input));
}

async function starLoop(ctx: StageContext, o: StarOptions, task: AnyTask, template: ReturnType<typeof getTemplate> | undefined, input: PolicyModel): Promise<StageResult> {
  const { run, stage, seed } = ctx;
  const { config, tokenizer } = input;
  const problemSeed = o.problem_seed ?? seed;
  const heldOut = starEvalSet(task, o, seed);
  const heldOutQuestions = new Set(heldOut.examples.map((e) => e.question));
  const groups = (o.eval_task_options ?? [o.task_options]).length;
  const bucket = bucketFor(task, heldOut.group, groups);
  const evaluate = (gen: Generator) => evaluatePolicy(gen, task, heldOut.examples, {
    template, maxTokens: o.max_completion_length, k: o.eval_k, temperature: o.eval_temperature, seed: hashString(`${seed}:star:eval`), bucket, maxBatch: o.max_batch,
  });
  const frozen = (params: ParamStore) => Generator.create({ config, params, tokenizer, threads: ctx.threads, frozen: true });

  let current: ParamStore = input.params;
  let currentSource = modelSource(input);
  let globalStep = 0;
  let start = 1;
  if (ctx.resume) {
    const latest = run.latestCheckpoint(stage);
    if (latest) {
      const ck = await loadCheckpoint(latest.dir);
      const saved = ck.trainerState?.data?.[STATE_KEY] as StarState | undefined;
      if (!saved) throw new Error(`${latest.dir}: trainer_state has no STaR state to resume from`);
      if (saved.seed !== seed) throw new Error(`${latest.dir}: trainer_state has seed ${saved.seed}, the stage now has ${seed} (resume needs the same settings)`);
      if (saved.options !== fingerprint(o)) throw new Error(`${latest.dir}: the STaR options differ from the checkpoint's (only iterations may change on resume)`);
      current = ck.params;
      currentSource = run.relative(latest.dir);
      globalStep = saved.global_step;
      start = saved.iteration + 1;
      ctx.say(`${stage}: resuming after iteration ${saved.iteration} (global step ${globalStep})`);
    }
    run.rewind(stage, globalStep);
  }
  const byDigits = task.name === "addition";
  let gen = await frozen(current);
  checkStarContext(gen, heldOut.examples.map((e) => task.prompt(e, template)), o.max_completion_length, "held-out");
  // every remaining iteration's prompts, hinted ones included, must fit before iteration `start` trains
  for (let i = start; i <= o.iterations; i++) {
    const examples = drawProblems(task, { seed: problemSeed, offset: (i - 1) * o.problems_per_iteration, count: o.problems_per_iteration, taskOptions: o.task_options, exclude: heldOutQuestions });
    checkStarContext(gen, examples.map((e) => task.prompt(e, template)), o.max_completion_length, "");
    const rat = o.rationalization ? task.rationalization : undefined;
    if (rat) checkStarContext(gen, examples.map((e) => rat.prompt(e, template)), o.max_completion_length, "hinted (rationalization)");
  }
  if (start === 1 && o.eval_base && run.metrics(stage, "iteration").every((r) => r.iteration !== 0)) {
    const ev = await evaluate(gen);
    run.logMetrics(iterationRow(stage, 0, 0, ev, { train_examples: 0 }));
    ctx.say(`${stage} iteration 0 (input model): held-out greedy ${pct(ev.greedyAccuracy)} | ${bucketLine(ev)}`);
    writeStarPlot(run, stage, byDigits);
  }

  const diagnostics = new Diagnostics(ctx.say);
  let lastDataset: string | undefined;
  let trainedThisCall = 0;
  let stoppedEarly: string | undefined;
  for (let i = start; i <= o.iterations; i++) {
    const examples = drawProblems(task, { seed: problemSeed, offset: (i - 1) * o.problems_per_iteration, count: o.problems_per_iteration, taskOptions: o.task_options, exclude: heldOutQuestions });
    const data = await starIterationData(gen, task, examples, o, template, seed, i, o.log_samples);
    const file = run.datasetPath(stage, `iter-${i}`);
    writeDataset(file, data.rows, {
      stage, sourceCheckpoint: currentSource, seed, iteration: i, task: o.task, task_options: o.task_options, template: o.template,
      problem_seed: problemSeed, problem_offset: (i - 1) * o.problems_per_iteration, problems: examples.length,
      sampling: { temperature: o.temperature, top_p: o.top_p, samples_per_problem: o.samples_per_problem, max_completion_length: o.max_completion_length, max_per_problem: o.max_per_problem },
      rationalization: o.rationalization ? { p_rationalization: o.p_rationalization, samples: o.rationalization_samples, temperature: o.rationalization_temperature ?? o.temperature, hint_stripped: true } : null,
      kept_correct: data.keptCorrect, kept_rationalized: data.keptRationalized, held_out_excluded: heldOutQuestions.size,
    });
    lastDataset = file;
    if (data.rows.length === 0) {
      stoppedEarly = `iteration ${i} kept no rationale (0 of ${examples.length} problems solved${o.rationalization ? " or rationalized" : ""}): nothing to fine-tune on`;
      ctx.say(`${stage}: ${stoppedEarly}; stopping with the model of iteration ${i - 1}`);
      break;
    }
    const steps = starSteps(o, i, data.rows.length);
    const policy = o.continue ? current.clone() : input.params.clone();
    const trainer = await Trainer.create({
      config, params: policy, schedule: { type: "constant", lr: o.lr, warmupSteps: o.warmup_steps }, optimizer: { weightDecay: o.weight_decay },
      maxGradNorm: o.max_grad_norm, microBatchSize: o.micro_batch_size ?? undefined, padId: tokenizer.padId, threads: ctx.threads, objective: { entropy: false },
    });
    const seqs = data.rows.map((r, j) => encodeSft(tokenizer, r, config.max_position_embeddings, `${stage} iteration ${i} example ${j + 1}`));
    const bar = progressBar(steps, `${stage} iteration ${i}`, { enabled: ctx.progress });
    const base = globalStep;
    await runSftSorted({
      trainer, sequences: seqs, steps, batchSize: o.batch_size, seed: starSeeds(seed, i).data,
      onStep: (s) => {
        const row: MetricsRow = { stage, step: base + s.step, iteration: i, nll: s.nll, loss: s.nll, lr: s.lr, learning_rate: s.lr, grad_norm: s.gradNorm, num_tokens: s.tokens, step_time: s.ms / 1000 };
        diagnostics.observe(row);
        run.logMetrics(row);
        bar.update(s.step, { info: `nll ${s.nll.toFixed(4)}` });
      },
    });
    bar.stop();
    globalStep += steps;
    trainedThisCall += steps;
    current = policy;
    gen = await frozen(current);
    const ev = await evaluate(gen);
    run.logMetrics(iterationRow(stage, globalStep, i, ev, {
      train_examples: data.rows.length, kept_correct: data.keptCorrect, kept_rationalized: data.keptRationalized, problems: data.problems,
      solved: data.solved, hinted: data.hinted, rationalized: data.rationalized, train_steps: steps,
      "completions/clipped_ratio": data.truncated / (data.problems * o.samples_per_problem),
    }));
    run.logSamples(data.samples.map((s) => ({ stage, step: globalStep, ...s })));
    const dir = run.checkpointDir(stage, i);
    const state: StarState = { iteration: i, global_step: globalStep, seed, options: fingerprint(o) };
    await saveCheckpoint(dir, { config, params: current, tokenizer, trainerState: { step: globalStep, m: trainer.optimizer.m, v: trainer.optimizer.v, data: { [STATE_KEY]: state } } });
    run.pruneCheckpoints(stage);
    run.stageProgress(stage, globalStep, { dataset: run.relative(file) });
    currentSource = run.relative(dir);
    writeStarPlot(run, stage, byDigits);
    ctx.say(`${stage} iteration ${i}: trained ${steps} steps on ${data.rows.length} (${data.keptCorrect} correct + ${data.keptRationalized} rationalized of ${data.problems}) | held-out greedy ${pct(ev.greedyAccuracy)} | ${bucketLine(ev)}`);
    if (ctx.stopAfterSteps !== undefined && trainedThisCall >= ctx.stopAfterSteps && i < o.iterations) {
      return { summary: summarize(run, stage), stopped: true };
    }
  }
  const final = run.checkpointDir(stage, "final");
  await saveCheckpoint(final, { config, params: current, tokenizer });
  const summary = { ...summarize(run, stage), ...(stoppedEarly ? { stopped_early: stoppedEarly } : {}) };
  run.finishStage(stage, { checkpoint: run.relative(final), ...(lastDataset ? { dataset: run.relative(lastDataset) } : {}) }, summary);
  return { checkpoint: final, dataset: lastDataset, summary };
}

/** Headline numbers: the last iteration's accuracy and the per-iteration history. */
function summarize(run: RunDir, stage: string): Record<string, unknown> {
  const rows = run.metrics(stage, "iteration");
  const last = rows.at(-1);
  return {
    iterations: rows.filter((r) => (r.iteration as number) > 0).length,
    accuracy: last?.accuracy ?? null,
    accuracy_by_bucket: last?.accuracy_by_bucket ?? null,
    history: rows.map((r) => ({ iteration: r.iteration, accuracy: r.accuracy, accuracy_by_bucket: r.accuracy_by_bucket, train_examples: r.train_examples })),
  };
}
