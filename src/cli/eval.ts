// `ratio eval`: a model (a checkpoint, or an OpenAI-compatible server) on a task's problems or a dataset, n samples
// each, optionally with budget forcing or a sweep over thinking budgets → results.jsonl + summary.json (src/eval).
import { InvalidArgumentError, Option, type Command } from "commander";
import { BuiltinBackend } from "../backends/builtin.js";
import { OpenAIBackend } from "../backends/openai.js";
import type { Backend } from "../backends/types.js";
import { parseBudgetForcing, type BudgetForcingSpec } from "../eval/budget-spec.js";
import type { ProblemSource } from "../eval/problems.js";
import { runEval, type EvalOptions } from "../eval/run.js";
import { formatSummary } from "../eval/summary.js";
import { runSweep, sweepTable } from "../eval/sweep.js";
import { DATASET_PRESETS, type DatasetPreset } from "../tasks/loaders/index.js";
import { action, parseFloatFlag, parseIntFlag, printJson, UserError, tokenizerFlag } from "./common.js";
import { ETA_FORMAT, progressBar, type Progress } from "./progress.js";

interface Flags {
  model?: string;
  openaiBaseUrl: string[];
  modelName?: string;
  apiKeyEnv?: string;
  tokenizer?: string;
  maxConcurrency: number;
  requestTimeoutMs: number;
  retries: number;
  task?: string;
  option: string[];
  problems: number;
  problemSeed: number;
  data?: string;
  preset: string;
  limit?: number;
  n: number;
  k: number[];
  template?: string;
  lengthBudget?: number;
  temperature?: number;
  topP: number;
  maxTokens: number;
  budgetForcing?: BudgetForcingSpec;
  sweepBudget?: number[];
  seed: number;
  out: string;
  batchProblems: number;
  logprobs?: boolean;
  scoreWorkers: number;
  scoreTimeoutMs: number;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, ...v.split(",").map((s) => s.trim()).filter((s) => s !== "")];

function intList(flag: string) {
  return (value: string): number[] => {
    const out = value.split(",").map((s) => s.trim());
    return out.map((s) => {
      const k = Number(s);
      if (s === "" || !Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`${flag} expects a comma-separated list of positive integers, got "${value}"`);
      return k;
    });
  };
}

function parseSpec(value: string): BudgetForcingSpec {
  try {
    return parseBudgetForcing(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** `--option k=v` values: numbers and booleans as JSON, anything else a string. */
function taskOptions(specs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of specs) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new UserError(`--option expects key=value, got "${s}"`);
    const raw = s.slice(eq + 1);
    let v: unknown = raw;
    if (/^(true|false|-?\d+(\.\d+)?)$/.test(raw)) v = JSON.parse(raw);
    out[s.slice(0, eq)] = v;
  }
  return out;
}

/** The flags that choose a backend: a checkpoint (--model) or an OpenAI-compatible server (--openai-base-url …). */
export type BackendFlags = Pick<Flags, "model" | "openaiBaseUrl" | "modelName" | "apiKeyEnv" | "tokenizer" | "maxConcurrency" | "requestTimeoutMs" | "retries">;

/** The backend of `ratio eval`'s flags (also used by `ratio analyze behaviors` for its judge). */
export async function makeBackend(o: BackendFlags): Promise<Backend> {
  if (o.model && o.openaiBaseUrl.length > 0) throw new UserError("--model and --openai-base-url exclude each other (a checkpoint or a server)");
  if (o.model) {
    if (o.modelName || o.tokenizer) throw new UserError("--model-name and --tokenizer go with --openai-base-url");
    return BuiltinBackend.load(o.model);
  }
  if (o.openaiBaseUrl.length === 0) throw new UserError("give --model <checkpoint dir> or --openai-base-url <url> --model-name <name>");
  if (!o.modelName) throw new UserError("--openai-base-url needs --model-name (the served model's name)");
  const tokenizer = tokenizerFlag(o.tokenizer);
  try {
    return new OpenAIBackend({
      baseURLs: o.openaiBaseUrl, model: o.modelName, apiKeyEnv: o.apiKeyEnv, tokenizer, maxConcurrency: o.maxConcurrency,
      timeoutMs: o.requestTimeoutMs, retries: o.retries,
    });
  } catch (e) {
    throw new UserError(`--openai-base-url: ${(e as Error).message}`);
  }
}

/** Flags of the other problem source, when given, are an error rather than silently ignored. */
const TASK_ONLY = ["option", "problems", "problemSeed"] as const;
const DATA_ONLY = ["preset", "limit"] as const;
const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function source(o: Flags, given: (key: keyof Flags) => boolean): ProblemSource {
  if (o.task && o.data) throw new UserError("--task and --data exclude each other");
  const misplaced = (o.data ? TASK_ONLY : o.task ? DATA_ONLY : []).find((k) => given(k));
  if (misplaced) throw new UserError(`${flagName(misplaced)} goes with ${o.data ? "--task" : "--data"}, not ${o.data ? "--data" : "--task"}`);
  if (o.data) {
    if (!(DATASET_PRESETS as readonly string[]).includes(o.preset)) throw new UserError(`--preset must be one of ${DATASET_PRESETS.join(", ")}, got "${o.preset}"`);
    return { kind: "data", file: o.data, preset: o.preset as DatasetPreset, ...(o.limit !== undefined ? { limit: o.limit } : {}) };
  }
  if (!o.task) throw new UserError("give --task <task> (generated problems) or --data <file>");
  return { kind: "task", task: o.task, options: taskOptions(o.option), count: o.problems, seed: o.problemSeed };
}

async function runCommand(o: Flags, cmd: Command): Promise<void> {
  const problems = source(o, (key) => cmd.getOptionValueSource(key) === "cli");
  const backend = await makeBackend(o);
  let bar: Progress | undefined;
  let label = "eval";
  const opts: EvalOptions = {
    backend, source: problems, n: o.n, ks: o.k, template: o.template, lengthBudget: o.lengthBudget, temperature: o.temperature ?? (o.n === 1 ? 0 : 0.6), topP: o.topP,
    maxTokens: o.maxTokens, seed: o.seed, budgetForcing: o.budgetForcing, out: o.out, batchProblems: o.batchProblems, logprobs: o.logprobs,
    scoreWorkers: o.scoreWorkers, scoreTimeoutMs: o.scoreTimeoutMs,
    onProgress: (done, total, info) => {
      bar ??= progressBar(total, label, { enabled: !o.json, format: ETA_FORMAT, start: done });
      bar.update(done, { info });
    },
  };
  try {
    if (o.sweepBudget) {
      const r = await runSweep({
        ...opts, budgets: o.sweepBudget,
        onBudget: (b, i) => {
          bar?.stop();
          bar = undefined;
          label = `budget ${b} (${i + 1}/${o.sweepBudget!.length})`;
        },
      });
      bar?.stop();
      if (o.json) printJson(r);
      else process.stdout.write(`${sweepTable(r)}\nresults: ${o.out}/budget-*/results.jsonl; table ${o.out}/sweep.md; plot ${o.out}/test-time-scaling.svg\n`);
      return;
    }
    const s = await runEval(opts);
    bar?.stop();
    if (o.json) printJson(s);
    else process.stdout.write(`${formatSummary(s)}results: ${o.out}/results.jsonl, summary: ${o.out}/summary.json\n`);
  } catch (e) {
    bar?.stop();
    throw e instanceof UserError ? e : new UserError((e as Error).message);
  } finally {
    await backend.close();
  }
}

export function register(program: Command): void {
  program
    .command("eval")
    .description("evaluate a checkpoint or an OpenAI-compatible server on a task: n samples per problem, pass@k, maj@k, budget forcing, budget sweeps")
    .option("--model <dir>", "checkpoint directory (the Ratio engine, frozen weights)")
    .option("--openai-base-url <url>", "OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (repeat or comma-separate for load balancing)", collect, [])
    .option("--model-name <name>", "the served model's name (with --openai-base-url)")
    .option("--api-key-env <var>", "environment variable holding the API key (default OPENAI_API_KEY when set)")
    .option("--tokenizer <dir>", "directory with the served model's tokenizer.json: exact token counts (else the server's usage numbers)")
    .option("--max-concurrency <n>", "requests in flight per base URL", parseIntFlag("--max-concurrency", 1), 8)
    .option("--request-timeout-ms <ms>", "time limit per request attempt", parseIntFlag("--request-timeout-ms", 1), 600_000)
    .option("--retries <n>", "retries on 429 / 5xx / timeouts / refused connections, with backoff", parseIntFlag("--retries", 0), 3)
    .option("--task <task>", "generated problems of a task: addition | countdown | multiple-choice | math")
    .option("--option <k=v>", "task option (repeatable), e.g. maxDigits=3", (v: string, p: string[]) => [...p, v], [])
    .option("--problems <n>", "generated problems", parseIntFlag("--problems", 1), 100)
    .option("--problem-seed <s>", "seed of the generated problems", parseIntFlag("--problem-seed"), 1_000_003)
    .option("--data <file>", "dataset file (.jsonl, .json, .parquet) instead of --task")
    .option("--preset <preset>", `dataset preset for --data: ${DATASET_PRESETS.join(" | ")}`, "plain")
    .option("--limit <n>", "--data: the first n problems", parseIntFlag("--limit", 1))
    .option("--n <n>", "samples per problem", parseIntFlag("--n", 1), 1)
    .addOption(new Option("--k <list>", "k values for pass@k and maj@k, each ≤ n").argParser(intList("--k")).default([1], "1"))
    .option("--template <name>", "prompt template: r1 | plain | star | l1-exact | l1-max | s1 | qwen3 (default: the task's own prompt)")
    .option("--length-budget <n>", "N of the L1 templates (\"Think for N tokens.\"); the summary reports the length error", parseIntFlag("--length-budget", 1))
    .option("--temperature <t>", "sampling temperature (default 0 with --n 1, else 0.6)", parseFloatFlag("--temperature", 0))
    .option("--top-p <p>", "nucleus sampling mass", parseFloatFlag("--top-p", 0, 1), 1)
    .option("--max-tokens <m>", "tokens per completion; with budget forcing, tokens of the answer (and of a thinking round without max=)", parseIntFlag("--max-tokens", 1), 256)
    .option("--budget-forcing <spec>", "s1 budget forcing: min=N (extensions),max=B (thinking tokens),ext=Wait,accounting=truncate|decrement,preset=s1|r1|qwen3|r1-zero|star,answer=Final Answer:,min-tokens=M", parseSpec)
    .option("--sweep-budget <list>", "budget forcing at each thinking budget B: the test-time scaling curve, s1's Control/Scaling/Performance", intList("--sweep-budget"))
    .option("--seed <s>", "sampling seed", parseIntFlag("--seed"), 0)
    .option("--out <dir>", "output directory (an interrupted eval continues here)", "runs/eval")
    .option("--batch-problems <n>", "problems sampled together; a crash loses at most these", parseIntFlag("--batch-problems", 1), 8)
    .option("--logprobs", "ask a server for log-probabilities (the vote weighted by mean log-prob); the builtin engine always has them")
    .option("--score-workers <n>", "math: verifier worker threads", parseIntFlag("--score-workers", 0), 2)
    .option("--score-timeout-ms <ms>", "math: time limit per check", parseIntFlag("--score-timeout-ms", 1), 5000)
    .option("--json", "print the summary as one JSON object, no progress bar")
    .addHelpText("after", `
Writes <out>/results.jsonl (one line per sample: problem_id, sample_index, completion, thinking_tokens, answer_tokens,
extracted, correct, finish_reason, forced_segments, …) and <out>/summary.json (pass@k, maj@k by the task's answer
equivalence, avg@n, mean thinking/answer tokens, truncated fraction, timing, token counting). Run the same command
again to continue an interrupted evaluation. --sweep-budget writes one such directory per budget, sweep.json,
sweep.md and test-time-scaling.svg.

Examples:
  ratio eval --model runs/demo/checkpoints/grpo/final --task addition --option maxDigits=3 --template star --n 4 --k 1,4
  ratio eval --model runs/demo/checkpoints/grpo/final --task addition --template star --budget-forcing min=1,max=64 --sweep-budget 16,32,64,128
  OPENAI_API_KEY=… ratio eval --openai-base-url http://127.0.0.1:8000/v1 --model-name qwen3 --data math500.jsonl --preset math --template qwen3 --n 8 --k 1,8`)
    .action(action(async (o: Flags, cmd: Command) => runCommand(o, cmd)));
}
