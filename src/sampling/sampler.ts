// Choosing the next token from one row of logits: greedy, temperature, top-k, top-p (nucleus; Holtzman et al.
// 2020: the smallest set of most likely tokens whose probability mass reaches p). Pure functions over a logits row.
import type { Rng } from "../util/rng.js";

export interface SamplingParams {
  /** 0 = greedy (argmax, ties → lowest id) */
  temperature: number;
  /** nucleus mass in (0, 1]; 1 disables */
  topP: number;
  /** keep the k most likely tokens; 0 disables */
  topK: number;
}

export const DEFAULT_SAMPLING: SamplingParams = { temperature: 1, topP: 1, topK: 0 };

export function validateSampling(p: SamplingParams): void {
  if (!(p.temperature >= 0) || !Number.isFinite(p.temperature)) throw new Error(`temperature must be a number ≥ 0, got ${p.temperature}`);
  if (!(p.topP > 0 && p.topP <= 1)) throw new Error(`top-p must be in (0, 1], got ${p.topP}`);
  if (!Number.isInteger(p.topK) || p.topK < 0) throw new Error(`top-k must be an integer ≥ 0, got ${p.topK}`);
}

/** log softmax of `row` at `index` (the model's own log-probability, temperature 1, no truncation). */
export function logProbAt(row: Float32Array, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  return row[index] - max - Math.log(sum);
}

export function argmax(row: Float32Array, banned?: ReadonlySet<number>): number {
  let best = -1;
  let bestV = -Infinity;
  for (let i = 0; i < row.length; i++) {
    if (banned?.has(i)) continue;
    if (row[i] > bestV || best < 0) { best = i; bestV = row[i]; }
  }
  return best;
}

/** Plain temperature sampling without allocations: the same draw as the general path when nothing is truncated. */
function sampleFull(row: Float32Array, invT: number, rng: Rng): number {
  const V = row.length;
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (row[i] > max) max = row[i];
  let total = 0;
  for (let i = 0; i < V; i++) total += Math.exp((row[i] - max) * invT);
  let u = rng.uniform() * total;
  for (let i = 0; i < V; i++) {
    u -= Math.exp((row[i] - max) * invT);
    if (u < 0) return i;
  }
  return V - 1;
}

/**
 * Samples a token id. `banned` ids get probability 0 (e.g. suppressing the end-of-thinking token while budget
 * forcing). Deterministic given the RNG state; ties in ordering resolved by id.
 */
export function sampleToken(row: Float32Array, p: SamplingParams, rng: Rng, banned?: ReadonlySet<number>): number {
  if (p.temperature === 0) return argmax(row, banned);
  const V = row.length;
  const invT = 1 / p.temperature;
  if (!banned && (p.topK === 0 || p.topK >= V) && p.topP >= 1) return sampleFull(row, invT, rng);
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (!banned?.has(i) && row[i] > max) max = row[i];
  // candidate ids with unnormalized probabilities exp((l − max)/T)
  let ids: number[] = [];
  const w = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    if (banned?.has(i)) continue;
    w[i] = Math.exp((row[i] - max) * invT);
    ids.push(i);
  }
  const truncate = (p.topK > 0 && p.topK < ids.length) || p.topP < 1;
  if (truncate) {
    ids.sort((a, b) => w[b] - w[a] || a - b);
    if (p.topK > 0 && p.topK < ids.length) ids = ids.slice(0, p.topK);
    if (p.topP < 1) {
      let total = 0;
      for (const i of ids) total += w[i];
      let cum = 0;
      let keep = 0;
      while (keep < ids.length) {
        cum += w[ids[keep]];
        keep++;
        if (cum >= p.topP * total) break;
      }
      ids = ids.slice(0, keep);
    }
  }
  let total = 0;
  for (const i of ids) total += w[i];
  let u = rng.uniform() * total;
  for (const i of ids) {
    u -= w[i];
    if (u < 0) return i;
  }
  return ids[ids.length - 1];
}
