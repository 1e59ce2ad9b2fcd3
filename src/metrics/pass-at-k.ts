// pass@k (Chen et al. 2021, Codex): the unbiased estimate of P(at least one of k samples is correct) from n ≥ k
// samples with c correct, 1 − C(n−c, k)/C(n, k), in the numerically stable product form used by
// huggingface/lighteval (metrics_sample.py PassAtK.pass_at_k) and EleutherAI/lm-evaluation-harness
// (tasks/cruxeval/utils.py _pass_at_k):
//   if n − c < k: 1.0   else: 1 − ∏_{i=n−c+1}^{n} (1 − k/i)
// avg@n (lighteval) is the mean of c/n, which is pass@1.

export function checkCounts(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new Error(`c must be an integer in [0, n=${n}], got ${c}`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  if (k > n) throw new Error(`k=${k} exceeds the number of samples n=${n}`);
}

export function passAtK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  if (n - c < k) return 1.0;
  let prod = 1.0;
  for (let i = n - c + 1; i <= n; i++) prod *= 1.0 - k / i;
  return 1.0 - prod;
}

/** avg@n of one problem: c / n. */
export function avgAtN(n: number, c: number): number {
  checkCounts(n, c, 1);
  return c / n;
}
