// cov@k as s1 reports it: 1 if any of the FIRST k samples is correct (coverage of the first k, not the
// unbiased pass@k estimator over all k-subsets).

export function covAtK(correct: readonly boolean[], k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  if (k > correct.length) throw new Error(`k=${k} exceeds the number of samples n=${correct.length}`);
  for (let i = 0; i < k; i++) if (correct[i]) return 1;
  return 0;
}
