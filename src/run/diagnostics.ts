// Training diagnostics, printed once each with cause and fix (the "loss is 0" confusion of TRL#2703/#3452, truncation
// that zeroes rewards, KL blow-ups, collapse, dynamic filtering that ran out of batches). Non-finite metrics, and a
// gradient that vanished while the loss did not (overflowed activations), stop the run: the caller keeps its last
// good checkpoint. Metric names are the TRL-style ones of docs/runs.md.
import { rmSync } from "node:fs";
import type { MetricsRow, RunDir } from "./run-dir.js";

export type DiagnosticKind = "zero-std-groups" | "filtering-exhausted" | "truncated" | "length-near-max" | "kl-spike" | "accuracy-collapse";

export interface Diagnostic {
  kind: DiagnosticKind;
  stage: string;
  step: number;
  message: string;
}

/** Thrown when a step produced NaN or ±Infinity: stop, keep the last good checkpoint. */
export class NonFiniteError extends Error {
  override name = "NonFiniteError";
  constructor(readonly stage: string, readonly step: number, readonly metric: string, readonly value: number) {
    super(`stage "${stage}" step ${step}: ${metric} is ${value}; stopped (the last good checkpoint is kept — lower the learning rate or raise max_grad_norm clipping)`);
  }
}

/**
 * Thrown when a step's gradient is exactly 0 while its loss is not: the activations overflowed (RMSNorm of an
 * infinite hidden state is 0), so the model's outputs no longer depend on its input and no later step can change
 * that. The update before `step` broke the model, so checkpoints from step `step − 1` on hold the broken model.
 */
export class DivergedError extends Error {
  override name = "DivergedError";
  /** the first step whose checkpoint holds the broken model */
  readonly brokenFrom: number;
  constructor(readonly stage: string, readonly step: number, readonly loss: number, learningRate?: number) {
    const lr = learningRate === undefined ? "" : ` (learning_rate is ${learningRate})`;
    const when = step > 1 ? `after the update of step ${step - 1}` : "in the input model";
    super(`stage "${stage}" step ${step}: grad_norm is 0 while the loss is ${loss.toPrecision(4)}: the activations overflowed ${when}, so the model's outputs no longer depend on its input and training cannot recover; stopped. Usual cause: a learning rate far too high${lr}; fix: run the stage again with a lower one`);
    this.brokenFrom = Math.max(1, step - 1);
  }
}

/**
 * After a DivergedError: removes the stage's step checkpoints that hold the broken model, so that the newest one
 * left (the resume point) is the last good one, and records that step in the manifest.
 */
export function discardBrokenCheckpoints(run: RunDir, stage: string, e: DivergedError): void {
  const broken = run.checkpointSteps(stage).filter((s) => s >= e.brokenFrom);
  for (const s of broken) rmSync(run.checkpointDir(stage, s), { recursive: true, force: true });
  run.stageProgress(stage, run.latestCheckpoint(stage)?.step ?? 0);
  if (broken.length > 0) e.message += ` (removed the checkpoints ${broken.map((s) => `step-${s}`).join(", ")}, which held the broken model)`;
}

/** Thresholds (fractions) at which a diagnostic fires. */
export const DIAGNOSTIC_LIMITS = {
  /** fraction of groups with identical rewards at which the step has (almost) no signal */
  zeroStdGroups: 1,
  /** fraction of completions cut at max_completion_length */
  truncated: 0.5,
  /** mean completion length / max completion length */
  lengthNearMax: 0.9,
  /** KL above this multiple of its running median (and above KL_SPIKE_FLOOR) */
  klSpikeFactor: 10,
  klSpikeFloor: 0.05,
  /** accuracy below this fraction of the best seen so far (after the best reached ACCURACY_FLOOR) */
  accuracyCollapse: 0.5,
  accuracyFloor: 0.2,
} as const;

const num = (row: MetricsRow, k: string): number | undefined => {
  const v = row[k];
  return typeof v === "number" ? v : undefined;
};

export class Diagnostics {
  private readonly fired = new Set<DiagnosticKind>();
  private readonly kls: number[] = [];
  private bestAccuracy = 0;
  readonly seen: Diagnostic[] = [];

  /**
   * `say` prints a diagnostic (stderr in the CLI); `maxCompletionLength` enables the length checks;
   * `maskTruncated` (GRPO's mask_truncated_completions) changes what the truncation warning advises.
   */
  constructor(private readonly say: (message: string) => void, private readonly maxCompletionLength?: number, private readonly maskTruncated = false) {}

  /** Checks one metrics row: throws NonFiniteError on NaN/Inf, prints each other diagnostic the first time. */
  observe(row: MetricsRow): void {
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === "number" && !Number.isFinite(v)) throw new NonFiniteError(row.stage, row.step, k, v);
    }
    const loss = num(row, "loss");
    if (loss !== undefined && loss !== 0 && num(row, "grad_norm") === 0) throw new DivergedError(row.stage, row.step, loss, num(row, "learning_rate"));
    const kept = num(row, "dynamic_filtering/groups_kept");
    const generated = num(row, "dynamic_filtering/groups_generated");
    const batches = num(row, "dynamic_filtering/batches");
    const filtering = kept !== undefined && generated !== undefined && batches !== undefined && batches > 0;
    if (filtering && kept < generated / batches) {
      const want = generated / batches;
      this.fire(row, "filtering-exhausted", `dynamic filtering stopped at its limit of ${batches} batches (max_resample_batches ${batches - 1}) with ${kept} of the ${want} groups a step trains on: the other ${generated - kept} of ${generated} groups had identical rewards${kept === 0 ? ", so the step made no update" : ", so the step trained on fewer groups"}. Fix: a larger max_resample_batches, more samples per group (num_generations), a higher temperature, easier or mixed-difficulty prompts, or a denser reward.`);
    }
    const zeroStd = num(row, "frac_reward_zero_std");
    if (!filtering && zeroStd !== undefined && zeroStd >= DIAGNOSTIC_LIMITS.zeroStdGroups) {
      this.fire(row, "zero-std-groups", `every group has identical rewards (frac_reward_zero_std = 1), so every advantage is 0 and the policy loss is 0: nothing is learned this step. Fix: more samples per group (num_generations), a higher temperature, easier or mixed-difficulty prompts, a denser reward, or dynamic_filtering.`);
    }
    const clipped = num(row, "completions/clipped_ratio");
    if (clipped !== undefined && clipped > DIAGNOSTIC_LIMITS.truncated) {
      const fix = this.maskTruncated
        ? "they are masked (mask_truncated_completions), so they teach nothing and a step of only cut completions makes no update. Fix: raise max_completion_length, or add an overlong penalty instead of masking."
        : "usually reward 0. Fix: raise max_completion_length, add an overlong penalty, or mask truncated completions (mask_truncated_completions).";
      this.fire(row, "truncated", `${Math.round(clipped * 100)}% of completions hit max_completion_length and were cut: ${fix}`);
    }
    const mean = num(row, "completions/mean_length");
    // the same cause as "truncated" when that fired: one warning is enough
    if (mean !== undefined && this.maxCompletionLength && !this.fired.has("truncated") && mean > DIAGNOSTIC_LIMITS.lengthNearMax * this.maxCompletionLength) {
      this.fire(row, "length-near-max", `mean completion length ${mean.toFixed(0)} is near max_completion_length ${this.maxCompletionLength}: answers are being cut. Fix: raise max_completion_length or add a length penalty (cosine, overlong).`);
    }
    const kl = num(row, "kl");
    if (kl !== undefined) {
      const sorted = [...this.kls].sort((a, b) => a - b);
      const median = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)] : undefined;
      if (median !== undefined && sorted.length >= 3 && kl > DIAGNOSTIC_LIMITS.klSpikeFloor && kl > DIAGNOSTIC_LIMITS.klSpikeFactor * Math.max(median, 1e-6)) {
        this.fire(row, "kl-spike", `KL to the reference jumped to ${kl.toPrecision(3)} (running median ${median.toPrecision(3)}): the policy is moving fast. Fix: lower the learning rate, raise beta, or tighten the clip range.`);
      }
      this.kls.push(kl);
    }
    const acc = num(row, "accuracy");
    if (acc !== undefined) {
      if (this.bestAccuracy >= DIAGNOSTIC_LIMITS.accuracyFloor && acc < DIAGNOSTIC_LIMITS.accuracyCollapse * this.bestAccuracy) {
        this.fire(row, "accuracy-collapse", `accuracy fell to ${(acc * 100).toFixed(0)}% from a best of ${(this.bestAccuracy * 100).toFixed(0)}%: the policy may be collapsing. Fix: lower the learning rate, add a KL penalty (beta), or resume from an earlier checkpoint.`);
      }
      this.bestAccuracy = Math.max(this.bestAccuracy, acc);
    }
  }

  private fire(row: MetricsRow, kind: DiagnosticKind, message: string): void {
    if (this.fired.has(kind)) return;
    this.fired.add(kind);
    const d = { kind, stage: row.stage, step: row.step, message };
    this.seen.push(d);
    this.say(`warning [${row.stage} step ${row.step}]: ${message}`);
  }
}
