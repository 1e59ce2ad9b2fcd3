// The test-time scaling curve: the same evaluation with budget forcing at several thinking budgets B (one
// evaluation directory each, out/budget-B/, each resumable), accuracy against mean thinking tokens, and the three
// numbers of s1 (Muennighoff et al. 2025, §3.2) over the set A of runs:
//   Control     = (1/|A|) Σ_a 1[a_min ≤ a ≤ a_max]: the fraction of samples whose thinking stays within their
//                 budget (a_min = min-tokens, else 0; a_max = B); `control_runs` counts runs by their mean instead
//   Scaling     = mean over pairs a < b of (f(b) − f(a)) / (b − a): the average slope of accuracy f (percentage
//                 points) against mean thinking tokens, reported per 1,000 thinking tokens (the paper does not
//                 print its unit); positive = more thinking helps
//   Performance = max_a f(a)
// Accuracy f is avg@n (pass@1 over the n samples).
import * as path from "node:path";
import { writeFileAtomic } from "../util/atomic.js";
import { lineChartSvg } from "../util/plot.js";
import type { BudgetForcingSpec } from "./budget-spec.js";
import { readResults, RESULTS_FILE } from "./records.js";
import { runEval, type EvalOptions } from "./run.js";
import type { EvalSummary } from "./summary.js";

export interface SweepPoint {
  budget: number;
  /** avg@n */
  accuracy: number;
  mean_thinking_tokens: number;
  /** fraction of samples with a_min ≤ thinking tokens ≤ B */
  control: number;
  forced_end_fraction: number;
  mean_extensions: number;
  metrics: Record<string, number>;
}

export interface ScalingNumbers {
  control: number;
  control_runs: number;
  /** mean pairwise slope, accuracy points per 1,000 thinking tokens (null with fewer than two distinct x) */
  scaling: number | null;
  performance: number;
}

export interface SweepResult {
  format: "ratio-sweep/1";
  budgets: number[];
  points: SweepPoint[];
  s1: ScalingNumbers;
  token_counting: string;
  settings: Record<string, unknown>;
}

/** s1's Control / Scaling / Performance over sweep points (see the header). */
export function scalingNumbers(points: readonly SweepPoint[], samplesPerPoint: readonly number[], aMin = 0): ScalingNumbers {
  if (points.length === 0) throw new Error("a sweep needs at least one budget");
  const totalSamples = samplesPerPoint.reduce((a, b) => a + b, 0);
  const control = points.reduce((a, p, i) => a + p.control * samplesPerPoint[i], 0) / totalSamples;
  const controlRuns = points.filter((p) => p.mean_thinking_tokens >= aMin && p.mean_thinking_tokens <= p.budget).length / points.length;
  let slopes = 0;
  let pairs = 0;
  for (const a of points) {
    for (const b of points) {
      if (b.mean_thinking_tokens <= a.mean_thinking_tokens) continue;
      slopes += (100 * (b.accuracy - a.accuracy)) / ((b.mean_thinking_tokens - a.mean_thinking_tokens) / 1000);
      pairs++;
    }
  }
  return { control, control_runs: controlRuns, scaling: pairs > 0 ? slopes / pairs : null, performance: Math.max(...points.map((p) => p.accuracy)) };
}

export function sweepTable(r: SweepResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    "| budget B | mean thinking tokens | accuracy (avg@n) | within budget | forced end | mean extensions |",
    "|---:|---:|---:|---:|---:|---:|",
    ...r.points.map((p) => `| ${p.budget} | ${p.mean_thinking_tokens.toFixed(1)} | ${pct(p.accuracy)} | ${pct(p.control)} | ${pct(p.forced_end_fraction)} | ${p.mean_extensions.toFixed(2)} |`),
    "",
    `Control ${pct(r.s1.control)} (runs: ${pct(r.s1.control_runs)}) · Scaling ${r.s1.scaling === null ? "n/a" : `${r.s1.scaling.toFixed(2)} points per 1k thinking tokens`} · Performance ${pct(r.s1.performance)}`,
  ];
  return lines.join("\n") + "\n";
}

export function sweepSvg(r: SweepResult): string {
  const pts = [...r.points].sort((a, b) => a.mean_thinking_tokens - b.mean_thinking_tokens).map((p) => ({ x: p.mean_thinking_tokens, y: p.accuracy }));
  return lineChartSvg([{ name: `budget forcing, B = ${r.budgets.join(", ")}`, points: pts }], {
    title: "Test-time scaling: accuracy vs thinking tokens", xLabel: "mean thinking tokens", yLabel: "accuracy (avg@n)", yRange: [0, 1],
  });
}

function pointOf(s: EvalSummary, budget: number, control: number): SweepPoint {
  return {
    budget, accuracy: s.metrics["avg@n"], mean_thinking_tokens: s.mean_thinking_tokens ?? NaN, control, forced_end_fraction: s.forced_end_fraction,
    mean_extensions: s.mean_extensions, metrics: s.metrics,
  };
}

/**
 * Runs one evaluation per budget (the spec's max replaced by each B) and writes sweep.json, sweep.md and
 * test-time-scaling.svg in `o.out`. `onBudget` is told which budget starts.
 */
export async function runSweep(o: EvalOptions & { budgets: readonly number[]; onBudget?: (budget: number, i: number) => void }): Promise<SweepResult> {
  if (o.budgets.length === 0) throw new Error("--sweep-budget needs at least one budget");
  for (const b of o.budgets) if (!Number.isInteger(b) || b < 1) throw new Error(`--sweep-budget: budgets must be integers ≥ 1, got ${b}`);
  const base: BudgetForcingSpec = o.budgetForcing ?? { min: 0, max: null, ext: "Wait", accounting: "truncate", preset: null, answer: null, minTokens: null };
  const points: SweepPoint[] = [];
  const samples: number[] = [];
  let summary: EvalSummary | undefined;
  const aMin = base.minTokens ?? 0;
  for (const [i, budget] of o.budgets.entries()) {
    o.onBudget?.(budget, i);
    const dir = path.join(o.out, `budget-${budget}`);
    summary = await runEval({ ...o, budgetForcing: { ...base, max: budget }, out: dir });
    const recs = (await readResults(path.join(dir, RESULTS_FILE), o.n)).records;
    const within = recs.filter((r) => r.thinking_tokens !== null && r.thinking_tokens >= aMin && r.thinking_tokens <= budget).length;
    points.push(pointOf(summary, budget, within / recs.length));
    samples.push(recs.length);
  }
  const result: SweepResult = {
    format: "ratio-sweep/1", budgets: [...o.budgets], points, s1: scalingNumbers(points, samples, aMin), token_counting: summary!.token_counting,
    settings: { ...summary!.settings, budget_forcing: base },
  };
  await writeFileAtomic(path.join(o.out, "sweep.json"), JSON.stringify(result, null, 2) + "\n");
  await writeFileAtomic(path.join(o.out, "sweep.md"), sweepTable(result));
  await writeFileAtomic(path.join(o.out, "test-time-scaling.svg"), sweepSvg(result));
  return result;
}
