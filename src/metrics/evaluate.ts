// Per-problem and summary metrics over sampled answers: pass@k, cov@k, maj@k (first k and/or unbiased), avg@n.
// Records are grouped by problem id in first-seen order; sample order within a problem is record order.
import { BinomialTable } from "./binomial.js";
import { covAtK } from "./cov-at-k.js";
import { classCorrectness, majAtKFirstFromGroups, majAtKUnbiasedFromGroups } from "./maj-at-k.js";
import { passAtK } from "./pass-at-k.js";
import { groupAnswers, pluralityWinner, type Equivalence } from "./voting.js";

export interface SampleRecord {
  id: string | number;
  correct: boolean;
  /** Extracted final answer; null or absent when none was found (never wins a vote). */
  answer?: string | null;
}

export type MajMode = "first" | "unbiased" | "both";

export interface EvaluateOptions {
  /** Default "both". */
  majMode?: MajMode;
  equivalence?: Equivalence;
}

export interface ProblemMetrics {
  id: string | number;
  n: number;
  c: number;
  /** pass@k by k. */
  pass_at: Record<string, number>;
  /** cov@k (first k) by k. */
  cov_at: Record<string, number>;
  /** maj@k over the first k samples, by k (when the mode includes "first"). */
  maj_at?: Record<string, number>;
  /** maj@k as the expectation over k-subsets, by k (when the mode includes "unbiased"). */
  maj_unbiased_at?: Record<string, number>;
  /** Plurality answer over all n samples (class representative), null when no sample has an answer. */
  majority_answer: string | null;
  majority_correct: boolean;
}

export interface Evaluation {
  /** Means over problems: "pass@k", "cov@k", "maj@k", "maj@k_unbiased", "avg@n". */
  summary: Record<string, number>;
  problems: ProblemMetrics[];
}

/** Groups records by id (first-seen order of ids, record order within a problem). */
export function groupByProblem(records: readonly SampleRecord[]): { id: string | number; samples: SampleRecord[] }[] {
  const groups = new Map<string, { id: string | number; samples: SampleRecord[] }>();
  for (const r of records) {
    const key = `${typeof r.id}:${r.id}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { id: r.id, samples: [] }));
    g.samples.push(r);
  }
  return [...groups.values()];
}

function checkKs(ks: readonly number[]): number[] {
  if (ks.length === 0) throw new Error("at least one k is needed");
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  return [...new Set(ks)].sort((a, b) => a - b);
}

export function evaluateProblem(id: string | number, samples: readonly SampleRecord[], ks: readonly number[], options: EvaluateOptions = {}, table = new BinomialTable()): ProblemMetrics {
  const mode = options.majMode ?? "both";
  const n = samples.length;
  const correct = samples.map((s) => s.correct);
  const c = correct.filter(Boolean).length;
  for (const k of ks) if (k > n) throw new Error(`problem ${JSON.stringify(id)} has n=${n} samples, fewer than k=${k}`);
  const groups = groupAnswers(samples.map((s) => s.answer ?? null), options.equivalence);
  const classCorrect = classCorrectness(groups, correct);
  const winner = pluralityWinner(groups.classOf, correct.keys());
  const out: ProblemMetrics = {
    id,
    n,
    c,
    pass_at: {},
    cov_at: {},
    majority_answer: winner >= 0 ? groups.classes[winner].representative : null,
    majority_correct: winner >= 0 && classCorrect[winner],
  };
  if (mode !== "unbiased") out.maj_at = {};
  if (mode !== "first") out.maj_unbiased_at = {};
  for (const k of ks) {
    out.pass_at[k] = passAtK(n, c, k);
    out.cov_at[k] = covAtK(correct, k);
    if (out.maj_at) out.maj_at[k] = majAtKFirstFromGroups(groups, classCorrect, k);
    if (out.maj_unbiased_at) out.maj_unbiased_at[k] = majAtKUnbiasedFromGroups(groups, classCorrect, k, table);
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Metrics per problem and their means over problems. */
export function evaluateProblems(records: readonly SampleRecord[], ks: readonly number[], options: EvaluateOptions = {}): Evaluation {
  if (records.length === 0) throw new Error("no records to evaluate");
  const sortedKs = checkKs(ks);
  const table = new BinomialTable();
  const problems = groupByProblem(records).map((g) => evaluateProblem(g.id, g.samples, sortedKs, options, table));
  const summary: Record<string, number> = {};
  for (const k of sortedKs) {
    summary[`pass@${k}`] = mean(problems.map((p) => p.pass_at[k]));
    summary[`cov@${k}`] = mean(problems.map((p) => p.cov_at[k]));
    if (problems[0].maj_at) summary[`maj@${k}`] = mean(problems.map((p) => p.maj_at![k]));
    if (problems[0].maj_unbiased_at) summary[`maj@${k}_unbiased`] = mean(problems.map((p) => p.maj_unbiased_at![k]));
  }
  summary["avg@n"] = mean(problems.map((p) => p.c / p.n));
  return { summary, problems };
}
