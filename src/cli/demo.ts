// `ratio demo`: trains a tiny Llama from scratch to reverse short strings, showing accuracy rise and samples.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { encodeSft } from "../algorithms/sft.js";
import { saveCheckpoint } from "../model/checkpoint.js";
import { presetConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { Generator } from "../sampling/generate.js";
import { reverseCorrect, reverseExample, REVERSE_VOCAB, type ReverseExample } from "../toy/reverse.js";
import { Trainer } from "../train/trainer.js";
import { writeFileAtomic } from "../util/atomic.js";
import { lineChartSvg } from "../util/plot.js";
import { action, parseIntFlag, printJson } from "./common.js";
import { progressBar } from "./progress.js";

const EVAL_SEED = 1_000_003; // held-out examples come from a different seed than training
const EVAL_SIZE = 100;

interface Flags {
  steps: number;
  batchSize: number;
  evalEvery: number;
  seed: number;
  out: string;
  json?: boolean;
}

async function accuracy(gen: Generator, evalSet: ReverseExample[]): Promise<{ acc: number; outputs: string[] }> {
  const out = await gen.generate(evalSet.map((e) => e.prompt), { temperature: 0, maxTokens: 10 });
  const outputs = out.map((c) => c.text);
  const acc = outputs.filter((t, i) => reverseCorrect(evalSet[i], t)).length / evalSet.length;
  return { acc, outputs };
}

export function register(program: Command): void {
  program
    .command("demo")
    .description("train a tiny model from scratch to reverse strings (about a minute on a laptop CPU)")
    .option("--steps <n>", "training steps", parseIntFlag("--steps", 1), 500)
    .option("--batch-size <n>", "sequences per step", parseIntFlag("--batch-size", 1), 64)
    .option("--eval-every <n>", "evaluate greedy accuracy every n steps", parseIntFlag("--eval-every", 1), 50)
    .option("--seed <n>", "seed for initialization and data", parseIntFlag("--seed"), 0)
    .option("--out <dir>", "run directory", "runs/demo")
    .option("--json", "print the summary as one JSON object")
    .addHelpText("after", "\nExample:\n  ratio demo --steps 300 --out runs/demo")
    .action(action(async (o: Flags) => {
      const say = (s: string) => { if (!o.json) process.stdout.write(s + "\n"); };
      const tokenizer = CharTokenizer.fromSpec(REVERSE_VOCAB);
      const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId });
      const params = initParams(config, o.seed);
      say(`Ratio demo: training a ${params.count.toLocaleString("en-US")}-parameter Llama (tiny preset) from scratch to reverse strings like "abcd>" → "dcba".`);
      mkdirSync(o.out, { recursive: true });
      const metricsFile = path.join(o.out, "metrics.jsonl");
      writeFileSync(metricsFile, "");
      const trainer = await Trainer.create({
        config, params, schedule: { type: "warmup-cosine", lr: 3e-3, warmupSteps: 20, totalSteps: o.steps, minLr: 3e-4 },
        optimizer: { weightDecay: 0.01 }, maxGradNorm: 1, padId: tokenizer.padId, objective: { entropy: false },
      });
      const gen = await Generator.create({ config, params, tokenizer });
      const evalSet = Array.from({ length: EVAL_SIZE }, (_, i) => reverseExample(EVAL_SEED, i));
      const curve: { step: number; accuracy: number; loss: number }[] = [];
      const bar = progressBar(o.steps, "training", { enabled: !o.json });
      const t0 = performance.now();
      let loss = NaN;
      const evaluate = async (step: number) => {
        const { acc } = await accuracy(gen, evalSet);
        curve.push({ step, accuracy: acc, loss });
        appendFileSync(metricsFile, JSON.stringify({ step, accuracy: acc, loss: Number.isNaN(loss) ? null : loss }) + "\n");
        return acc;
      };
      let acc = await evaluate(0);
      for (let step = 0; step < o.steps; step++) {
        const batch = Array.from({ length: o.batchSize }, (_, i) => reverseExample(o.seed, step * o.batchSize + i));
        const seqs = batch.map((ex) => encodeSft(tokenizer, { prompt: ex.prompt, completion: ex.answer }, config.max_position_embeddings));
        const s = await trainer.train(seqs);
        loss = s.nll;
        if (s.step % o.evalEvery === 0 || s.step === o.steps) acc = await evaluate(s.step);
        bar.update(s.step, { info: `loss ${loss.toFixed(3)} | accuracy ${(acc * 100).toFixed(0)}%` });
      }
      bar.stop();
      const seconds = (performance.now() - t0) / 1000;
      const final = await accuracy(gen, evalSet);
      await saveCheckpoint(path.join(o.out, "model"), { config, params, tokenizer, trainerState: { step: trainer.step, m: trainer.optimizer.m, v: trainer.optimizer.v, data: { seed: o.seed, task: "reverse" } } });
      const plot = path.join(o.out, "plots", "accuracy.svg");
      mkdirSync(path.dirname(plot), { recursive: true });
      await writeFileAtomic(plot, lineChartSvg([{ name: "greedy exact match (100 held-out strings)", points: curve.map((c) => ({ x: c.step, y: c.accuracy })) }], {
        title: "ratio demo: reversing strings", xLabel: "training step", yLabel: "accuracy", yRange: [0, 1],
      }));
      const samples = evalSet.slice(0, 6).map((e, i) => ({ prompt: e.prompt, output: final.outputs[i], correct: reverseCorrect(e, final.outputs[i]) }));
      const summary = { steps: o.steps, seconds: Number(seconds.toFixed(1)), accuracy: final.acc, loss, curve, samples, model: path.join(o.out, "model"), metrics: metricsFile, plot };
      if (o.json) return printJson(summary);
      say("\naccuracy on 100 held-out strings (greedy decoding):");
      for (const c of curve) say(`  step ${String(c.step).padStart(4)}  ${"█".repeat(Math.round(c.accuracy * 40)).padEnd(40, "·")} ${(c.accuracy * 100).toFixed(0).padStart(3)}%`);
      say("\nsamples:");
      for (const s of samples) say(`  ${s.prompt.padEnd(10)} → ${s.output.padEnd(9)} ${s.correct ? "✓" : "✗"}`);
      say(`\nTrained ${o.steps} steps in ${seconds.toFixed(0)} s: accuracy ${(curve[0].accuracy * 100).toFixed(0)}% → ${(final.acc * 100).toFixed(0)}%, loss ${loss.toFixed(3)}.`);
      say(`Saved the model to ${summary.model} (a Hugging Face checkpoint: try \`ratio sample ${summary.model} --prompt abcd> --temperature 0\`), the curve to ${metricsFile} and a plot to ${plot}.`);
    }));
}
