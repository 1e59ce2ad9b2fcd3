// L1 length-controlled prompts (Aggarwal & Welleck 2025, "L1"; cmu-l3/l1): the question followed by
// "Let's think step by step and output the final answer within \boxed{}. Think for N tokens." (Exact) or
// "… Think for maximum N tokens." (Max) — the l1-exact / l1-max templates — and the length error of the answers.
//   Exact: error = |n_y − N| (L1 reports the mean relative error |n_y − N| / N, ≈ 3% for L1-Exact)
//   Max:   violation = max(0, n_y − N); a response within budget has none
// n_y counts every response token, thinking included (L1's reward counts the whole response).
import { l1ExactTemplate, l1MaxTemplate } from "../templates/l1.js";

export type LengthMode = "exact" | "max";

/** The L1 prompt for a question and a token budget. */
export function lengthPrompt(question: string, budget: number, mode: LengthMode = "exact"): string {
  return (mode === "exact" ? l1ExactTemplate : l1MaxTemplate).render(question, { budget });
}

export interface LengthSample {
  /** N, the budget the prompt asked for */
  target: number;
  /** n_y, response tokens */
  tokens: number;
}

export interface LengthReport {
  mode: LengthMode;
  samples: number;
  /** mean |n_y − N| */
  meanAbsError: number;
  /** mean |n_y − N| / N */
  meanRelError: number;
  /** mean max(0, n_y − N) */
  meanOverrun: number;
  /** fraction of samples with n_y > N */
  overBudgetFraction: number;
}

export function lengthReport(samples: readonly LengthSample[], mode: LengthMode): LengthReport {
  if (samples.length === 0) throw new Error("length report: no samples");
  let abs = 0, rel = 0, over = 0, overCount = 0;
  samples.forEach((s, i) => {
    if (!Number.isInteger(s.target) || s.target < 1) throw new Error(`length report: sample ${i}: target must be a positive integer, got ${s.target}`);
    if (!Number.isInteger(s.tokens) || s.tokens < 0) throw new Error(`length report: sample ${i}: tokens must be an integer ≥ 0, got ${s.tokens}`);
    const e = Math.abs(s.tokens - s.target);
    abs += e;
    rel += e / s.target;
    over += Math.max(0, s.tokens - s.target);
    if (s.tokens > s.target) overCount++;
  });
  const m = samples.length;
  return { mode, samples: m, meanAbsError: abs / m, meanRelError: rel / m, meanOverrun: over / m, overBudgetFraction: overCount / m };
}
