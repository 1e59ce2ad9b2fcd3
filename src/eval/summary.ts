// summary.json of an evaluation: pass@k (unbiased), cov@k, maj@k over the first k and its unbiased expectation (votes
// grouped by the task's equivalence), avg@n, a vote weighted by mean log-probability when every sample has one, mean
// thinking / answer tokens, the truncated and forced-end fractions, timing, and which token counting was used.
import type { TokenCounting } from "../backends/types.js";
import { lengthReport, selfConsistency, taskEquivalence, type LengthMode, type LengthReport } from "../inference/index.js";
import { evaluateProblems } from "../metrics/evaluate.js";
import type { EvalRecord } from "./records.js";

export interface EvalTiming {
  /** wall time of this invocation */
  seconds: number;
  /** samples drawn by this invocation */
  samples: number;
  samples_per_second: number;
  /** generated tokens per second of this invocation (null when counts are unknown) */
  tokens_per_second: number | null;
  /** problems taken from an earlier, interrupted run */
  resumed_problems: number;
}

export interface EvalSummary {
  format: "ratio-eval-summary/1";
  settings: Record<string, unknown>;
  token_counting: TokenCounting;
  problems: number;
  samples: number;
  metrics: Record<string, number>;
  /** how answers were grouped into votes */
  vote_equivalence: string;
  mean_thinking_tokens: number | null;
  mean_answer_tokens: number | null;
  mean_tokens: number | null;
  /** samples whose completion hit max tokens (finish "length") */
  truncated_fraction: number;
  forced_end_fraction: number;
  mean_extensions: number;
  /** L1 prompts: the length error of the completions against the asked N (null when token counts are unknown) */
  length_error?: LengthReport | null;
  timing: EvalTiming;
}

const meanOf = (xs: readonly (number | null)[]): number | null => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
};

/** Records grouped by problem (first-seen order), samples by index within a problem. */
function byProblem(records: readonly EvalRecord[]): EvalRecord[][] {
  const groups = new Map<string, EvalRecord[]>();
  for (const r of records) {
    let g = groups.get(r.problem_id);
    if (!g) groups.set(r.problem_id, (g = []));
    g.push(r);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.sample_index - b.sample_index));
}

export function summarize(
  records: readonly EvalRecord[],
  o: { ks: readonly number[]; settings: Record<string, unknown>; tokenCounting: TokenCounting; timing: EvalTiming; length?: { target: number; mode: LengthMode } },
): EvalSummary {
  const groups = byProblem(records);
  const recs = groups.flat();
  const tasks = [...new Set(recs.map((r) => r.task))];
  const equivalence = tasks.length === 1 ? taskEquivalence(tasks[0]) : undefined;
  const ev = evaluateProblems(recs.map((r) => ({ id: r.problem_id, correct: r.correct, answer: r.extracted })), o.ks, { majMode: "both", equivalence });
  const metrics: Record<string, number> = { ...ev.summary };
  if (recs.every((r) => r.mean_logprob !== null)) {
    const wins = groups.map((g) => {
      const votes = g.map((rec) => ({ answer: rec.extracted, correct: rec.correct, logprobs: [rec.mean_logprob!] }));
      return selfConsistency(votes, { equivalence, weighting: "mean-logprob" }).correct === true ? 1 : 0;
    });
    metrics["weighted_maj@n"] = wins.reduce((a: number, b) => a + b, 0) / wins.length;
  }
  return {
    format: "ratio-eval-summary/1",
    settings: o.settings,
    token_counting: o.tokenCounting,
    problems: ev.problems.length,
    samples: recs.length,
    metrics,
    vote_equivalence: tasks.length !== 1 ? "exact strings (problems of several tasks)" : tasks[0] === "math" ? "math equivalence" : tasks[0] === "addition" ? "digits of the sum" : tasks[0] === "multiple-choice" ? "choice letter" : "exact strings",
    mean_thinking_tokens: meanOf(recs.map((r) => r.thinking_tokens)),
    mean_answer_tokens: meanOf(recs.map((r) => r.answer_tokens)),
    mean_tokens: meanOf(recs.map((r) => r.tokens)),
    truncated_fraction: recs.filter((r) => r.finish_reason === "length").length / recs.length,
    forced_end_fraction: recs.filter((r) => r.forced_end).length / recs.length,
    mean_extensions: recs.reduce((a, r) => a + r.extensions, 0) / recs.length,
    ...(o.length
      ? { length_error: recs.every((r) => r.tokens !== null) ? lengthReport(recs.map((r) => ({ target: o.length!.target, tokens: r.tokens! })), o.length.mode) : null }
      : {}),
    timing: o.timing,
  };
}

/** A few lines for the terminal. */
export function formatSummary(s: EvalSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const tok = (x: number | null) => (x === null ? "?" : x.toFixed(1));
  const lines = [`${s.problems} problems × ${s.samples / Math.max(1, s.problems)} samples (tokens counted by ${s.token_counting === "tokenizer" ? "the tokenizer" : "the server's usage numbers"})`];
  for (const [k, v] of Object.entries(s.metrics)) lines.push(`  ${k.padEnd(16)} ${pct(v)}`);
  lines.push(`  thinking tokens  ${tok(s.mean_thinking_tokens)} (mean)   answer tokens ${tok(s.mean_answer_tokens)} (mean)`);
  lines.push(`  truncated        ${pct(s.truncated_fraction)}   forced end ${pct(s.forced_end_fraction)}   extensions ${s.mean_extensions.toFixed(2)} (mean)`);
  if (s.length_error) lines.push(`  length error     ${s.length_error.meanAbsError.toFixed(1)} tokens (${pct(s.length_error.meanRelError)} relative), over budget ${pct(s.length_error.overBudgetFraction)}`);
  lines.push(`  time             ${s.timing.seconds.toFixed(1)} s for ${s.timing.samples} samples${s.timing.resumed_problems ? ` (${s.timing.resumed_problems} problems resumed)` : ""}`);
  return lines.join("\n") + "\n";
}
