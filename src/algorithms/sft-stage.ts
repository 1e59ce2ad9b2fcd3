// SFT as a stage of a run: runSft with a metrics row per step, step checkpoints (with the optimizer state) every
// save_every steps into checkpoints/<stage>/step-N, resume from the newest one, and the trained model at
// checkpoints/<stage>/final. A resumed stage continues bit-exactly: the batches are a function of (seed, step)
// and the optimizer moments come back from the checkpoint, so no completed step is lost or repeated.
import { z } from "zod";
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from "../model/checkpoint.js";
import { Diagnostics, DivergedError, discardBrokenCheckpoints } from "../run/diagnostics.js";
import type { MetricsRow } from "../run/run-dir.js";
import type { StageContext, StageResult } from "../run/stage.js";
import type { LrScheduleInput } from "../train/schedule.js";
import { Trainer } from "../train/trainer.js";
import { progressBar } from "../util/progress.js";
import { encodeSft, runSft, type SftExample } from "./sft.js";

const posInt = z.number().int().positive();
const nonNeg = z.number().nonnegative();

/** The options of an SFT stage, with the keys a pipeline file uses. */
export const sftStageOptionsSchema = z
  .strictObject({
    steps: posInt.optional().describe("optimizer steps (give steps or epochs)"),
    epochs: z.number().positive().optional().describe("passes over the data: steps = ceil(epochs · examples / batch_size)"),
    batch_size: posInt.default(32).describe("sequences per optimizer step"),
    micro_batch_size: posInt.optional().describe("sequences per forward/backward (gradient accumulation); default batch_size"),
    lr: z.number().positive().default(1e-3).describe("peak learning rate"),
    schedule: z.enum(["constant", "linear", "warmup-cosine"]).default("warmup-cosine").describe("learning-rate schedule"),
    warmup_steps: z.number().int().nonnegative().default(0).describe("linear warm-up steps"),
    min_lr: nonNeg.default(0).describe("final learning rate of the linear and cosine schedules"),
    weight_decay: nonNeg.default(0.01).describe("AdamW decoupled weight decay"),
    max_grad_norm: nonNeg.default(1).describe("global gradient-norm clip (0 = off)"),
    save_every: posInt.default(50).describe("checkpoint every n steps (and at the last step)"),
  })
  .superRefine((o, ctx) => {
    if ((o.steps === undefined) === (o.epochs === undefined)) ctx.addIssue({ code: "custom", path: ["steps"], message: "give exactly one of steps and epochs" });
    if (o.min_lr > o.lr) ctx.addIssue({ code: "custom", path: ["min_lr"], message: `min_lr ${o.min_lr} exceeds lr ${o.lr}` });
    if (o.micro_batch_size !== undefined && o.micro_batch_size > o.batch_size) {
      ctx.addIssue({ code: "custom", path: ["micro_batch_size"], message: `${o.micro_batch_size} exceeds batch_size ${o.batch_size} (a micro-batch is part of one optimizer step's batch)` });
    }
  });

export type SftStageOptions = z.output<typeof sftStageOptionsSchema>;

/** What a step checkpoint's trainer_state.data records, checked on resume. */
interface SftState {
  seed: number;
  steps: number;
  examples: number;
  batch_size: number;
  /** trained tokens up to and including the checkpoint's step */
  num_tokens: number;
  schedule: LrScheduleInput;
}

export function sftSteps(o: SftStageOptions, examples: number): number {
  return o.steps ?? Math.max(1, Math.ceil(((o.epochs ?? 1) * examples) / o.batch_size));
}

/**
 * Trains `model` (its params are updated in place) on `examples`. Resumes from the stage's newest step checkpoint
 * when ctx.resume; honours ctx.stopAfterSteps (returns `stopped` with a checkpoint at the stop).
 */
export async function runSftStage(ctx: StageContext, model: Checkpoint, examples: readonly SftExample[], opts: SftStageOptions): Promise<StageResult> {
  const o = sftStageOptionsSchema.parse(opts);
  const { run, stage } = ctx;
  if (examples.length === 0) throw new Error(`stage "${stage}": no training examples`);
  const steps = sftSteps(o, examples.length);
  const schedule: LrScheduleInput = o.schedule === "constant"
    ? { type: "constant", lr: o.lr, warmupSteps: o.warmup_steps }
    : { type: o.schedule, lr: o.lr, warmupSteps: o.warmup_steps, totalSteps: steps, minLr: o.min_lr };
  const tok = model.tokenizer;
  const seqs = examples.map((ex, i) => encodeSft(tok, ex, model.config.max_position_embeddings, `stage "${stage}": example ${i + 1}`));

  let params = model.params;
  let resumed: { step: number; m: Checkpoint["params"]; v: Checkpoint["params"]; numTokens: number } | undefined;
  if (ctx.resume) {
    const latest = run.latestCheckpoint(stage);
    if (latest) {
      const ck = await loadCheckpoint(latest.dir);
      const ts = ck.trainerState;
      if (!ts?.m || !ts.v) throw new Error(`${latest.dir}: no optimizer state to resume from`);
      const saved = ts.data as Partial<SftState> | undefined;
      for (const [key, want] of [["steps", steps], ["examples", examples.length], ["batch_size", o.batch_size], ["seed", ctx.seed]] as const) {
        if (saved?.[key] !== want) throw new Error(`${latest.dir}: trainer_state has ${key} ${String(saved?.[key])}, the stage now has ${want} (resume needs the same settings)`);
      }
      params = ck.params;
      resumed = { step: ts.step, m: ts.m, v: ts.v, numTokens: saved?.num_tokens ?? 0 };
    }
    run.rewind(stage, resumed?.step ?? 0);
  }

  const trainer = await Trainer.create({
    config: model.config, params, schedule, optimizer: { weightDecay: o.weight_decay }, maxGradNorm: o.max_grad_norm,
    microBatchSize: o.micro_batch_size, aggregation: "token-mean", padId: tok.padId, threads: ctx.threads, objective: { entropy: false },
  });
  if (resumed) trainer.optimizer.loadState({ step: resumed.step, m: resumed.m, v: resumed.v });
  const first = trainer.step;
  const until = ctx.stopAfterSteps === undefined ? steps : Math.min(steps, first + ctx.stopAfterSteps);
  let numTokens = resumed?.numTokens ?? 0;
  const state = (): SftState => ({ seed: ctx.seed, steps, examples: examples.length, batch_size: o.batch_size, num_tokens: numTokens, schedule });
  const diagnostics = new Diagnostics(ctx.say);
  const bar = progressBar(steps, stage, { enabled: ctx.progress, start: first });

  try {
    await runSft({
      trainer, sequences: seqs, steps: until, batchSize: o.batch_size, seed: ctx.seed,
      onStep: async (s) => {
        numTokens += s.tokens;
        const seconds = s.ms / 1000;
        const row: MetricsRow = {
          stage, step: s.step, loss: s.nll, learning_rate: s.lr, grad_norm: s.gradNorm, num_tokens: numTokens,
          epoch: (s.step * o.batch_size) / examples.length, tokens_per_second: seconds > 0 ? s.tokens / seconds : null, step_time: seconds,
        };
        diagnostics.observe(row);
        run.logMetrics(row);
        const info = `loss ${s.nll.toFixed(4)} | lr ${s.lr.toExponential(2)}`;
        bar.update(s.step, { info });
        if (s.step % o.save_every === 0 || s.step === until) {
          const dir = run.checkpointDir(stage, s.step);
          await saveCheckpoint(dir, { ...model, params, trainerState: { step: s.step, m: trainer.optimizer.m, v: trainer.optimizer.v, data: { ...state() } } });
          run.pruneCheckpoints(stage);
          run.stageProgress(stage, s.step);
          if (!ctx.progress) ctx.say(`${stage}: step ${s.step}/${steps} ${info}`);
        }
      },
    });
  } catch (e) {
    if (e instanceof DivergedError) discardBrokenCheckpoints(run, stage, e);
    throw e;
  } finally {
    bar.stop();
  }
  const rows = run.metrics(stage);
  const last = rows.at(-1);
  const summary = { steps: trainer.step, examples: examples.length, loss: typeof last?.loss === "number" ? last.loss : null, first_loss: typeof rows[0]?.loss === "number" ? rows[0].loss : null };
  if (trainer.step < steps) return { summary, stopped: true };
  const final = run.checkpointDir(stage, "final");
  await saveCheckpoint(final, { config: model.config, params, tokenizer: tok, generationConfig: model.generationConfig });
  return { checkpoint: final, summary };
}
