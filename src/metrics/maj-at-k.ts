// maj@k (self-consistency): is the plurality answer of k samples correct? Votes and tie-break are in voting.ts;
// a class is correct when its representative (first sample of the class) is correct.
//
// "first": the vote over the first k of n samples, as every anchor computes it (s1, lm-eval take_first_k +
//   majority_vote, lighteval MajAtN, Qwen2.5-Math group_pred).
// "unbiased": the exact expectation of the first-k metric over a uniformly random k-subset of the n samples
//   (the subset keeps sample order, so ties still go to the earliest first vote):
//     maj@k = Σ_A 1[A correct] · P(A wins),  P(A wins) = W_A / C(n, k).
//   W_A counts the k-subsets A wins. Split them by A's count a ≥ 1 and the position p of A's first chosen sample:
//   A wins iff every other class B has x_B < a, or x_B = a with all of B's chosen samples after p. So
//     W_A = Σ_p Σ_a C(r_A(p), a−1) · [z^{k−a}] (1+z)^{s_0} · Π_{B≠A} ( Σ_{x<a} C(s_B, x) z^x + C(r_B(p), a) z^a )
//   with s_B the class sizes, s_0 the null answers (they fill seats but never vote) and r_B(p) the samples of B
//   after position p. Counts are doubles (sums of positive terms: no cancellation); C(n, k) must stay finite
//   (n ≤ 1029). Cost ≈ Σ_{p,a} (k−a)·Σ_B min(s_B, a): measured ≤ 70 ms at n = 256, k = 64 and 0.3 s at
//   n = 1000, k = 64 (2-core dev machine, 2026). When C(n, k) ≤ 1000 the subsets are enumerated (same value).
import { BinomialTable } from "./binomial.js";
import { groupAnswers, pluralityWinner, type AnswerClasses, type Equivalence } from "./voting.js";

/** Below this many k-subsets the unbiased estimate enumerates them. */
export const MAJ_ENUMERATION_LIMIT = 1000;

export interface MajorityAnswer {
  /** Representative of the winning class; null when no sample has an answer. */
  answer: string | null;
  correct: boolean;
}

function checkVotes(answers: readonly (string | null)[], correct: readonly boolean[], k?: number): void {
  if (answers.length !== correct.length) throw new Error(`answers (${answers.length}) and correct (${correct.length}) differ in length`);
  if (answers.length === 0) throw new Error("majority vote needs at least one sample");
  if (k !== undefined) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
    if (k > answers.length) throw new Error(`k=${k} exceeds the number of samples n=${answers.length}`);
  }
}

/** Correctness of each class: that of its first sample. */
export function classCorrectness(groups: AnswerClasses, correct: readonly boolean[]): boolean[] {
  return groups.classes.map((c) => correct[c.members[0]]);
}

function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/** The plurality answer over all samples. */
export function majorityVote(answers: readonly (string | null)[], correct: readonly boolean[], equivalence?: Equivalence): MajorityAnswer {
  checkVotes(answers, correct);
  const groups = groupAnswers(answers, equivalence);
  const w = pluralityWinner(groups.classOf, range(answers.length));
  return w < 0 ? { answer: null, correct: false } : { answer: groups.classes[w].representative, correct: correct[groups.classes[w].members[0]] };
}

/** maj@k over the first k samples (the anchors' definition): 1 or 0. */
export function majAtKFirstFromGroups(groups: AnswerClasses, classCorrect: readonly boolean[], k: number): number {
  const w = pluralityWinner(groups.classOf, range(k));
  return w >= 0 && classCorrect[w] ? 1 : 0;
}

export function majAtKFirst(answers: readonly (string | null)[], correct: readonly boolean[], k: number, equivalence?: Equivalence): number {
  checkVotes(answers, correct, k);
  const groups = groupAnswers(answers, equivalence);
  return majAtKFirstFromGroups(groups, classCorrectness(groups, correct), k);
}

/** P(class wins) for every class over all k-subsets, by enumerating the subsets. */
export function winProbabilitiesByEnumeration(groups: AnswerClasses, k: number): number[] {
  const n = groups.classOf.length;
  const wins = new Array<number>(groups.classes.length).fill(0);
  const idx = range(k);
  let total = 0;
  for (;;) {
    total++;
    const w = pluralityWinner(groups.classOf, idx);
    if (w >= 0) wins[w]++;
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) break;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
  return wins.map((w) => w / total);
}

/** P(class wins) for every class over all k-subsets, by the counting formula in the header. */
export function winProbabilitiesExact(groups: AnswerClasses, k: number, table = new BinomialTable()): number[] {
  const n = groups.classOf.length;
  const m = groups.classes.length;
  const sizes = groups.classes.map((c) => c.members.length);
  const nulls = n - sizes.reduce((a, b) => a + b, 0);
  const total = table.get(n, k);
  if (!Number.isFinite(total)) throw new Error(`unbiased maj@k: C(${n}, ${k}) overflows a double; use the first-k mode for n > 1000`);
  const remaining = sizes.slice(); // r_B(p): samples of B after the current position
  const wins = new Array<number>(m).fill(0);
  let poly = new Float64Array(k + 1);
  let next = new Float64Array(k + 1);
  for (let p = 0; p < n; p++) {
    const A = groups.classOf[p];
    if (A < 0) continue;
    remaining[A]--;
    const restA = remaining[A];
    for (let a = 1; a <= Math.min(restA + 1, k); a++) {
      const need = k - a; // seats filled by other classes and nulls
      let capacity = nulls;
      for (let B = 0; B < m; B++) if (B !== A) capacity += Math.min(sizes[B], a);
      if (capacity < need) continue;
      poly.fill(0);
      poly[0] = 1;
      let deg = 0;
      for (let B = 0; B < m; B++) {
        if (B === A) continue;
        const top = Math.min(sizes[B], a);
        const newDeg = Math.min(deg + top, need);
        next.fill(0, 0, newDeg + 1);
        for (let x = 0; x <= top; x++) {
          const g = x < a ? table.get(sizes[B], x) : table.get(remaining[B], a);
          if (g === 0) continue;
          for (let i = 0; i <= deg && i + x <= need; i++) next[i + x] += poly[i] * g;
        }
        [poly, next] = [next, poly];
        deg = newDeg;
      }
      let ways = 0;
      for (let j = 0; j <= deg; j++) ways += poly[j] * table.get(nulls, need - j);
      wins[A] += table.get(restA, a - 1) * ways;
    }
  }
  return wins.map((w) => w / total);
}

/** P(class wins) for every class: enumeration when C(n, k) is small, the counting formula otherwise. */
export function winProbabilities(groups: AnswerClasses, k: number, table = new BinomialTable()): number[] {
  const subsets = table.get(groups.classOf.length, k);
  return subsets <= MAJ_ENUMERATION_LIMIT ? winProbabilitiesByEnumeration(groups, k) : winProbabilitiesExact(groups, k, table);
}

export function majAtKUnbiasedFromGroups(groups: AnswerClasses, classCorrect: readonly boolean[], k: number, table?: BinomialTable): number {
  const probs = winProbabilities(groups, k, table);
  let sum = 0;
  probs.forEach((p, c) => {
    if (classCorrect[c]) sum += p;
  });
  return Math.min(1, sum);
}

/** maj@k as the exact expectation over uniformly random k-subsets of the n samples. */
export function majAtKUnbiased(answers: readonly (string | null)[], correct: readonly boolean[], k: number, equivalence?: Equivalence): number {
  checkVotes(answers, correct, k);
  const groups = groupAnswers(answers, equivalence);
  return majAtKUnbiasedFromGroups(groups, classCorrectness(groups, correct), k);
}
