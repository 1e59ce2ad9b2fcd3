// The k most likely next tokens of a logits row with their log-probabilities (temperature 1, as the model
// assigns them), for the `logprobs` / `top_logprobs` response fields.

export interface TokenLogprob {
  id: number;
  logprob: number;
}

/** Log of the softmax normalizer of `row` (max + log Σ exp(x − max)). */
export function logSumExp(row: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  return max + Math.log(sum);
}

/** The `k` largest entries of `row`, most likely first (ties: lower id first), as log-probabilities. */
export function topLogprobs(row: Float32Array, k: number): TokenLogprob[] {
  if (k <= 0) return [];
  const z = logSumExp(row);
  const best: number[] = []; // ids, sorted by descending logit
  for (let i = 0; i < row.length; i++) {
    if (best.length === k && row[i] <= row[best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && row[best[at - 1]] < row[i]) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best.map((id) => ({ id, logprob: row[id] - z }));
}
