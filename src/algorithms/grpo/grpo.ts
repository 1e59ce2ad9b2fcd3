// GRPO (Shao et al. 2024, DeepSeekMath §4; DeepSeek-R1) with the variants of TRL and verl. Each step:
//   1. B prompts, a pure function of (seed, stage, step) (problems.ts); G completions each from the LIVE policy
//   2. rewards r_i = Σ_k w_k R_k (scoring.ts); DAPO dynamic filtering resamples groups without signal
//   3. advantages A_i = (r_i − mean_g r) / (std + 1e-4) (advantages.ts; scale_rewards group | batch | none)
//   4. μ = num_iterations AdamW updates of the one objective (src/model/objective.ts), per completion token
//        L_t = −min(ρ_t A_i, clip(ρ_t, 1 − ε_low, 1 + ε_high) A_i) + β·KL_t(π_θ ‖ π_ref)
//      with ρ_t = π_θ / π_old (old log-probs from the train graph's scorer before the first update when μ > 1;
//      ρ ≡ 1 with a detached copy when μ = 1), π_ref the stage's input model (kept only when β > 0), and the
//      per-token weights of TRL's loss_type (grpo | bnpo | dr_grpo | dapo; src/train/aggregation.ts).
// Metrics per step use TRL's names; checkpoints every save_every steps resume to exactly the same metrics.
import type { LlamaConfig } from "../../model/config.js";
import { loadCheckpoint, saveCheckpoint } from "../../model/checkpoint.js";
import type { ParamStore } from "../../model/params.js";
import type { Tokenizer } from "../../model/tokenizer.js";
import { buildRewardSpecs } from "../../rewards/registry.js";
import { Diagnostics, DivergedError, discardBrokenCheckpoints } from "../../run/diagnostics.js";
import { summaryLine, writeStagePlots } from "../../run/plots.js";
import type { MetricsRow, SampleRow } from "../../run/run-dir.js";
import type { StageContext, StageResult } from "../../run/stage.js";
import { Generator } from "../../sampling/generate.js";
import { getTask, parseTaskOptions } from "../../tasks/registry.js";
import { getTemplate } from "../../templates/registry.js";
import type { Template } from "../../templates/types.js";
import { aggregationFor } from "../../train/aggregation.js";
import { tokenLogprobs } from "../../train/score.js";
import type { LrScheduleInput } from "../../train/schedule.js";
import { Trainer, type StepStats } from "../../train/trainer.js";
import { ETA_FORMAT, progressBar } from "../../util/progress.js";
import { hashString } from "../../util/rng.js";
import type { ModelInput } from "../model-input.js";
import { checkCompletionFits, rollout } from "../rollout.js";
import { completedStage, runModelStage } from "../stage-frame.js";
import { groupAdvantages } from "./advantages.js";
import { collectGroups } from "./dynamic-filtering.js";
import { stepMetrics } from "./metrics.js";
import { parseGrpoOptions, settingsHash, type GrpoOptions, type GrpoOptionsInput } from "./options.js";
import { ProblemSource } from "./problems.js";
import { completionScorer, toGroups, type ScoredCompletion } from "./scoring.js";
import { grpoSequences, trainedTokens, withLogprobs, type ClipStats } from "./sequences.js";
import { checkResumable, paramsHash, readGrpoState, saveGrpoCheckpoint, type GrpoState } from "./state.js";

export { grpoOptionsSchema, parseGrpoOptions, type GrpoOptions, type GrpoOptionsInput } from "./options.js";
export { ADVANTAGE_EPS, groupAdvantages, type GroupAdvantages, type ScaleRewards } from "./advantages.js";

/** The model a GRPO stage starts from (and, with β > 0, stays close to): in memory or a checkpoint directory. */
export type GrpoModel = ModelInput;

/** The stage kind recorded in the run manifest. */
export const GRPO_STAGE_KIND = "grpo";

/** Steps averaged for the `*_last10` summary numbers. */
const SUMMARY_WINDOW = 10;

const NO_CLIP: ClipStats = { low: 0, high: 0, region: 0 };

/** The sampling seed of batch `batch` of step `step`: every sample's RNG stream is keyed by it. */
export function samplingSeed(seed: number, stage: string, step: number, batch: number): number {
  return hashString(`${seed}:${stage}:grpo-sample:${step}:${batch}`);
}

function scheduleOf(o: GrpoOptions): LrScheduleInput {
  const totalSteps = o.steps * o.num_iterations;
  switch (o.lr_scheduler_type) {
    case "constant": return { type: "constant", lr: o.learning_rate, warmupSteps: o.warmup_steps };
    case "linear": return { type: "linear", lr: o.learning_rate, warmupSteps: o.warmup_steps, totalSteps, minLr: o.min_lr };
    case "cosine": return { type: "warmup-cosine", lr: o.learning_rate, warmupSteps: o.warmup_steps, totalSteps, minLr: o.min_lr };
  }
}

/** Headline numbers of a stage from its metrics rows: the last step's and the mean of the last 10. */
function summarize(rows: readonly MetricsRow[]): Record<string, unknown> {
  const train = rows.filter((r) => (r.kind ?? "train") === "train");
  const last = train.at(-1);
  if (!last) return { steps: 0 };
  const tail = train.slice(-SUMMARY_WINDOW);
  const avg = (k: string) => tail.reduce((a, r) => a + (typeof r[k] === "number" ? (r[k] as number) : 0), 0) / tail.length;
  return {
    steps: last.step, reward: last.reward, accuracy: last.accuracy, mean_length: last["completions/mean_length"],
    reward_last10: avg("reward"), accuracy_last10: avg("accuracy"),
  };
}

/**
 * Runs (or resumes, with ctx.resume) a GRPO stage: metrics and samples to the run directory, checkpoints under
 * checkpoints/<stage>/, the trained model in checkpoints/<stage>/final. `opts` is validated (parseGrpoOptions);
 * the input model is not modified.
 */
export async function runGrpo(ctx: StageContext, model: GrpoModel, opts: GrpoOptionsInput = {}): Promise<StageResult> {
  const o = parseGrpoOptions(opts);
  const task = getTask(o.task);
  if (!o.dataset) parseTaskOptions(o.task, o.task_options);
  const template = o.template === null ? undefined : getTemplate(o.template);
  if (o.open_think && !template?.thinkStart) throw new Error(`grpo options: field open_think: template ${o.template ?? "null"} has no thinking-start delimiter`);
  const specs = buildRewardSpecs(o.rewards);
  return completedStage(ctx, "checkpoint") ?? runModelStage(ctx, GRPO_STAGE_KIND, model, (input) => trainStage(ctx, o, input, template, specs));
}

async function trainStage(
  ctx: StageContext,
  o: GrpoOptions,
  input: { config: LlamaConfig; params: ParamStore; tokenizer: Tokenizer },
  template: Template | undefined,
  specs: ReturnType<typeof buildRewardSpecs>,
): Promise<StageResult> {
  const { run, stage, seed } = ctx;
  const { config, tokenizer } = input;
  const task = getTask(o.task);
  const G = o.num_generations;
  const mu = o.num_iterations;
  const policy = input.params.clone();
  const reference = o.beta > 0 ? input.params : undefined;
  const trainer = await Trainer.create({
    config, params: policy,
    objective: { epsLow: o.epsilon_low, epsHigh: o.epsilon_high, beta: o.beta, kl: o.kl_estimator, oldLogp: mu > 1 ? "input" : "detached", entropy: true, temperature: o.temperature },
    optimizer: { beta1: o.adam_beta1, beta2: o.adam_beta2, weightDecay: o.weight_decay },
    schedule: scheduleOf(o),
    maxGradNorm: o.max_grad_norm,
    microBatchSize: o.micro_batch_size ?? undefined,
    ...aggregationFor(o.loss_type, { maxCompletionLength: o.max_completion_length }),
    padId: tokenizer.padId,
    threads: ctx.threads,
  });
  const gen = await Generator.create({ config, params: policy, tokenizer, threads: ctx.threads });
  const source = await ProblemSource.create(o, task, template, seed, stage);
  const score = completionScorer({
    specs, tokenizer, template, openThink: o.open_think, maxCompletionLength: o.max_completion_length, truncatedReward: o.truncated_reward,
  });
  const identity = { settings: settingsHash(o), seed, input: paramsHash(input.params), reference: reference !== undefined };

  // resume: the newest complete checkpoint of this stage, or a clean start
  let start = 0;
  let numTokens = 0;
  const latest = ctx.resume ? run.latestCheckpoint(stage) : undefined;
  if (latest) {
    const ck = await loadCheckpoint(latest.dir);
    const saved = readGrpoState(ck.trainerState, latest.dir);
    checkResumable(saved, identity, latest.dir);
    const ts = ck.trainerState!;
    if (!ts.m || !ts.v) throw new Error(`${latest.dir}: trainer_state has no optimizer moments`);
    policy.flat.set(ck.params.flat);
    trainer.optimizer.loadState({ step: ts.step, m: ts.m, v: ts.v });
    start = saved.step;
    numTokens = saved.numTokens;
    ctx.say(`${stage}: resuming after step ${start} from ${run.relative(latest.dir)}`);
  } else if (!ctx.resume) {
    run.pruneCheckpoints(stage, 0); // a fresh start supersedes checkpoints of an earlier attempt
  }
  run.rewind(stage, start);

  const state = (step: number): GrpoState => ({ step, ...identity, numTokens });
  const saveStep = async (step: number): Promise<string> => {
    const dir = run.checkpointDir(stage, step);
    await saveGrpoCheckpoint(dir, { config, params: policy, tokenizer }, trainer, state(step));
    run.pruneCheckpoints(stage);
    run.stageProgress(stage, step);
    return dir;
  };

  const diagnostics = new Diagnostics(ctx.say, o.max_completion_length, o.mask_truncated_completions);
  const bar = progressBar(o.steps, stage, { enabled: ctx.progress, format: ETA_FORMAT, start });
  let done = 0;
  try {
    for (let step = start + 1; step <= o.steps; step++) {
      const t0 = performance.now();
      const groups = await collectGroups(
        async (batch) => {
          const problems = source.batch(step, batch);
          checkCompletionFits(gen, problems.map((p) => p.prompt), o.max_completion_length, `grpo stage "${stage}"`, `step ${step}`);
          const rolls = await rollout(gen, task, problems.map((p) => p.example), {
            n: G, temperature: o.temperature, topP: o.top_p, topK: o.top_k, maxTokens: o.max_completion_length,
            seed: samplingSeed(seed, stage, step, batch), stop: template?.stop, maxBatch: o.max_batch,
          }, problems.map((p) => p.prompt));
          return toGroups(score(rolls, problems), G);
        },
        (c) => c.reward,
        { batchSize: o.batch_size, dynamic: o.dynamic_filtering, maxBatches: source.batchesPerStep },
      );

      const kept = groups.kept.flat();
      const updates: StepStats[] = [];
      const clips: ClipStats[] = [];
      const advantageOf = new Map<ScoredCompletion, number>();
      if (kept.length > 0) {
        const adv = groupAdvantages(kept.map((c) => c.reward), G, o.scale_rewards).advantages;
        kept.forEach((c, i) => advantageOf.set(c, adv[i]));
        let seqs = grpoSequences(kept.map((c) => ({ promptIds: c.rollout.promptIds, tokenIds: c.rollout.tokenIds, truncated: c.truncated })), adv, o.mask_truncated_completions);
        if (trainedTokens(seqs) > 0) {
          const old = mu > 1 ? (await trainer.logprobs(seqs)).logp : undefined;
          const ref = reference
            ? (await tokenLogprobs(seqs, { config, params: reference, microBatchSize: o.micro_batch_size ?? undefined, padId: tokenizer.padId, threads: ctx.threads, temperature: o.temperature })).logp
            : undefined;
          seqs = withLogprobs(seqs, old, ref);
          for (let k = 0; k < mu; k++) {
            // μ = 1: ρ ≡ 1, nothing clips; μ > 1: the ratio this update sees (the train graph's own forward pass)
            const s = await trainer.train(seqs);
            clips.push(mu === 1 ? NO_CLIP : { low: s.clipLow, high: s.clipHigh, region: s.clipFraction });
            updates.push(s);
          }
        }
      }

      const all = groups.generated.flat();
      const completionTokens = all.reduce((a, c) => a + c.length, 0);
      numTokens += completionTokens + all.reduce((a, c) => a + c.rollout.promptIds.length, 0);
      const row = stepMetrics({
        stage, step, generated: groups.generated, kept: groups.kept.length, batches: groups.batches, dynamicFiltering: o.dynamic_filtering,
        scaleRewards: o.scale_rewards, updates, clip: clips, beta: o.beta, numTokens, completionTokens, seconds: (performance.now() - t0) / 1000,
      });
      diagnostics.observe(row);
      run.logMetrics(row);
      run.logSamples(sampleRows(stage, step, groups.generated, advantageOf, o.log_samples));
      bar.update(step, { info: summaryLine(row) });
      done++;

      const stopping = ctx.stopAfterSteps !== undefined && done >= ctx.stopAfterSteps && step < o.steps;
      if (stopping || (o.save_every > 0 && step % o.save_every === 0)) {
        const dir = await saveStep(step);
        if (stopping) return { checkpoint: dir, summary: summarize(run.metrics(stage)), stopped: true };
      }
    }
  } catch (e) {
    if (e instanceof DivergedError) discardBrokenCheckpoints(run, stage, e);
    throw e;
  } finally {
    bar.stop();
  }

  const finalDir = run.checkpointDir(stage, "final");
  await saveCheckpoint(finalDir, { config, params: policy, tokenizer });
  run.stageProgress(stage, o.steps);
  const summary = summarize(run.metrics(stage));
  run.finishStage(stage, { checkpoint: run.relative(finalDir) }, summary);
  writeStagePlots(run, stage);
  return { checkpoint: finalDir, summary };
}

/** `count` completions of the step for samples.jsonl: completion i % G of group i, its rewards and advantage. */
function sampleRows(stage: string, step: number, groups: readonly ScoredCompletion[][], advantageOf: ReadonlyMap<ScoredCompletion, number>, count: number): SampleRow[] {
  const rows: SampleRow[] = [];
  for (let i = 0; i < Math.min(count, groups.length); i++) {
    const c = groups[i][i % groups[i].length];
    rows.push({
      stage, step, prompt: c.rollout.prompt, completion: c.rollout.completion, reward: c.reward, rewards: c.parts,
      advantage: advantageOf.get(c) ?? null, trained: advantageOf.has(c), correct: c.correct, truncated: c.truncated, length: c.length,
    });
  }
  return rows;
}
