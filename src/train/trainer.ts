// One optimizer step of the shared objective: micro-batches through the train graph (forward + loss + backward in
// one onnxruntime call each), gradients summed in JS, global-norm clipping, AdamW with the LR schedule.
// Deterministic: same parameters, data and thread count → the same bits.
import { compile, type CompiledGraph, type NDArray } from "../engine/index.js";
import type { LlamaConfig } from "../model/config.js";
import { DEFAULT_OBJECTIVE, type ObjectiveOptions } from "../model/objective.js";
import type { ParamStore } from "../model/params.js";
import { AdamW, type AdamWOptions } from "./adamw.js";
import { checkAggregation, type Aggregation } from "./aggregation.js";
import { makeMicroBatches, type MicroBatch, type TrainSequence } from "./batch.js";
import { clipCoefficient, globalNorm } from "./clip.js";
import { buildTrainGraph, GRAD_PREFIX, paramFeeds, positionFeeds } from "./graph.js";
import { tokenLogprobs } from "./score.js";
import { checkSequences } from "./validate.js";
import { lrAt, parseLrSchedule, type LrSchedule, type LrScheduleInput } from "./schedule.js";

export interface TrainerOptions {
  config: LlamaConfig;
  params: ParamStore;
  objective?: Partial<ObjectiveOptions>;
  optimizer?: AdamWOptions;
  /** learning-rate schedule (validated; e.g. { type: "warmup-cosine", lr: 3e-3, warmupSteps: 20, totalSteps: 500 }) */
  schedule: LrScheduleInput;
  /** global grad-norm clip; 0 or Infinity disables (default 1.0, as TRL/verl) */
  maxGradNorm?: number;
  microBatchSize?: number;
  /** how per-token losses are normalized (default "token-mean"); see aggregation.ts and aggregationFor */
  aggregation?: Aggregation;
  /** required by "seq-mean-token-sum-norm" (Dr. GRPO), rejected otherwise: its normalizer is B · maxCompletionLength */
  maxCompletionLength?: number;
  padId?: number;
  threads?: number;
}

export interface StepStats {
  /** optimizer updates applied so far (after this one) */
  step: number;
  /**
   * the objective's value Σ w·L. With on-policy ratios (oldLogp "detached", ρ = 1) the policy term is just −Σ w·A:
   * for SFT a constant (−1 with token-mean), for group-normalized GRPO near 0. It is not a progress signal
   * (the "loss is 0" confusion of TRL#2703); watch `nll`, rewards, `kl` and `clipFraction` instead.
   */
  loss: number;
  lr: number;
  /** global grad norm before clipping */
  gradNorm: number;
  sequences: number;
  /** trained (masked-in) tokens */
  tokens: number;
  /** mean over trained tokens */
  entropy: number;
  /** mean negative log-likelihood of trained tokens */
  nll: number;
  /** mean KL estimate over trained tokens (β > 0) */
  kl?: number;
  /** fraction of trained tokens whose ratio was clipped (ρ outside [1−ε_low, 1+ε_high] on the side that binds) */
  clipFraction: number;
  /** of those, the fraction clipped below (A < 0, ρ < 1 − ε_low; TRL clip_ratio/low) */
  clipLow: number;
  /** … and above (A > 0, ρ > 1 + ε_high; TRL clip_ratio/high) */
  clipHigh: number;
  ms: number;
}

/** dst[off + k] += src[k]. */
function addInto(dst: Float32Array, off: number, src: Float32Array): void {
  for (let k = 0; k < src.length; k++) dst[off + k] += src[k];
}

export class Trainer {
  readonly objective: ObjectiveOptions;
  readonly optimizer: AdamW;
  readonly grads: Float32Array;
  readonly schedule: LrSchedule;

  private constructor(readonly opts: TrainerOptions, private readonly graph: CompiledGraph, objective: ObjectiveOptions) {
    this.objective = objective;
    this.optimizer = new AdamW(opts.params, opts.optimizer);
    this.grads = new Float32Array(opts.params.count);
    this.schedule = parseLrSchedule(opts.schedule, "schedule");
  }

  static async create(opts: TrainerOptions): Promise<Trainer> {
    const objective = { ...DEFAULT_OBJECTIVE, ...opts.objective };
    checkAggregation({ aggregation: opts.aggregation ?? "token-mean", maxCompletionLength: opts.maxCompletionLength });
    const graph = await compile(buildTrainGraph(opts.config, objective), { threads: opts.threads });
    return new Trainer(opts, graph, objective);
  }

  get step(): number {
    return this.optimizer.step;
  }

  /** Validated micro-batches of one step: ids in the vocabulary, lengths within the context, ≥ 1 trained token. */
  private batches(seqs: readonly TrainSequence[], needOld: boolean, needRef: boolean): MicroBatch[] {
    checkSequences(seqs, this.opts.config, this.opts.padId);
    const mbs = makeMicroBatches(seqs, {
      microBatchSize: this.opts.microBatchSize ?? seqs.length,
      aggregation: this.opts.aggregation ?? "token-mean",
      maxCompletionLength: this.opts.maxCompletionLength,
      padId: this.opts.padId,
      needOld, needRef,
    });
    if (mbs.every((mb) => mb.mask.every((m) => m === 0))) {
      throw new Error(`no trained tokens in the step's ${seqs.length} sequence${seqs.length === 1 ? "" : "s"}: every mask entry is 0 (or start ≥ length)`);
    }
    return mbs;
  }

  /** Computes gradients over all sequences (summed over micro-batches) without updating; returns loss and stats. */
  async accumulate(seqs: readonly TrainSequence[]): Promise<Omit<StepStats, "step" | "lr" | "gradNorm" | "ms">> {
    const o = this.objective;
    const mbs = this.batches(seqs, o.oldLogp === "input", o.beta > 0);
    const params = paramFeeds(this.opts.config, this.opts.params.views);
    const names = this.opts.params.names;
    let loss = 0, tokens = 0, entropy = 0, nll = 0, kl = 0, clippedLow = 0, clippedHigh = 0;
    for (const mb of mbs) {
      const feeds: Record<string, NDArray> = {
        ...params, ...positionFeeds(this.opts.config, mb.length),
        input_ids: mb.inputIds, targets: mb.targets, weight: mb.weight, advantages: mb.advantages,
      };
      if (mb.oldLogp) feeds.old_logp = mb.oldLogp;
      if (mb.refLogp) feeds.ref_logp = mb.refLogp;
      const out = await this.graph.run(feeds);
      loss += (out.loss.data as Float32Array)[0];
      for (let i = 0; i < names.length; i++) {
        const g = out[GRAD_PREFIX + names[i]].data as Float32Array;
        const off = this.opts.params.offsets[names[i]];
        if (mb === mbs[0]) this.grads.set(g, off); // the first micro-batch initializes the sum
        else addInto(this.grads, off, g);
      }
      const logp = out.logp.data as Float32Array;
      const ent = out.entropy?.data as Float32Array | undefined;
      const klv = out.kl?.data as Float32Array | undefined;
      const adv = mb.advantages.data as Float32Array;
      const old = mb.oldLogp?.data as Float32Array | undefined;
      for (let k = 0; k < mb.mask.length; k++) {
        if (!mb.mask[k]) continue;
        tokens++;
        nll -= logp[k];
        if (ent) entropy += ent[k];
        if (klv) kl += klv[k];
        if (old) {
          const ratio = Math.exp(logp[k] - old[k]);
          if (adv[k] > 0 && ratio > 1 + o.epsHigh) clippedHigh++;
          else if (adv[k] < 0 && ratio < 1 - o.epsLow) clippedLow++;
        }
      }
    }
    const per = (x: number) => (tokens > 0 ? x / tokens : 0);
    return {
      loss, sequences: seqs.length, tokens, entropy: per(entropy), nll: per(nll),
      kl: o.beta > 0 ? per(kl) : undefined, clipFraction: per(clippedLow + clippedHigh), clipLow: per(clippedLow), clipHigh: per(clippedHigh),
    };
  }

  /** One optimizer step over `seqs` (gradient accumulation over micro-batches, clipping, AdamW). */
  async train(seqs: readonly TrainSequence[]): Promise<StepStats> {
    const t0 = performance.now();
    const stats = await this.accumulate(seqs);
    const maxNorm = this.opts.maxGradNorm ?? 1.0;
    const gradNorm = globalNorm(this.grads);
    if (!Number.isFinite(gradNorm)) {
      throw new Error(`training step ${this.step + 1}: the gradient norm is ${gradNorm} (loss ${stats.loss}): the parameters or activations overflowed, so this update was not applied and training stopped. Usual cause: a learning rate far too high (${lrAt(this.schedule, this.optimizer.step)}); fix: lower it and keep gradient clipping (max_grad_norm) on`);
    }
    const lr = lrAt(this.schedule, this.optimizer.step);
    // clip_grad_norm_ folded into the update: g ← g · min(1, max / (‖g‖ + 1e-6))
    this.optimizer.update(this.grads, lr, clipCoefficient(gradNorm, maxNorm > 0 ? maxNorm : Infinity));
    return { ...stats, step: this.optimizer.step, lr, gradNorm, ms: performance.now() - t0 };
  }

  /** Per-token log-probs and entropies of sequences under the current parameters, at the objective's temperature. */
  logprobs(seqs: readonly TrainSequence[]): Promise<{ logp: Float32Array[]; entropy: Float32Array[] }> {
    return tokenLogprobs(seqs, { config: this.opts.config, params: this.opts.params, microBatchSize: this.opts.microBatchSize, padId: this.opts.padId, threads: this.opts.threads, temperature: this.objective.temperature });
  }
}
