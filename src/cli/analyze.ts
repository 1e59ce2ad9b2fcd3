// `ratio analyze behaviors`: the cognitive behaviors of Gandhi et al. 2025 (verification, backtracking, subgoal
// setting, backward chaining) in any JSONL of traces — rule-based counts and spans, optionally the paper's LLM-judge
// counts over any backend and their agreement, per sample, per (stage, step) of a run and overall (src/analysis).
import { Option, type Command } from "commander";
import { analyzeBehaviors, formatBehaviorReport, type BehaviorReport } from "../analysis/behaviors/report.js";
import { DEFAULT_JUDGE_CONCURRENCY, DEFAULT_JUDGE_MAX_TOKENS, type JudgeOptions } from "../analysis/behaviors/judge.js";
import { JUDGE_PROMPT_SETS, type JudgePromptSet } from "../analysis/behaviors/judge-prompts.js";
import { readTraces } from "../analysis/behaviors/traces.js";
import type { Backend } from "../backends/types.js";
import { writeFileAtomic } from "../util/atomic.js";
import { action, parseIntFlag, prepareOutputFile, printJson, UserError } from "./common.js";
import { makeBackend } from "./eval.js";
import { ETA_FORMAT, progressBar, type Progress } from "./progress.js";

/** Traces above which the rule pass shows a progress bar (the rules take well under a millisecond per trace). */
const RULES_PROGRESS_MIN_TRACES = 5000;

type JudgeBackendKind = "builtin" | "openai";

interface BehaviorFlags {
  input: string;
  field?: string;
  labels?: boolean;
  judgeBackend?: JudgeBackendKind;
  model?: string;
  baseUrl: string[];
  apiKeyEnv?: string;
  judgePrompts: JudgePromptSet | "auto";
  concurrency: number;
  maxTokens: number;
  requestTimeoutMs: number;
  retries: number;
  seed: number;
  rawCompletions?: boolean;
  json?: boolean;
  out?: string;
}

const collect = (v: string, prev: string[]) => [...prev, ...v.split(",").map((s) => s.trim()).filter((s) => s !== "")];

async function judgeBackend(o: BehaviorFlags): Promise<Backend | undefined> {
  if (!o.judgeBackend) {
    if (o.model || o.baseUrl.length > 0) throw new UserError("--model and --base-url choose the judge: give --judge-backend builtin|openai too");
    return undefined;
  }
  if (!o.model) throw new UserError(`--judge-backend ${o.judgeBackend} needs --model (${o.judgeBackend === "builtin" ? "a checkpoint directory" : "the served model's name"})`);
  const common = { apiKeyEnv: o.apiKeyEnv, maxConcurrency: o.concurrency, requestTimeoutMs: o.requestTimeoutMs, retries: o.retries };
  if (o.judgeBackend === "builtin") {
    if (o.baseUrl.length > 0) throw new UserError("--base-url goes with --judge-backend openai");
    return makeBackend({ ...common, model: o.model, openaiBaseUrl: [] });
  }
  if (o.baseUrl.length === 0) throw new UserError("--judge-backend openai needs --base-url <url> (e.g. http://127.0.0.1:8000/v1)");
  return makeBackend({ ...common, openaiBaseUrl: o.baseUrl, modelName: o.model });
}

async function runBehaviors(o: BehaviorFlags): Promise<void> {
  let traces;
  try {
    traces = readTraces(o.input, o.field);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  if (o.out) prepareOutputFile("--out", o.out);
  const backend = await judgeBackend(o);
  let bar: Progress | undefined;
  const progress = (label: string) => (done: number, total: number) => {
    bar ??= progressBar(total, label, { enabled: !o.json, format: ETA_FORMAT });
    bar.update(done, { info: "" });
    if (done === total) {
      bar.stop();
      bar = undefined;
    }
  };
  let report: BehaviorReport;
  try {
    const judge: JudgeOptions | undefined = backend && {
      backend, prompts: o.judgePrompts, concurrency: o.concurrency, maxTokens: o.maxTokens, seed: o.seed, chat: !o.rawCompletions, onProgress: progress("judge"),
    };
    report = await analyzeBehaviors(traces, {
      judge, labels: o.labels, ...(traces.length >= RULES_PROGRESS_MIN_TRACES ? { onRulesProgress: progress("rules") } : {}),
    });
  } catch (e) {
    bar?.stop();
    throw e instanceof UserError ? e : new UserError((e as Error).message);
  } finally {
    await backend?.close();
  }
  if (o.out) await writeFileAtomic(o.out, JSON.stringify(report, null, 1) + "\n");
  if (o.json) printJson(report);
  else process.stdout.write(formatBehaviorReport(report) + (o.out ? `\nreport with per-sample counts and spans: ${o.out}\n` : ""));
}

export function register(program: Command): void {
  const analyze = program.command("analyze").description("analyses of traces: cognitive behaviors (verification, backtracking, subgoal setting, backward chaining)");
  analyze
    .command("behaviors")
    .description("count verification, backtracking, subgoal setting and backward chaining in traces: rules with spans, optionally an LLM judge and their agreement")
    .requiredOption("--input <file>", "JSONL of traces: a run's samples.jsonl, ratio eval's results.jsonl, a dataset, or {text} rows")
    .option("--field <name>", "the field holding the trace (a string or a list of strings; default: the first of completion, completions, text, trace, response, output)")
    .option("--labels", "score the rules against hand labels in the rows (labels: [behaviors], optional counts and split): precision / recall")
    .addOption(new Option("--judge-backend <kind>", "also run the four LLM-judge prompts (after the paper's) on a backend").choices(["builtin", "openai"]))
    .option("--model <name>", "judge model: a checkpoint directory (builtin) or the served model's name (openai)")
    .option("--base-url <url>", "judge server, e.g. http://127.0.0.1:8000/v1 (repeat or comma-separate for load balancing)", collect, [])
    .option("--api-key-env <var>", "environment variable holding the judge server's API key (default OPENAI_API_KEY when set)")
    .addOption(new Option("--judge-prompts <set>", "judge prompt set: countdown (the paper's, needs numbers and target), generic, or auto (countdown where the row has them)").choices(["auto", ...JUDGE_PROMPT_SETS]).default("auto"))
    .option("--concurrency <n>", "judge requests in flight", parseIntFlag("--concurrency", 1), DEFAULT_JUDGE_CONCURRENCY)
    .option("--max-tokens <n>", "tokens per judge answer", parseIntFlag("--max-tokens", 1), DEFAULT_JUDGE_MAX_TOKENS)
    .option("--request-timeout-ms <ms>", "time limit per judge request attempt", parseIntFlag("--request-timeout-ms", 1), 600_000)
    .option("--retries <n>", "judge retries on 429 / 5xx / timeouts, with backoff", parseIntFlag("--retries", 0), 3)
    .option("--seed <s>", "seed sent with each judge request (temperature 0)", parseIntFlag("--seed"), 0)
    .option("--raw-completions", "ask the judge through raw completions even when the backend has a chat template")
    .option("--json", "print the whole report (per-sample counts and spans) as one JSON object")
    .option("--out <file>", "write the whole report as JSON (atomically)")
    .addHelpText("after", `
Rows may carry stage and step (a run's samples.jsonl): the report then gives, per (stage, step), the fraction of
samples showing each behavior and its mean count. Countdown numbers and target come from the fields nums / numbers
and target, or from a TinyZero or Stream-of-Search prompt. Judge answers without <count>N</count> and failed
requests count as 0 (as in the paper) and are reported. Rules and judge prompts: docs/analysis.md.

Examples:
  ratio analyze behaviors --input runs/r1/samples.jsonl
  ratio analyze behaviors --input runs/eval/results.jsonl --out behaviors.json
  ratio analyze behaviors --input test/fixtures/behaviors/labelled.jsonl --labels
  ratio analyze behaviors --input samples.jsonl --judge-backend openai --base-url http://127.0.0.1:8000/v1 --model qwen3 --json`)
    .action(action(async (o: BehaviorFlags) => runBehaviors(o)));
}
