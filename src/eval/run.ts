// The evaluation harness behind `ratio eval`: problems × n samples from a backend, plain or with budget forcing,
// scored by each problem's task (TaskScorer: math in worker threads with a time limit per check), written to
// results.jsonl problem by problem, summarized in summary.json. Resumable: problems already complete in the output
// directory are not sampled again, and each problem draws from its own random streams (its index in the problem
// list), so a resumed run gives the samples an uninterrupted one would.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Backend } from "../backends/types.js";
import { openThinking, type BudgetForcingOptions } from "../inference/budget-forcing.js";
import { budgetForcingPreset, delimitersForTemplate, type ThinkingDelimiters } from "../inference/presets.js";
import { TaskScorer } from "../tasks/scorer.js";
import type { Example } from "../tasks/types.js";
import { getTemplate } from "../templates/registry.js";
import type { Template } from "../templates/types.js";
import { getTask } from "../tasks/registry.js";
import { writeFileAtomic } from "../util/atomic.js";
import type { BudgetForcingSpec } from "./budget-spec.js";
import { formatBudgetForcing } from "./budget-spec.js";
import { loadProblems, taskOf, type ProblemSource } from "./problems.js";
import { appendProblem, readResults, RESULTS_FILE, SETTINGS_FILE, SETTINGS_FORMAT, settingsDiff, SUMMARY_FILE, type EvalRecord } from "./records.js";
import { sampleBatch } from "./sample.js";
import { summarize, type EvalSummary } from "./summary.js";

export interface EvalOptions {
  backend: Backend;
  source: ProblemSource;
  /** samples per problem */
  n: number;
  /** k values of pass@k / maj@k (each ≤ n) */
  ks: readonly number[];
  /** prompt template name (default: the task's native prompt) */
  template?: string;
  /** N of the L1 templates (l1-exact, l1-max: "Think for [maximum] N tokens."); the summary reports the length error */
  lengthBudget?: number;
  temperature: number;
  topP?: number;
  /** plain sampling: tokens per completion; budget forcing: tokens of the answer (and of a round without a budget) */
  maxTokens: number;
  seed: number;
  budgetForcing?: BudgetForcingSpec;
  out: string;
  /** problems sampled together (one session); a crash loses at most these (default 8) */
  batchProblems?: number;
  /** ask the backend for log-probabilities (the weighted vote); the builtin backend always has them */
  logprobs?: boolean;
  scoreWorkers?: number;
  scoreTimeoutMs?: number;
  /** progress in samples: done so far (resumed included) of total */
  onProgress?: (done: number, total: number, info: string) => void;
}

/** The thinking delimiters budget forcing uses: the preset named in the spec, else the template's. */
export function resolveDelimiters(spec: BudgetForcingSpec, template: Template | undefined): ThinkingDelimiters {
  let d: ThinkingDelimiters;
  if (spec.preset) d = budgetForcingPreset(spec.preset);
  else if (template) d = delimitersForTemplate(template);
  else throw new Error("--budget-forcing needs thinking delimiters: give --template (s1, qwen3, r1, star, l1-exact, l1-max) or preset= in --budget-forcing");
  return spec.answer === null ? d : { ...d, answerPrefix: spec.answer };
}

export function budgetForcingOptions(spec: BudgetForcingSpec, template: Template | undefined, maxTokens: number): BudgetForcingOptions {
  return {
    delimiters: resolveDelimiters(spec, template),
    maxThinkingTokens: spec.max ?? undefined,
    extensions: spec.min,
    minThinkingTokens: spec.minTokens ?? undefined,
    extension: spec.ext,
    accounting: spec.accounting,
    maxAnswerTokens: maxTokens,
    maxRoundTokens: maxTokens,
  };
}

/** What decides the samples: a resumed run must match it. */
export function evalSettings(o: EvalOptions): Record<string, unknown> {
  return {
    backend: o.backend.name, source: o.source, n: o.n, template: o.template ?? null, temperature: o.temperature, top_p: o.topP ?? 1,
    max_tokens: o.maxTokens, seed: o.seed, budget_forcing: o.budgetForcing ? formatBudgetForcing(o.budgetForcing) : null,
    ...(o.lengthBudget !== undefined ? { length_budget: o.lengthBudget } : {}),
  };
}

export async function runEval(o: EvalOptions): Promise<EvalSummary> {
  if (!Number.isInteger(o.n) || o.n < 1) throw new Error(`--n must be an integer ≥ 1, got ${o.n}`);
  for (const k of o.ks) if (k > o.n) throw new Error(`--k ${k} exceeds --n ${o.n} (pass@k and maj@k need k ≤ n samples)`);
  if (o.lengthBudget !== undefined && !o.template?.startsWith("l1-")) throw new Error("--length-budget goes with --template l1-exact or l1-max");
  if (o.template?.startsWith("l1-") && o.lengthBudget === undefined) throw new Error(`--template ${o.template} needs --length-budget N (the N of "Think for N tokens.")`);
  const template = o.template ? getTemplate(o.template, o.lengthBudget !== undefined ? { budget: o.lengthBudget } : undefined) : undefined;
  const bf = o.budgetForcing ? budgetForcingOptions(o.budgetForcing, template, o.maxTokens) : undefined;
  const problems = await loadProblems(o.source);
  const settings = evalSettings(o);

  mkdirSync(o.out, { recursive: true });
  const settingsFile = path.join(o.out, SETTINGS_FILE);
  const resultsFile = path.join(o.out, RESULTS_FILE);
  if (existsSync(settingsFile)) {
    const saved = JSON.parse(readFileSync(settingsFile, "utf8")) as { settings?: Record<string, unknown> };
    const diff = settingsDiff(saved.settings ?? {}, settings);
    if (diff) throw new Error(`${settingsFile}: the evaluation in ${o.out} was run with other settings (${diff}); use another --out to start a new one`);
  } else if (existsSync(resultsFile)) {
    throw new Error(`${resultsFile} exists without ${SETTINGS_FILE}: not an evaluation directory of ratio eval; use another --out`);
  } else {
    await writeFileAtomic(settingsFile, JSON.stringify({ format: SETTINGS_FORMAT, settings }, null, 2) + "\n");
  }
  const existing = await readResults(resultsFile, o.n);
  const known = new Set(problems.map((p) => p.id));
  for (const id of existing.done) if (!known.has(id)) throw new Error(`${resultsFile}: problem "${id}" is not among this evaluation's problems`);
  const records: EvalRecord[] = [...existing.records];
  const pending = problems.map((ex, index) => ({ ex, index })).filter((p) => !existing.done.has(p.ex.id));

  const scorers = new Map<string, TaskScorer>();
  const scorerFor = (ex: Example) => {
    const name = taskOf(ex);
    let s = scorers.get(name);
    if (!s) scorers.set(name, (s = TaskScorer.create(getTask(name), { workers: o.scoreWorkers, timeoutMs: o.scoreTimeoutMs })));
    return s;
  };
  const total = problems.length * o.n;
  let done = existing.done.size * o.n;
  let correct = records.filter((r) => r.correct).length;
  const info = () => `${done} samples, ${done > 0 ? ((100 * correct) / done).toFixed(1) : "0.0"}% correct`;
  o.onProgress?.(done, total, info());
  const t0 = performance.now();
  let sampled = 0;
  let generated: number | null = 0;
  const batch = o.batchProblems ?? 8;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`--batch-problems must be an integer ≥ 1, got ${batch}`);
  try {
    for (let start = 0; start < pending.length; start += batch) {
      const chunk = pending.slice(start, start + batch);
      // budget forcing starts inside the thinking block: the prompt ends with the thinking start
      const prompts = chunk.map(({ ex }) => {
        const prompt = getTask(taskOf(ex)).prompt(ex, template);
        return bf ? openThinking(prompt, bf.delimiters) : prompt;
      });
      const session = await o.backend.session(prompts, {
        n: o.n, seed: o.seed, temperature: o.temperature, topP: o.topP, streams: chunk.map((p) => p.index), logprobs: o.logprobs,
      });
      let outs;
      try {
        outs = await sampleBatch(session, { maxTokens: o.maxTokens, template, budgetForcing: bf, countTokens: (t) => o.backend.countTokens(t) });
      } finally {
        await session.close();
      }
      const scores = await Promise.all(outs.map((s, row) => scorerFor(chunk[Math.floor(row / o.n)].ex).score(s.completion, chunk[Math.floor(row / o.n)].ex)));
      chunk.forEach(({ ex }, p) => {
        const recs: EvalRecord[] = [];
        for (let j = 0; j < o.n; j++) {
          const s = outs[p * o.n + j];
          const sc = scores[p * o.n + j];
          recs.push({
            problem_id: ex.id, sample_index: j, task: taskOf(ex), budget: o.budgetForcing?.max ?? null, completion: s.completion,
            tokens: s.tokens, thinking_tokens: s.thinkingTokens, answer_tokens: s.answerTokens, extracted: sc.extracted, correct: sc.correct,
            reward: sc.reward, reason: sc.reason, gold: ex.answer, finish_reason: s.finishReason, extensions: s.extensions,
            forced_end: s.forcedEnd, cut_tokens: s.cutTokens, forced_segments: s.forcedSegments, mean_logprob: s.meanLogprob,
          });
          if (sc.correct) correct++;
          generated = generated === null || s.tokens === null ? null : generated + s.tokens;
        }
        appendProblem(resultsFile, recs);
        records.push(...recs);
        done += o.n;
        sampled += o.n;
      });
      o.onProgress?.(done, total, info());
    }
  } finally {
    await Promise.all([...scorers.values()].map((s) => s.close()));
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary = summarize(records, {
    ks: o.ks, settings, tokenCounting: o.backend.tokenCounting,
    length: o.lengthBudget !== undefined ? { target: o.lengthBudget, mode: o.template === "l1-max" ? "max" : "exact" } : undefined,
    timing: {
      seconds, samples: sampled, samples_per_second: seconds > 0 ? sampled / seconds : 0,
      tokens_per_second: generated === null || seconds === 0 ? null : generated / seconds, resumed_problems: existing.done.size,
    },
  });
  await writeFileAtomic(path.join(o.out, SUMMARY_FILE), JSON.stringify(summary, null, 2) + "\n");
  return summary;
}
