// Self-consistency (Wang et al. 2023): sample n answers and return the most voted one, votes grouped into classes by
// the task's equivalence (equivalence.ts). Each vote weighs 1, or with weighting "mean-logprob" its sample's
// geometric-mean token probability
//   w = exp( (1/T) Σ_t log π(y_t) )    ∈ (0, 1]
// (a confidence-weighted vote; samples without log-probabilities then weigh 1). The class with the largest total
// wins; ties go to the class voted first; samples without an answer never vote.
import { groupAnswers, type Equivalence } from "../metrics/voting.js";

export type VoteWeighting = "count" | "mean-logprob";

export interface Vote {
  answer: string | null;
  /** log-probabilities of the sample's tokens */
  logprobs?: readonly number[] | null;
  correct?: boolean;
}

export interface VoteResult {
  /** the winning class's first answer; null when no sample has one */
  answer: string | null;
  /** index of the winning class's first sample; −1 when none */
  sample: number;
  /** correctness of that sample, when given */
  correct: boolean | null;
  /** every class: representative, sample indices, total weight */
  classes: { answer: string; members: number[]; weight: number }[];
}

/** Geometric-mean token probability exp(mean log π); 1 without log-probabilities. */
export function meanLogprobWeight(logprobs: readonly number[] | null | undefined): number {
  if (!logprobs || logprobs.length === 0) return 1;
  const finite = logprobs.filter(Number.isFinite);
  if (finite.length === 0) return 1;
  return Math.exp(finite.reduce((a, b) => a + b, 0) / finite.length);
}

export function selfConsistency(votes: readonly Vote[], opts: { equivalence?: Equivalence; weighting?: VoteWeighting } = {}): VoteResult {
  if (votes.length === 0) throw new Error("self-consistency needs at least one sample");
  const groups = groupAnswers(votes.map((v) => v.answer), opts.equivalence);
  const weight = (i: number) => (opts.weighting === "mean-logprob" ? meanLogprobWeight(votes[i].logprobs) : 1);
  const classes = groups.classes.map((c) => ({ answer: c.representative, members: c.members, weight: c.members.reduce((a, i) => a + weight(i), 0) }));
  // ties → the class voted first (classes are in order of first vote)
  let best = -1;
  classes.forEach((c, i) => { if (best < 0 || c.weight > classes[best].weight) best = i; });
  if (best < 0) return { answer: null, sample: -1, correct: null, classes };
  const sample = classes[best].members[0];
  return { answer: classes[best].answer, sample, correct: votes[sample].correct ?? null, classes };
}
