// `ratio train-lm <model-dir> --data file.txt|file.jsonl`: plain next-token training with checkpoints and --resume.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { encodeSft, runSft, type SftExample } from "../algorithms/sft.js";
import { loadCheckpoint, saveCheckpoint } from "../model/checkpoint.js";
import { parseLrSchedule } from "../train/schedule.js";
import { Trainer } from "../train/trainer.js";
import { action, parseFloatFlag, parseIntFlag, printJson, UserError } from "./common.js";
import { progressBar } from "./progress.js";

/** Reads training examples: .txt → one example per non-empty line; .jsonl → {"text"} or {"prompt","completion"}. */
export function readLmData(file: string): SftExample[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const lines = text.split("\n");
  const out: SftExample[] = [];
  const jsonl = file.endsWith(".jsonl");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    if (!jsonl) return void out.push({ prompt: "", completion: line });
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new UserError(`${file}:${i + 1}: invalid JSON`);
    }
    const r = row as Record<string, unknown>;
    if (typeof r.text === "string") out.push({ prompt: "", completion: r.text });
    else if (typeof r.completion === "string") out.push({ prompt: typeof r.prompt === "string" ? r.prompt : "", completion: r.completion });
    else throw new UserError(`${file}:${i + 1}: expected a string field "text" or "completion"`);
  });
  if (out.length === 0) throw new UserError(`${file}: no examples`);
  return out;
}

interface Flags {
  data: string;
  out?: string;
  steps: number;
  batchSize: number;
  microBatchSize?: number;
  lr: number;
  warmup: number;
  schedule: string;
  weightDecay: number;
  maxGradNorm: number;
  seed: number;
  saveEvery: number;
  resume?: boolean;
  stopAfter?: number;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("train-lm")
    .description("next-token training on a text or JSONL file, with checkpoints and --resume")
    .argument("<model-dir>", "checkpoint to start from")
    .requiredOption("--data <file>", ".txt (one example per line) or .jsonl ({text} or {prompt, completion}; loss on the completion)")
    .option("--out <dir>", "where checkpoints go (default: the model directory itself)")
    .option("--steps <n>", "optimizer steps in total", parseIntFlag("--steps", 1), 200)
    .option("--batch-size <n>", "sequences per step", parseIntFlag("--batch-size", 1), 32)
    .option("--micro-batch-size <n>", "sequences per forward/backward (gradient accumulation)", parseIntFlag("--micro-batch-size", 1))
    .option("--lr <x>", "peak learning rate", parseFloatFlag("--lr", 0), 3e-3)
    .option("--warmup <n>", "linear warm-up steps", parseIntFlag("--warmup", 0), 10)
    .option("--schedule <s>", "constant | linear | warmup-cosine", "warmup-cosine")
    .option("--weight-decay <x>", "AdamW decoupled weight decay", parseFloatFlag("--weight-decay", 0), 0.01)
    .option("--max-grad-norm <x>", "global gradient-norm clip (0 = off)", parseFloatFlag("--max-grad-norm", 0), 1)
    .option("--seed <n>", "data-order seed", parseIntFlag("--seed"), 0)
    .option("--save-every <n>", "checkpoint every n steps (and at the end)", parseIntFlag("--save-every", 1), 100)
    .option("--resume", "continue from the trainer state saved in the output directory")
    .option("--stop-after <n>", "stop (with a checkpoint) after n steps of this invocation; continue later with --resume", parseIntFlag("--stop-after", 1))
    .option("--json", "print the final summary as JSON")
    .addHelpText("after", "\nExample:\n  ratio train-lm runs/toy --data data.txt --steps 300 --batch-size 32 --lr 3e-3")
    .action(action(async (dir: string, o: Flags) => {
      const examples = readLmData(o.data);
      const outDir = o.out ?? dir;
      const ck = await loadCheckpoint(o.resume ? outDir : dir);
      const ts = ck.trainerState;
      if (o.resume && !ts) throw new UserError(`${outDir}: no trainer_state to resume from`);
      if (!["constant", "linear", "warmup-cosine"].includes(o.schedule)) throw new UserError(`--schedule: expected constant, linear or warmup-cosine, got "${o.schedule}"`);
      const seed = o.resume ? Number(ts?.data?.seed ?? o.seed) : o.seed;
      const schedule = parseLrSchedule(o.resume && ts?.data?.schedule ? ts.data.schedule : { type: o.schedule, lr: o.lr, warmupSteps: o.warmup, totalSteps: o.steps }, "--schedule");
      const seqs = examples.map((ex, i) => encodeSft(ck.tokenizer, ex, ck.config.max_position_embeddings, `${o.data}: example ${i + 1}`));
      const trainer = await Trainer.create({
        config: ck.config, params: ck.params, schedule, optimizer: { weightDecay: o.weightDecay }, maxGradNorm: o.maxGradNorm,
        microBatchSize: o.microBatchSize, aggregation: "token-mean", padId: ck.tokenizer.padId, objective: { entropy: false },
      });
      if (o.resume && ts?.m && ts.v) trainer.optimizer.loadState({ step: ts.step, m: ts.m, v: ts.v });
      if (trainer.step >= o.steps) throw new UserError(`--steps ${o.steps}: the checkpoint is already at step ${trainer.step}`);
      const save = () => saveCheckpoint(outDir, {
        config: ck.config, params: ck.params, tokenizer: ck.tokenizer, generationConfig: ck.generationConfig,
        trainerState: { step: trainer.step, m: trainer.optimizer.m, v: trainer.optimizer.v, data: { seed, schedule, data: o.data } },
      });
      const bar = progressBar(o.steps, "train-lm", { enabled: !o.json });
      bar.update(trainer.step, { info: "" });
      const t0 = performance.now();
      let tokens = 0;
      const first = trainer.step;
      const until = o.stopAfter === undefined ? o.steps : Math.min(o.steps, first + o.stopAfter);
      const last = await runSft({
        trainer, sequences: seqs, steps: until, batchSize: o.batchSize, seed,
        onStep: async (s) => {
          tokens += s.tokens;
          const tps = tokens / ((performance.now() - t0) / 1000);
          bar.update(s.step, { info: `loss ${s.nll.toFixed(4)} | lr ${s.lr.toExponential(2)} | ${Math.round(tps)} tok/s` });
          if (s.step % o.saveEvery === 0 || s.step === until) await save();
        },
      });
      bar.stop();
      const seconds = (performance.now() - t0) / 1000;
      const summary = { out: outDir, steps: until, resumed_from: o.resume ? first : null, loss: last?.nll ?? null, tokens, seconds: Number(seconds.toFixed(2)), tokens_per_s: Math.round(tokens / seconds) };
      if (o.json) printJson(summary);
      else process.stdout.write(`trained ${until - first} steps (to step ${until} of ${o.steps}) in ${seconds.toFixed(1)} s: loss ${summary.loss?.toFixed(4)}, ${summary.tokens_per_s} tok/s; checkpoint ${outDir}\n`);
    }));
}
