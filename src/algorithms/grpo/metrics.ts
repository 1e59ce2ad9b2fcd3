// One metrics row per GRPO step, named as TRL logs them (docs/runs.md, docs/training.md "GRPO"). Reward, accuracy,
// length and frac_reward_zero_std describe every completion generated in the step (with dynamic filtering, the
// dropped groups too); the update statistics (loss, grad_norm, entropy, kl, clip ratios) are means over the step's
// num_iterations optimizer updates, learning_rate is the last update's.
import type { MetricsRow } from "../../run/run-dir.js";
import { summarizeRewards } from "../../rewards/compose.js";
import type { StepStats } from "../../train/trainer.js";
import { groupAdvantages, type ScaleRewards } from "./advantages.js";
import type { ScoredCompletion } from "./scoring.js";
import type { ClipStats } from "./sequences.js";

/** Fields that measure wall-clock time (excluded when comparing runs). */
export const TIMING_METRICS: readonly string[] = ["step_time", "tokens_per_second"];

export interface StepRecord {
  stage: string;
  step: number;
  generated: readonly (readonly ScoredCompletion[])[];
  kept: number;
  batches: number;
  dynamicFiltering: boolean;
  scaleRewards: ScaleRewards;
  /** one per optimizer update (empty when the update was skipped) */
  updates: readonly StepStats[];
  clip: readonly ClipStats[];
  beta: number;
  /** prompt + completion tokens generated since the stage began (TRL num_input_tokens_seen) */
  numTokens: number;
  /** completion tokens generated this step */
  completionTokens: number;
  seconds: number;
}

const mean = (xs: readonly number[]): number => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** The step's row (see the top of the file). */
export function stepMetrics(r: StepRecord): MetricsRow {
  const all = r.generated.flat();
  const G = r.generated[0].length;
  const adv = groupAdvantages(all.map((c) => c.reward), G, r.scaleRewards);
  const parts = summarizeRewards(all.map((c) => ({ total: c.reward, parts: c.parts })));
  const lengths = all.map((c) => c.length);
  const terminated = all.filter((c) => !c.truncated).map((c) => c.length);
  const row: MetricsRow = {
    stage: r.stage, step: r.step, kind: "train",
    ...parts,
    reward: mean(all.map((c) => c.reward)),
    reward_std: adv.rewardStd,
    accuracy: mean(all.map((c) => (c.correct ? 1 : 0))),
    "completions/mean_length": mean(lengths),
    "completions/min_length": Math.min(...lengths),
    "completions/max_length": Math.max(...lengths),
    "completions/clipped_ratio": mean(all.map((c) => (c.truncated ? 1 : 0))),
    "completions/mean_terminated_length": mean(terminated),
    "completions/min_terminated_length": terminated.length > 0 ? Math.min(...terminated) : 0,
    "completions/max_terminated_length": terminated.length > 0 ? Math.max(...terminated) : 0,
    frac_reward_zero_std: mean(adv.zeroStd.map((z) => (z ? 1 : 0))),
  };
  if (r.updates.length > 0) {
    row.loss = mean(r.updates.map((u) => u.loss));
    row.grad_norm = mean(r.updates.map((u) => u.gradNorm));
    row.learning_rate = r.updates[r.updates.length - 1].lr;
    row.entropy = mean(r.updates.map((u) => u.entropy));
    if (r.beta > 0) row.kl = mean(r.updates.map((u) => u.kl ?? 0));
    row["clip_ratio/low_mean"] = mean(r.clip.map((c) => c.low));
    row["clip_ratio/high_mean"] = mean(r.clip.map((c) => c.high));
    row["clip_ratio/region_mean"] = mean(r.clip.map((c) => c.region));
  }
  if (r.dynamicFiltering) {
    row["dynamic_filtering/groups_generated"] = r.generated.length;
    row["dynamic_filtering/groups_kept"] = r.kept;
    row["dynamic_filtering/batches"] = r.batches;
  }
  row.num_tokens = r.numTokens;
  row.step_time = r.seconds;
  row.tokens_per_second = r.seconds > 0 ? r.completionTokens / r.seconds : 0;
  return row;
}
