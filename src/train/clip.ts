// Global gradient-norm clipping, as torch.nn.utils.clip_grad_norm_ (norm_type 2):
//   ‖g‖ = √(Σ g²) over all parameters;  if ‖g‖ > max: g ← g · max / (‖g‖ + 1e-6)
const CLIP_EPS = 1e-6; // torch.nn.utils.clip_grad_norm_

/** L2 norm of a flat gradient array (accumulated in float64). */
export function globalNorm(grads: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < grads.length; i++) sum += grads[i] * grads[i];
  return Math.sqrt(sum);
}

/**
 * Scales `grads` in place so their global L2 norm is at most `maxNorm`; returns the norm before clipping
 * (non-finite norms are returned and the gradients left untouched, so the caller can skip the step).
 */
export function clipGradNorm(grads: Float32Array, maxNorm: number): number {
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = globalNorm(grads);
  if (!Number.isFinite(norm)) return norm;
  const coef = maxNorm / (norm + CLIP_EPS);
  if (coef < 1) for (let i = 0; i < grads.length; i++) grads[i] *= coef;
  return norm;
}

/** The factor clipGradNorm would scale by: min(1, maxNorm / (‖g‖ + 1e-6)) (1 when the norm is not finite). */
export function clipCoefficient(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0)) throw new Error(`clipCoefficient: maxNorm must be > 0, got ${maxNorm}`);
  if (!Number.isFinite(norm)) return 1;
  return Math.min(1, maxNorm / (norm + CLIP_EPS));
}
