// The one training objective every algorithm uses (PPO-clip surrogate with optional KL, as in GRPO/DAPO):
//   L_t = −min(ρ_t·A_t, clip(ρ_t, 1−ε_low, 1+ε_high)·A_t) + β·KL_t,   ρ_t = exp(logp_t − oldlogp_t)
//   loss = Σ_t w_t · L_t
// The caller chooses the per-token weights w (mask / normalizer: per-sequence mean, token mean over the batch,
// or a constant — docs/training.md "Loss aggregation"), the advantages A and the reference log-probs.
// SFT is A = 1, ρ = 1 (oldlogp = logp detached), β = 0: the gradient is exactly that of −Σ w·logp.
import {
  add, clip, exp, gatherElements, logSoftmax, minimum, mul, neg, reduceSum, squeeze, stopGradient, sub, unsqueeze,
  type Value,
} from "../engine/index.js";

/** KL estimators of KL(π_θ ‖ π_ref) per token (Schulman, "Approximating KL divergence", 2020). */
export type KlEstimator = "k1" | "k2" | "k3";

export interface ObjectiveOptions {
  /** clip range below 1 (PPO ε; TRL/verl default 0.2) */
  epsLow: number;
  /** clip range above 1 (DAPO clip-higher recommends 0.28) */
  epsHigh: number;
  /** KL coefficient β; 0 drops the KL term and the reference input */
  beta: number;
  kl: KlEstimator;
  /** "detached": ρ = exp(logp − stopgrad(logp)) = 1 (on-policy, one update per batch); "input": old log-probs fed in */
  oldLogp: "input" | "detached";
  /** also output the per-token entropy of the policy (no gradient) */
  entropy: boolean;
  /**
   * the policy is softmax(logits / temperature): the sampling temperature, so the samples are on-policy for the
   * objective (TRL and verl divide the logits by it in the loss, the reference and the entropy); 1 = plain logits
   */
  temperature: number;
}

export const DEFAULT_OBJECTIVE: ObjectiveOptions = { epsLow: 0.2, epsHigh: 0.2, beta: 0, kl: "k3", oldLogp: "detached", entropy: true, temperature: 1 };

export interface ObjectiveInputs {
  /** next-token targets [B, T] int64 */
  targets: Value;
  /** per-token weights w [B, T] (zero on padding, prompt and masked tokens) */
  weight: Value;
  /** per-token advantages [B, T] */
  advantages: Value;
  /** behaviour-policy log-probs [B, T], when options.oldLogp = "input" */
  oldLogp?: Value;
  /** reference-policy log-probs [B, T], when β > 0 */
  refLogp?: Value;
}

export interface ObjectiveOutputs {
  loss: Value;
  /** log π_θ(target_t) [B, T] */
  logp: Value;
  /** H(π_θ(·|context_t)) [B, T], when requested */
  entropy?: Value;
  /** per-token KL estimate [B, T], when β > 0 */
  kl?: Value;
}

/** Per-token KL estimate with log r = logp_ref − logp: k1 = −log r, k2 = ½(log r)², k3 = (r − 1) − log r. */
export function klEstimate(logp: Value, refLogp: Value, kind: KlEstimator): Value {
  const logRatio = sub(refLogp, logp);
  switch (kind) {
    case "k1": return neg(logRatio);
    case "k2": return mul(mul(logRatio, logRatio), 0.5);
    case "k3": return sub(sub(exp(logRatio), logRatio), 1);
  }
}

/** Builds the objective over logits [B, T, V]. */
export function policyObjective(logits: Value, x: ObjectiveInputs, o: ObjectiveOptions): ObjectiveOutputs {
  if (!(o.temperature > 0)) throw new Error(`policyObjective: temperature must be > 0, got ${o.temperature}`);
  // π_T(v) = softmax(logits / T)_v
  const logProbs = logSoftmax(o.temperature === 1 ? logits : mul(logits, 1 / o.temperature), -1);
  const logp = squeeze(gatherElements(logProbs, unsqueeze(x.targets, [2]), 2), [2]);
  let old: Value;
  if (o.oldLogp === "input") {
    if (!x.oldLogp) throw new Error("policyObjective: oldLogp = \"input\" needs an oldLogp input");
    old = x.oldLogp;
  } else {
    old = stopGradient(logp);
  }
  const ratio = exp(sub(logp, old));
  const surrogate = mul(ratio, x.advantages);
  const clipped = mul(clip(ratio, 1 - o.epsLow, 1 + o.epsHigh), x.advantages);
  let perToken = neg(minimum(surrogate, clipped));
  let kl: Value | undefined;
  if (o.beta > 0) {
    if (!x.refLogp) throw new Error("policyObjective: β > 0 needs a refLogp input");
    kl = klEstimate(logp, x.refLogp, o.kl);
    perToken = add(perToken, mul(kl, o.beta));
  }
  const loss = reduceSum(mul(perToken, x.weight), [0, 1], false);
  let entropy: Value | undefined;
  if (o.entropy) {
    // H = −Σ_v p_v log p_v, logged only
    const lp = stopGradient(logProbs);
    entropy = neg(reduceSum(mul(exp(lp), lp), [-1], false));
  }
  return { loss, logp, entropy, kl };
}
