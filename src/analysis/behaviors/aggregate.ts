// Behavior statistics over many traces: per behavior the frequency (the fraction of traces showing it at least
// once) and the mean count, overall and per (stage, step) of a run — the quantities the cognitive-behaviors paper
// plots over RL training (Gandhi et al. 2025).
import { BEHAVIORS, emptyCounts, type Behavior } from "./detect.js";

export interface BehaviorStats {
  traces: number;
  /** fraction of traces with a count > 0 */
  frequency: Record<Behavior, number>;
  /** mean count per trace */
  meanCount: Record<Behavior, number>;
}

export interface StepStats<T> {
  stage: string;
  step: number;
  stats: T;
}

/** Frequency and mean count of each behavior over the given per-trace counts (zeros for no traces). */
export function behaviorStats(counts: readonly Record<Behavior, number>[]): BehaviorStats {
  const frequency = emptyCounts(), meanCount = emptyCounts();
  for (const c of counts) {
    for (const b of BEHAVIORS) {
      if (c[b] > 0) frequency[b]++;
      meanCount[b] += c[b];
    }
  }
  if (counts.length > 0) {
    for (const b of BEHAVIORS) {
      frequency[b] /= counts.length;
      meanCount[b] /= counts.length;
    }
  }
  return { traces: counts.length, frequency, meanCount };
}

/**
 * Groups items by (stage, step) — items without both are left out — and applies `stats` to each group; groups come
 * in the order their stage first appears, then by step.
 */
export function byStep<I extends { stage?: string; step?: number }, T>(items: readonly I[], stats: (group: I[]) => T): StepStats<T>[] {
  const stages: string[] = [];
  const groups = new Map<string, Map<number, I[]>>();
  for (const item of items) {
    if (item.stage === undefined || item.step === undefined) continue;
    let steps = groups.get(item.stage);
    if (!steps) {
      steps = new Map();
      groups.set(item.stage, steps);
      stages.push(item.stage);
    }
    const g = steps.get(item.step);
    if (g) g.push(item);
    else steps.set(item.step, [item]);
  }
  return stages.flatMap((stage) => [...groups.get(stage)!.entries()].sort((a, b) => a[0] - b[0]).map(([step, group]) => ({ stage, step, stats: stats(group) })));
}
