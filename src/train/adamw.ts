// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"),
// with torch.optim.AdamW's update order and bias correction (amsgrad off):
//   t ← t + 1
//   p ← p − lr·λ·p                                  (decay-flagged tensors only: no decay on norms, biases)
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
// One tight loop per contiguous decay segment of the flat parameter array; arithmetic in float64, stored float32.
import { ParamStore, zerosLike, type DecaySegment } from "../model/params.js";

/** torch.optim.AdamW defaults. */
export const ADAMW_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 } as const;

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export interface AdamWHyper {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/**
 * One AdamW update in place over flat arrays. `t` is the step number after increment (1 for the first update);
 * `segments` give the ranges of `p` and their decay flag.
 */
export function adamwUpdate(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  segments: readonly DecaySegment[],
  t: number,
  lr: number,
  hp: AdamWHyper,
  gradScale = 1,
): void {
  const { beta1: b1, beta2: b2, eps } = hp;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const stepSize = lr / (1 - b1 ** t);
  const bc2Sqrt = Math.sqrt(1 - b2 ** t);
  for (const seg of segments) {
    const keep = seg.decay ? 1 - lr * hp.weightDecay : 1;
    for (let i = seg.start; i < seg.end; i++) {
      const gi = g[i] * gradScale;
      const mi = b1 * m[i] + c1 * gi;
      const vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i] * keep - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  }
}

export interface AdamWState {
  step: number;
  m: ParamStore;
  v: ParamStore;
}

/** AdamW over a ParamStore; gradients are a Float32Array (or store) with the same flat layout. */
export class AdamW {
  readonly hyper: AdamWHyper;
  readonly m: ParamStore;
  readonly v: ParamStore;
  /** Updates applied so far. */
  step = 0;
  private readonly segments: DecaySegment[];

  constructor(
    readonly params: ParamStore,
    opts: AdamWOptions = {},
  ) {
    this.hyper = { ...ADAMW_DEFAULTS, ...opts };
    const { beta1, beta2, eps, weightDecay } = this.hyper;
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new Error(`AdamW: betas must be in [0, 1), got (${beta1}, ${beta2})`);
    if (!(eps >= 0) || !(weightDecay >= 0)) throw new Error(`AdamW: eps and weightDecay must be ≥ 0, got ${eps}, ${weightDecay}`);
    this.m = zerosLike(params);
    this.v = zerosLike(params);
    this.segments = params.decaySegments();
  }

  /** Applies one update with learning rate `lr`. */
  /** `gradScale` multiplies the gradients first (global-norm clipping folded into the update, saving a pass). */
  update(grads: Float32Array | ParamStore, lr: number, gradScale = 1): void {
    const g = grads instanceof ParamStore ? grads.flat : grads;
    if (g.length !== this.params.count) throw new Error(`AdamW: gradient has ${g.length} elements, parameters ${this.params.count}`);
    if (!Number.isFinite(lr) || lr < 0) throw new Error(`AdamW: learning rate must be a finite number ≥ 0, got ${lr}`);
    this.step += 1;
    adamwUpdate(this.params.flat, g, this.m.flat, this.v.flat, this.segments, this.step, lr, this.hyper, gradScale);
  }

  /** The live state (moments are the optimizer's own stores; copy them if you keep them past the next update). */
  state(): AdamWState {
    return { step: this.step, m: this.m, v: this.v };
  }

  /** Restores a saved state (copied in). */
  loadState(state: AdamWState): void {
    if (state.m.count !== this.params.count || state.v.count !== this.params.count) {
      throw new Error(`AdamW.loadState: moments have ${state.m.count}/${state.v.count} elements, parameters ${this.params.count}`);
    }
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`AdamW.loadState: step must be an integer ≥ 0, got ${state.step}`);
    this.m.flat.set(state.m.flat);
    this.v.flat.set(state.v.flat);
    this.step = state.step;
  }
}
