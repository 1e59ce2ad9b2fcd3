// Evaluation of a policy on a task's problems: greedy accuracy, and with k samples per problem maj@k and pass@k.
//   greedy:  one completion at temperature 0, scored by the task
//   maj@k:   plurality vote over the k samples' extracted answers (exact string classes; a sample with no
//            extracted answer never votes; ties go to the class voted first, see metrics/voting.ts)
//   pass@k:  1 when one of the k samples is correct (the unbiased estimator with n = k)
// Every number is also reported per bucket (e.g. the digit count of an addition problem) and per problem.
// Deterministic: greedy decoding, and the k samples draw from RNG streams keyed by (seed, problem, sample).
import { majorityVote } from "../metrics/maj-at-k.js";
import { passAtK } from "../metrics/pass-at-k.js";
import type { Generator } from "../sampling/generate.js";
import type { Example, PromptTemplate, Task } from "../tasks/types.js";
import { rollout } from "./rollout.js";

export interface EvaluatePolicyOptions {
  template?: PromptTemplate;
  /** new tokens per completion at most */
  maxTokens: number;
  /** samples per problem for maj@k and pass@k; 0 or absent: greedy only */
  k?: number;
  /** sampling temperature of the k samples (default 1) */
  temperature?: number;
  topP?: number;
  seed: number;
  /** difficulty bucket of a problem (e.g. max digit count); absent: one bucket "all" */
  bucket?: (example: Example) => string;
  /** stop strings (see rollout) */
  stop?: readonly string[];
  /** sequences decoded together (bounds memory) */
  maxBatch?: number;
}

/** A sample as it is recorded: what was read as the answer and whether it is correct. */
export interface EvalSample {
  completion: string;
  extracted: string | null;
  correct: boolean;
  truncated: boolean;
}

export interface EvalRecord {
  id: string;
  bucket: string;
  question: string;
  answer: string;
  greedy: EvalSample;
  /** the k samples (absent without k) */
  samples?: { extracted: string | null; correct: boolean }[];
  /** the plurality answer over the k samples, null when none had an answer */
  majority?: { answer: string | null; correct: boolean };
  /** 1 if one of the k samples is correct */
  pass?: number;
}

export interface BucketAccuracy {
  problems: number;
  greedy: number;
  maj?: number;
  pass?: number;
}

export interface PolicyEvaluation {
  problems: number;
  /** fraction of problems whose greedy completion is correct */
  greedyAccuracy: number;
  /** maj@k (with k) */
  majAccuracy?: number;
  /** pass@k (with k) */
  passAtK?: number;
  k?: number;
  /** per bucket, keys in natural order ("1", "2", …, "10") */
  byBucket: Record<string, BucketAccuracy>;
  records: EvalRecord[];
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const naturalOrder = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true });

/** Greedy accuracy, optional maj@k / pass@k, per bucket and per problem. Errors name the option. */
export async function evaluatePolicy(gen: Generator, task: Task, examples: readonly Example[], opts: EvaluatePolicyOptions): Promise<PolicyEvaluation> {
  const k = opts.k ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new Error(`evaluatePolicy: option k must be an integer ≥ 0, got ${k}`);
  if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1) throw new Error(`evaluatePolicy: option maxTokens must be an integer ≥ 1, got ${opts.maxTokens}`);
  if (examples.length === 0) throw new Error("evaluatePolicy: no examples to evaluate");
  const common = { template: opts.template, maxTokens: opts.maxTokens, seed: opts.seed, stop: opts.stop, maxBatch: opts.maxBatch };
  const greedy = await rollout(gen, task, examples, { ...common, n: 1, temperature: 0 });
  const sampled = k > 0 ? await rollout(gen, task, examples, { ...common, n: k, temperature: opts.temperature ?? 1, topP: opts.topP }) : [];

  const records: EvalRecord[] = examples.map((ex, i) => {
    const g = greedy[i];
    const rec: EvalRecord = {
      id: ex.id, bucket: opts.bucket ? opts.bucket(ex) : "all", question: ex.question, answer: ex.answer,
      greedy: { completion: g.completion, extracted: g.score.extracted, correct: g.score.correct, truncated: g.truncated },
    };
    if (k > 0) {
      const mine = sampled.slice(i * k, (i + 1) * k);
      rec.samples = mine.map((s) => ({ extracted: s.score.extracted, correct: s.score.correct }));
      const vote = majorityVote(rec.samples.map((s) => s.extracted), rec.samples.map((s) => s.correct));
      rec.majority = { answer: vote.answer, correct: vote.correct };
      rec.pass = passAtK(k, rec.samples.filter((s) => s.correct).length, k);
    }
    return rec;
  });

  const summarize = (rs: readonly EvalRecord[]): BucketAccuracy => {
    const b: BucketAccuracy = { problems: rs.length, greedy: mean(rs.map((r) => (r.greedy.correct ? 1 : 0))) };
    if (k > 0) {
      b.maj = mean(rs.map((r) => (r.majority!.correct ? 1 : 0)));
      b.pass = mean(rs.map((r) => r.pass!));
    }
    return b;
  };
  const byBucket: Record<string, BucketAccuracy> = {};
  for (const name of [...new Set(records.map((r) => r.bucket))].sort(naturalOrder)) byBucket[name] = summarize(records.filter((r) => r.bucket === name));
  const all = summarize(records);
  return {
    problems: records.length, greedyAccuracy: all.greedy, byBucket, records,
    ...(k > 0 ? { majAccuracy: all.maj, passAtK: all.pass, k } : {}),
  };
}

/** The digit-count bucket of an addition problem: max(digits of a, digits of b). */
export function additionDigitsBucket(example: Example): string {
  const { digitsA, digitsB } = example.metadata;
  if (typeof digitsA !== "number" || typeof digitsB !== "number") throw new Error(`example ${example.id}: metadata.digitsA / digitsB missing (not an addition problem)`);
  return String(Math.max(digitsA, digitsB));
}
