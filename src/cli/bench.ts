// `ratio bench [--json]` (also `npm run bench`): engine speed against PyTorch on the issue's reference sizes.
import type { Command } from "commander";
import { BENCH_SIZES, benchSize, type BenchResult } from "../bench/llama.js";
import { benchBudgetForcing, type BudgetForcingBenchResult } from "../bench/budget-forcing.js";
import { benchGrpo, GRPO_BENCH, type GrpoBenchResult } from "../bench/grpo.js";
import { benchMathVerify, type MathVerifyBench } from "../bench/math-verify.js";
import { benchServe, type ServeBenchResult } from "../bench/serve.js";
import { action, parseIntFlag, printJson } from "./common.js";

interface Flags {
  steps: number;
  warmup: number;
  sampleRuns: number;
  size: string;
  only: string;
  rounds: number;
  torch: boolean;
  threads?: number;
  json?: boolean;
}

const f = (x: number | null, digits = 1) => (x === null ? "—" : x.toFixed(digits));

export function register(program: Command): void {
  program
    .command("bench")
    .description("benchmark a training step and KV-cache sampling against PyTorch on the same model")
    .option("--steps <n>", "timed training steps (median reported)", parseIntFlag("--steps", 1), 10)
    .option("--warmup <n>", "untimed warm-up steps", parseIntFlag("--warmup", 0), 3)
    .option("--rounds <n>", "alternating Ratio/PyTorch rounds per size (medians over rounds)", parseIntFlag("--rounds", 1), 3)
    .option("--sample-runs <n>", "timed sampling runs (median reported)", parseIntFlag("--sample-runs", 1), 10)
    .option("--size <name>", `reference | second | all`, "all")
    .option("--only <part>", "engine | grpo | serve | budget | verify | all (budget = budget-forcing overhead per token vs plain sampling; grpo = one GRPO step vs the same loop in PyTorch; serve = ratio serve tokens/s with 1 and 16 clients; verify = math answer checks per second on one core)", "all")
    .option("--no-torch", "skip the PyTorch comparison")
    .option("--threads <n>", "onnxruntime intra-op threads (default 2, or RATIO_THREADS)", parseIntFlag("--threads", 1))
    .option("--json", "print one JSON object {reference: {...}, second: {...}, verify: {...}}")
    .addHelpText("after", "\nExample:\n  ratio bench --size reference --json")
    .action(action(async (o: Flags) => {
      if (!["engine", "grpo", "serve", "budget", "verify", "all"].includes(o.only)) throw new Error(`--only: expected engine, grpo, serve, budget, verify or all, got "${o.only}"`);
      const all = o.size === "all" ? BENCH_SIZES : BENCH_SIZES.filter((s) => s.name === o.size);
      if (all.length === 0) throw new Error(`--size: expected reference, second or all, got "${o.size}"`);
      const sizes = o.only === "engine" || o.only === "all" ? all : [];
      const results: Record<string, BenchResult> = {};
      let verify: MathVerifyBench | undefined;
      // verification first: it measures CPU time of JS code, best done before the engine runs fill the heap
      if (o.only === "verify" || o.only === "all") {
        if (!o.json) process.stderr.write("benchmarking math answer verification (one core) …\n");
        verify = await benchMathVerify();
      }
      for (const s of sizes) {
        if (!o.json) process.stderr.write(`benchmarking ${s.name} (hidden ${s.hidden}, ${s.layers} layers, ${s.heads} heads, intermediate ${s.inter}) …\n`);
        results[s.name] = await benchSize(s, { steps: o.steps, warmup: o.warmup, sampleRuns: o.sampleRuns, torch: o.torch, threads: o.threads, rounds: o.rounds });
      }
      let grpo: GrpoBenchResult | undefined;
      if (o.only === "grpo" || o.only === "all") {
        if (!o.json) process.stderr.write(`benchmarking one GRPO step (${GRPO_BENCH.batchSize} prompts × ${GRPO_BENCH.generations} completions ≤ ${GRPO_BENCH.newTokens} tokens, β ${GRPO_BENCH.beta}, reference size) …\n`);
        grpo = await benchGrpo({ steps: Math.max(3, Math.ceil(o.steps / 2)), warmup: 1, rounds: o.rounds, torch: o.torch, threads: o.threads });
      }
      let serve: ServeBenchResult | undefined;
      if (o.only === "serve" || o.only === "all") {
        if (!o.json) process.stderr.write("benchmarking ratio serve (reference size, 64 tokens per request, 1 and 16 concurrent clients) …\n");
        serve = await benchServe({ rounds: o.rounds, threads: o.threads });
      }
      let budget: BudgetForcingBenchResult | undefined;
      if (o.only === "budget" || o.only === "all") {
        if (!o.json) process.stderr.write("benchmarking budget forcing vs plain sampling (reference size, 32 rows, ≤ 64 thinking tokens, 2 extensions) …\n");
        budget = await benchBudgetForcing({ rounds: o.rounds, threads: o.threads });
      }
      if (o.json) return printJson({ ...results, ...(grpo ? { grpo } : {}), ...(serve ? { serve } : {}), ...(budget ? { budget_forcing: budget } : {}), ...(verify ? { verify } : {}) });
      const rows: string[][] = [["size", "params", "train ms", "torch ms", "ratio", "sample ms", "torch ms", "ratio", "live-weights sample ms", "GFLOP/s"]];
      for (const r of Object.values(results)) {
        rows.push([r.size, r.parameters.toLocaleString("en-US"), f(r.train_step_ms), f(r.torch_train_step_ms), f(r.train_ratio, 2),
          f(r.sample_ms), f(r.torch_sample_ms), f(r.sample_ratio, 2), f(r.sample_live_ms), f(r.gflops)]);
      }
      if (sizes.length === 0) rows.length = 0;
      const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => r[c].length)));
      for (const r of rows) process.stdout.write(r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join("  ") + "\n");
      for (const r of Object.values(results)) if (r.torch_note) process.stdout.write(`note (${r.size}): ${r.torch_note}\n`);
      if (sizes.length) process.stdout.write("ratio = Ratio time / PyTorch time (lower is better; targets: train ≤ 0.8, sample ≤ 0.6 on the reference size, ≤ 1.0 on the second)\n");
      if (grpo) {
        const p = grpo.torch_parts;
        process.stdout.write(`GRPO step (${grpo.parameters.toLocaleString("en-US")} params, mean completion ${grpo.mean_completion_tokens.toFixed(0)} tokens): Ratio ${f(grpo.grpo_step_ms)} ms, ` +
          `PyTorch ${f(grpo.torch_grpo_step_ms)} ms${p ? ` (sample ${f(p.sample_ms)}, score ${f(p.score_ms)}, ref log-probs ${f(p.logprob_ms)}, update ${f(p.update_ms)})` : ""}, ratio ${f(grpo.ratio, 2)} (target ≤ 0.7)\n`);
        if (grpo.torch_note) process.stdout.write(`note (grpo): ${grpo.torch_note}\n`);
      }
      if (serve) {
        const runs = serve.runs.map((r) => `${r.clients} client${r.clients > 1 ? "s" : ""}: ${Math.round(r.tokens_per_s).toLocaleString("en-US")} tok/s (median latency ${f(r.median_latency_ms, 0)} ms, mean batch ${f(r.mean_batch)})`);
        process.stdout.write(`ratio serve, completion tokens/s: ${runs.join("; ")}; Generator offline ${Math.round(serve.generator_tokens_per_s).toLocaleString("en-US")} tok/s\n`);
      }
      if (budget) {
        process.stdout.write(`budget forcing, ms per generated token: plain ${budget.plain.ms_per_token.toFixed(3)}, KV-cache session ${budget.session.ms_per_token.toFixed(3)} ` +
          `(overhead ${(budget.session_overhead * 100).toFixed(0)}%), replay of prompt + text each round ${budget.replay.ms_per_token.toFixed(3)} (overhead ${(budget.replay_overhead * 100).toFixed(0)}%); ` +
          `mean extensions ${budget.mean_extensions.toFixed(2)}, forced end ${(budget.forced_end_fraction * 100).toFixed(0)}%\n`);
      }
      if (verify) {
        process.stdout.write(`math verification, checks/s on one core: numeric ${verify.numeric_per_s.toLocaleString("en-US")} (goal ≥ 50,000), ` +
          `fraction ${verify.fraction_per_s.toLocaleString("en-US")} (goal ≥ 50,000), symbolic ${verify.symbolic_per_s.toLocaleString("en-US")} (goal ≥ 2,000)\n`);
      }
    }));
}
