// The LLM judge of Gandhi et al. 2025 (kanishkg/cognitive-behaviors, behavioral_evals: one request per behavior and
// trace at temperature 0, the count in <count>N</count>, a parse failure counted as 0) over any Backend, with a
// limit on requests in flight. Unlike the original, failures are not silent: each is recorded with its reason and
// the report counts them.
import type { Backend, CompletionResult } from "../../backends/types.js";
import { BEHAVIORS, emptyCounts, type Behavior } from "./detect.js";
import { autoPromptSet, judgePrompt, parseJudgeCount, type JudgeContext, type JudgePromptSet } from "./judge-prompts.js";

/** Tokens the judge may write per answer (a count, possibly after a short justification). */
export const DEFAULT_JUDGE_MAX_TOKENS = 512;
/** Judge requests in flight at once. */
export const DEFAULT_JUDGE_CONCURRENCY = 4;

export interface JudgeItem {
  text: string;
  context?: JudgeContext;
}

export interface JudgeFailure {
  behavior: Behavior;
  /** "parse": the answer has no <count>N</count>; "backend": the request failed */
  kind: "parse" | "backend";
  /** the error message, or the start of the unparseable answer */
  message: string;
}

export interface JudgedTrace {
  /** per behavior the judge's count (0 where it failed, as in the paper) */
  counts: Record<Behavior, number>;
  failures: JudgeFailure[];
  promptSet: JudgePromptSet;
}

export interface JudgeOptions {
  backend: Backend;
  /** "auto" (default): countdown prompts where the item's numbers and target are known, else generic */
  prompts?: JudgePromptSet | "auto";
  /** the behaviors to ask about (default all four) */
  behaviors?: readonly Behavior[];
  maxTokens?: number;
  concurrency?: number;
  /** sampling seed sent with each request (temperature is 0) */
  seed?: number;
  /** use the backend's chat endpoint when it has one (default true), else raw completions */
  chat?: boolean;
  /** called after each request with (done, total) */
  onProgress?: (done: number, total: number) => void;
}

export interface JudgeRun {
  traces: JudgedTrace[];
  requests: number;
  parseFailures: number;
  backendFailures: number;
}

/** Characters of an unparseable answer kept in its failure record. */
const FAILURE_EXCERPT = 120;

async function ask(backend: Backend, prompt: string, o: { maxTokens: number; seed: number; chat: boolean }): Promise<string> {
  const sampling = { n: 1, temperature: 0, maxTokens: o.maxTokens, seed: o.seed };
  let result: CompletionResult;
  if (o.chat && backend.chat) result = await backend.chat({ ...sampling, messages: [{ role: "user", content: prompt }] });
  else result = await backend.complete({ ...sampling, prompt });
  const choice = result.choices[0];
  if (!choice) throw new Error("the backend returned no choice");
  return choice.text;
}

/** Runs the four judge prompts (or opts.behaviors) over every item; requests run opts.concurrency at a time. */
export async function judgeTraces(items: readonly JudgeItem[], opts: JudgeOptions): Promise<JudgeRun> {
  const behaviors = opts.behaviors ?? BEHAVIORS;
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_JUDGE_CONCURRENCY);
  const askOpts = { maxTokens: opts.maxTokens ?? DEFAULT_JUDGE_MAX_TOKENS, seed: opts.seed ?? 0, chat: opts.chat ?? true };
  const traces: JudgedTrace[] = items.map((item) => {
    const context = item.context ?? {};
    const promptSet = !opts.prompts || opts.prompts === "auto" ? autoPromptSet(context) : opts.prompts;
    if (promptSet === "countdown" && (!context.numbers || context.target === undefined)) {
      throw new Error("the countdown judge prompts need each trace's numbers and target");
    }
    return { counts: emptyCounts(), failures: [], promptSet };
  });
  const jobs = items.flatMap((item, i) => behaviors.map((behavior) => ({ i, behavior, prompt: judgePrompt(behavior, item.text, traces[i].promptSet, item.context) })));
  let next = 0, done = 0, parseFailures = 0, backendFailures = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const trace = traces[job.i];
      try {
        const answer = await ask(opts.backend, job.prompt, askOpts);
        const count = parseJudgeCount(answer);
        if (count === null) {
          parseFailures++;
          trace.failures.push({ behavior: job.behavior, kind: "parse", message: answer.slice(0, FAILURE_EXCERPT) });
        } else trace.counts[job.behavior] = count;
      } catch (e) {
        backendFailures++;
        trace.failures.push({ behavior: job.behavior, kind: "backend", message: (e as Error).message.split("\n")[0] });
      }
      opts.onProgress?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  for (const t of traces) t.failures.sort((a, b) => BEHAVIORS.indexOf(a.behavior) - BEHAVIORS.indexOf(b.behavior));
  return { traces, requests: jobs.length, parseFailures, backendFailures };
}
