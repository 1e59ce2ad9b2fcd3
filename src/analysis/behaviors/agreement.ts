// Agreement between two labelings of the same traces (the rule-based detectors and the LLM judge), per behavior:
// presence agreement, Cohen's kappa on present/absent, Pearson and Spearman correlations of the counts, and the
// mean absolute count difference. The cognitive-behaviors project reports judge counts only; these say how far a
// cheap lexical baseline can stand in for the judge.
import { BEHAVIORS, type Behavior } from "./detect.js";

export interface BehaviorAgreement {
  behavior: Behavior;
  /** traces compared */
  n: number;
  /** traces where both say present / only a / only b / neither */
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  /** p_o = (both + neither) / n */
  presenceAgreement: number | null;
  /** κ = (p_o − p_e) / (1 − p_e), p_e = p_a·p_b + (1 − p_a)(1 − p_b); null when p_e = 1 (both constant and equal) */
  kappa: number | null;
  /** Pearson r of the counts; null when either side's counts are constant */
  pearson: number | null;
  /** Spearman ρ: Pearson r of the counts' ranks (ties share their mean rank); null when either side is constant */
  spearman: number | null;
  /** (1/n) Σ |a_i − b_i| */
  meanAbsDiff: number | null;
}

/**
 * Pearson r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² · Σ(y−ȳ)²); null for fewer than two points or a constant side.
 */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearson: ${n} vs ${y.length} values`);
  if (n < 2) return null;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Ranks 1..n in ascending order; tied values share the mean of the ranks they span. */
export function ranks(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = mean;
    i = j + 1;
  }
  return out;
}

/** Spearman ρ = Pearson r of the ranks (tie-corrected). */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  return pearson(ranks(x), ranks(y));
}

/**
 * Cohen's kappa of two binary labelings: κ = (p_o − p_e) / (1 − p_e), with p_o the observed agreement and
 * p_e = p_a·p_b + (1 − p_a)(1 − p_b) the agreement expected from each side's rate of "present" alone.
 */
export function cohenKappa(a: readonly boolean[], b: readonly boolean[]): number | null {
  const n = a.length;
  if (n !== b.length) throw new Error(`cohenKappa: ${n} vs ${b.length} labels`);
  if (n === 0) return null;
  let agree = 0, pa = 0, pb = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    if (a[i]) pa++;
    if (b[i]) pb++;
  }
  const po = agree / n;
  const pe = (pa / n) * (pb / n) + (1 - pa / n) * (1 - pb / n);
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

/** Agreement of two count labelings (a[i], b[i] of trace i), one row per behavior. */
export function behaviorAgreement(a: readonly Record<Behavior, number>[], b: readonly Record<Behavior, number>[]): BehaviorAgreement[] {
  if (a.length !== b.length) throw new Error(`behaviorAgreement: ${a.length} vs ${b.length} traces`);
  const n = a.length;
  return BEHAVIORS.map((behavior) => {
    const x = a.map((c) => c[behavior]), y = b.map((c) => c[behavior]);
    const px = x.map((v) => v > 0), py = y.map((v) => v > 0);
    let both = 0, onlyA = 0, onlyB = 0, neither = 0, absDiff = 0;
    for (let i = 0; i < n; i++) {
      if (px[i] && py[i]) both++;
      else if (px[i]) onlyA++;
      else if (py[i]) onlyB++;
      else neither++;
      absDiff += Math.abs(x[i] - y[i]);
    }
    return {
      behavior, n, both, onlyA, onlyB, neither,
      presenceAgreement: n === 0 ? null : (both + neither) / n,
      kappa: cohenKappa(px, py),
      pearson: pearson(x, y),
      spearman: spearman(x, y),
      meanAbsDiff: n === 0 ? null : absDiff / n,
    };
  });
}
