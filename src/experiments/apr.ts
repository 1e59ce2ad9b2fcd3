// `ratio experiment apr`: serialized vs parallel search on Countdown (Pan et al. 2025, "Learning Adaptive Parallel
// Reasoning with Language Models"), at toy scale on CPU. Two tiny Llamas with one character tokenizer are trained
// from scratch with the same SFT budget (steps × batch): one on SoS DFS traces (serial), one on APR parent/child
// rows over the same pruned search tree (parallel). Held-out problems then go through the parallel scheduler on the
// builtin backend (apr-eval.ts) across a sweep of total-token budgets; the report gives solve rate against total
// tokens (equal compute) and against critical-path tokens (equal latency), next to the generator's own traces.
import * as path from "node:path";
import { BuiltinBackend } from "../backends/builtin.js";
import { runSftStage } from "../algorithms/sft-stage.js";
import { aprDataOptions, aprProblem, problemRows, traceOptions, type AprDataOptions } from "../datagen/apr.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { presetConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { writeDataset } from "../run/dataset.js";
import { RunDir } from "../run/run-dir.js";
import { Generator } from "../sampling/generate.js";
import { writeFileAtomic } from "../util/atomic.js";
import { lineChartSvg } from "../util/plot.js";
import { evalApr, evalSerial, oracleCurves, type CurvePoint, type Problem } from "./apr-eval.js";
import type { Experiment, ExperimentFlags, ExperimentResult } from "./index.js";

/** Seeds of the training problems and the held-out problems (disjoint streams of the countdown task). */
const TRAIN_SEED = 2_000_001;
const EVAL_SEED = 2_000_003;
/**
 * Model context in characters (= tokens). Training keeps the problems whose serial trace fits (APR rows then fit
 * too); at evaluation a serial search longer than this cannot finish, while APR threads each start afresh.
 */
const CONTEXT = 1024;
/** Characters every trace may use (arithmetic, lists, markers), whatever the training rows happen to hold. */
const ALPHABET = "0123456789+-*/=[]',:#<> .\nCurrent State: Operations Exploring Operation Resulting Numbers Generated Node Moving to equal unequal Goal Reached No Solution found Sub Searches Calling End Start Search in at level";
/** Onnxruntime threads: the VM is shared. */
const THREADS = 1;

interface Budget {
  trainProblems: number;
  sftSteps: number;
  sftBatch: number;
  sftLr: number;
  evalProblems: number;
  budgets: number[];
  /** generated tokens one APR thread may use */
  maxThreadTokens: number;
  /** held-out problems and budgets of the model-free comparison with 4 numbers */
  oracle4Problems: number;
  oracle4Budgets: number[];
}

const FULL: Budget = { trainProblems: 1500, sftSteps: 300, sftBatch: 8, sftLr: 5e-3, evalProblems: 60, budgets: [256, 512, 1024, 1536, 2048], maxThreadTokens: 768, oracle4Problems: 100, oracle4Budgets: [1024, 2048, 4096, 8192, 16384] };
const QUICK: Budget = { trainProblems: 24, sftSteps: 2, sftBatch: 4, sftLr: 3e-3, evalProblems: 4, budgets: [96, 192], maxThreadTokens: 128, oracle4Problems: 3, oracle4Budgets: [1024, 4096] };

/** Countdown with 3 numbers 1..30, targets 10..50; APR beam and sub calls 4, one level of spawning. */
const DATA: AprDataOptions = aprDataOptions.parse({ numbers: 3, max_value: 30, max_target: 50, beam: 4, sub_calls: 4, max_depth: 1 });

interface ArmTraining {
  arm: string;
  rows: number;
  tokens: number;
  finalLoss: number | null;
  seconds: number;
}

async function train(flags: ExperimentFlags, name: string, rows: readonly { prompt: string; completion: string }[], tokenizer: CharTokenizer, b: Budget): Promise<{ dir: string; info: ArmTraining }> {
  const t0 = performance.now();
  const run = RunDir.open(path.join(flags.out, name), { overwrite: true, seed: flags.seed, command: ["ratio", "experiment", "apr"], config: { ...b, data: DATA } });
  writeDataset(run.datasetPath("sft", name), rows.map((r, i) => ({ ...r, problem_id: `${name}-${i}` })), { stage: "sft", seed: flags.seed, generator: "apr", options: { ...DATA, rows: name } });
  const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, { max_position_embeddings: CONTEXT });
  const ctx = { run, stage: "sft", seed: flags.seed, resume: false, say: flags.say, progress: flags.progress, threads: THREADS };
  run.startStage("sft", "sft");
  const r = await runSftStage(ctx, { config, params: initParams(config, flags.seed), tokenizer }, rows, {
    steps: b.sftSteps, batch_size: b.sftBatch, lr: b.sftLr, schedule: "warmup-cosine", warmup_steps: Math.min(20, b.sftSteps), min_lr: b.sftLr / 10, weight_decay: 0.01, max_grad_norm: 1, save_every: b.sftSteps,
  });
  run.finishStage("sft", { checkpoint: run.relative(r.checkpoint!) }, r.summary);
  run.setStatus("complete");
  const metrics = run.metrics("sft");
  const loss = metrics.length > 0 ? metrics.slice(-10).reduce((a, m) => a + (m.loss as number), 0) / Math.min(10, metrics.length) : null;
  const tokens = rows.reduce((a, x) => a + x.prompt.length + x.completion.length + 2, 0);
  return { dir: r.checkpoint!, info: { arm: name, rows: rows.length, tokens, finalLoss: loss, seconds: (performance.now() - t0) / 1000 } };
}

async function backendFor(dir: string): Promise<BuiltinBackend> {
  const ck = await loadCheckpoint(dir);
  const gen = await Generator.create({ config: ck.config, params: ck.params, tokenizer: ck.tokenizer, frozen: true, threads: THREADS });
  return new BuiltinBackend(gen, { name: `builtin:${dir}` });
}

async function run(flags: ExperimentFlags): Promise<ExperimentResult> {
  const b = flags.quick ? QUICK : FULL;
  const fits = (s: string): boolean => s.length + 2 <= CONTEXT;
  // training problems: the same problems for both arms, kept when every row of both fits the context
  const serialRows: { prompt: string; completion: string }[] = [];
  const aprRows: { prompt: string; completion: string }[] = [];
  const held: Problem[] = Array.from({ length: b.evalProblems }, (_, i) => aprProblem(EVAL_SEED, i, DATA));
  const heldKeys = new Set(held.map((p) => `${p.target}:${p.nums.join(",")}`));
  for (let i = 0; serialRows.length < b.trainProblems; i++) {
    const p = aprProblem(TRAIN_SEED, i, DATA);
    if (heldKeys.has(`${p.target}:${p.nums.join(",")}`)) continue;
    const s = problemRows(p, { ...DATA, rows: "serial" })!;
    const a = problemRows(p, DATA)!;
    if (![...s, ...a].every((r) => fits(r.prompt + r.completion))) continue;
    serialRows.push(...s.map((r) => ({ prompt: r.prompt, completion: r.completion })));
    aprRows.push(...a.map((r) => ({ prompt: r.prompt, completion: r.completion })));
  }
  const alphabet = new Set<string>(ALPHABET);
  for (const r of [...serialRows, ...aprRows]) for (const ch of r.prompt + r.completion) alphabet.add(ch);
  const tokenizer = CharTokenizer.fromAlphabet([...alphabet].sort().join(""));

  const serial = await train(flags, "serial", serialRows, tokenizer, b);
  flags.say(`serial SFT: ${serial.info.rows} rows, loss ${serial.info.finalLoss?.toFixed(3)} (${serial.info.seconds.toFixed(0)} s)`);
  const parallel = await train(flags, "parallel", aprRows, tokenizer, b);
  flags.say(`parallel SFT: ${parallel.info.rows} rows, loss ${parallel.info.finalLoss?.toFixed(3)} (${parallel.info.seconds.toFixed(0)} s)`);

  const sb = await backendFor(serial.dir);
  // room for bos and eos: a round never runs past the model's positions
  const room = CONTEXT - 2;
  const serialCurve = await evalSerial(sb, held, b.budgets, room, flags.seed);
  flags.say(`serial: ${serialCurve.map((p) => `${p.budget}:${(p.solveRate * 100).toFixed(0)}%`).join(" ")}`);
  const pb = await backendFor(parallel.dir);
  const aprCurve = await evalApr(pb, held, b.budgets, { maxThreadTokens: b.maxThreadTokens, context: room, maxChildren: DATA.sub_calls, maxDepth: DATA.max_depth }, flags.seed, flags.say);
  const oracle = oracleCurves(held, b.budgets, traceOptions(DATA), tokenizer);
  // 4 numbers, model-free: where the search is deep enough for parallelism to shorten the critical path
  const held4 = Array.from({ length: b.oracle4Problems }, (_, i) => aprProblem(EVAL_SEED, i, { ...DATA, numbers: 4 }));
  const oracle4 = [
    ...oracleCurves(held4, b.oracle4Budgets, traceOptions({ ...DATA, max_depth: 1 }), tokenizer, " (4 numbers, 1 level)"),
    ...oracleCurves(held4, b.oracle4Budgets, traceOptions({ ...DATA, max_depth: 2 }), tokenizer, " (4 numbers, 2 levels)").filter((c) => c.arm.startsWith("oracle parallel")),
  ];

  const curves = [...serialCurve, ...aprCurve, ...oracle];
  const series = (cs: readonly CurvePoint[], x: (p: CurvePoint) => number) =>
    [...new Set(cs.map((c) => c.arm))].map((a) => ({ name: a, points: cs.filter((c) => c.arm === a).map((c) => ({ x: x(c), y: c.solveRate })) }));
  const plots = ["apr-total-tokens.svg", "apr-critical-path.svg", "apr-oracle-4-numbers.svg"].map((f) => path.join(flags.out, f));
  await writeFileAtomic(plots[0], lineChartSvg(series(curves, (c) => c.budget), { title: "Countdown (3 numbers): solve rate at equal total-token budget", xLabel: "total-token budget per problem", yLabel: "solve rate", yRange: [0, 1] }));
  await writeFileAtomic(plots[1], lineChartSvg(series(curves, (c) => c.meanCriticalTokens), { title: "solve rate vs sequential (critical-path) tokens", xLabel: "mean critical-path tokens per problem", yLabel: "solve rate", yRange: [0, 1] }));
  await writeFileAtomic(plots[2], lineChartSvg(series(oracle4, (c) => c.meanCriticalTokens), { title: "generator traces, 4 numbers: solve rate vs critical-path tokens", xLabel: "mean critical-path tokens per problem", yLabel: "solve rate", yRange: [0, 1] }));
  return { markdown: report(curves, oracle4, [serial.info, parallel.info], b, flags), data: { budget: b, data: DATA, training: [serial.info, parallel.info], curves, oracle4 }, plots };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

const row = (c: CurvePoint): string =>
  `| ${c.arm} | ${c.budget} | ${pct(c.solveRate)} | ${c.meanTotalTokens.toFixed(0)} | ${c.meanCriticalTokens.toFixed(0)} | ${c.meanThreads.toFixed(1)} | ${c.meanFailedChildren.toFixed(2)} | ${c.seconds.toFixed(0)} |`;
const HEAD = ["| arm | total-token budget | solve rate | mean total tokens | mean critical-path tokens | threads | failed children | seconds |", "|---|---|---|---|---|---|---|---|"];

function report(curves: readonly CurvePoint[], oracle4: readonly CurvePoint[], training: readonly ArmTraining[], b: Budget, flags: ExperimentFlags): string {
  return [
    `# Serialized vs parallel search (APR) on Countdown${flags.quick ? " (--quick: the numbers mean little)" : ""}`,
    "",
    `\`ratio experiment apr --seed ${flags.seed}${flags.quick ? " --quick" : ""}\``,
    "",
    `Problems: countdown (sos rules), ${DATA.numbers} numbers 1..${DATA.max_value}, targets 10..${DATA.max_target}; search pruned to the best ${DATA.beam} children per node`,
    `(heuristic ≤ target). Models: tiny preset (hidden 64, 2 layers), character tokenizer, context ${CONTEXT}, trained from scratch,`,
    `${b.sftSteps} SFT steps × ${b.sftBatch} sequences, lr ${b.sftLr} (same for both). Held-out: ${b.evalProblems} problems, greedy, through the`,
    `scheduler on the builtin backend; APR: ≤ ${DATA.sub_calls} children per spawn, ${DATA.max_depth} level, ${b.maxThreadTokens} tokens per thread, fair-share total budget.`,
    "",
    "| arm | SFT rows | trained tokens | final loss | seconds |",
    "|---|---|---|---|---|",
    ...training.map((t) => `| ${t.arm} | ${t.rows} | ${t.tokens} | ${t.finalLoss === null ? "—" : t.finalLoss.toFixed(3)} | ${t.seconds.toFixed(0)} |`),
    "",
    ...HEAD,
    ...curves.map(row),
    "",
    `Generator traces only (no model), ${b.oracle4Problems} held-out problems with 4 numbers, same pruning:`,
    "",
    ...HEAD,
    ...oracle4.map(row),
    "",
  ].join("\n");
}

export const aprExperiment: Experiment = {
  name: "apr",
  description: "serialized (SoS) vs parallel (APR spawn/join) search on 3-number Countdown at equal total tokens and equal latency",
  run,
};
