// `ratio train-lm <model-dir> --data file.txt|file.jsonl`: plain next-token training with checkpoints and --resume
// (the run's settings are saved and checked on resume: train-lm-settings.ts).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { encodeSft, runSft, type SftExample } from "../algorithms/sft.js";
import { loadCheckpoint, OPTIMIZER_FILE, saveCheckpoint, STATE_FILE, TRAINER_STATE_DIR, unsafeCheckpointTarget } from "../model/checkpoint.js";
import { parseLrSchedule } from "../train/schedule.js";
import { Trainer } from "../train/trainer.js";
import { action, parseFloatFlag, parseIntFlag, printJson, UserError, errnoReason } from "./common.js";
import { progressBar } from "./progress.js";
import {
  parseOverrides, readSavedRun, resolveRunSettings, RUN_FLAGS, TRAIN_LM_OBJECTIVE, type RunFlag, type RunFlagValues,
} from "./train-lm-settings.js";

/**
 * Reads training examples: .txt → one example per non-empty line; .jsonl → {"text"} or {"prompt","completion"};
 * .json → an array of such objects. CRLF line endings are accepted. Errors name the file and line (or element).
 */
export function readLmData(file: string): (SftExample & { where: string })[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UserError(`${file}: cannot read (${errnoReason(e)})`);
  }
  const out: (SftExample & { where: string })[] = [];
  const fromRecord = (row: unknown, where: string) => {
    const r = row as Record<string, unknown>;
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new UserError(`${where}: expected a JSON object with a string field "text" or "completion"`);
    if (typeof r.text === "string") out.push({ prompt: "", completion: r.text, where });
    else if (typeof r.completion === "string") {
      if (r.prompt !== undefined && typeof r.prompt !== "string") throw new UserError(`${where}: field prompt: expected a string`);
      out.push({ prompt: (r.prompt as string | undefined) ?? "", completion: r.completion, where });
    } else throw new UserError(`${where}: expected a string field "text" or "completion"`);
  };
  if (file.endsWith(".json")) {
    let rows: unknown;
    try {
      rows = JSON.parse(text);
    } catch (e) {
      throw new UserError(`${file}: invalid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(rows)) throw new UserError(`${file}: expected a JSON array of {"text"} or {"prompt", "completion"} objects (or use .jsonl / .txt)`);
    rows.forEach((r, i) => fromRecord(r, `${file}: element ${i}`));
  } else {
    const jsonl = file.endsWith(".jsonl");
    text.split("\n").forEach((raw, i) => {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line.trim() === "") return;
      const where = `${file}:${i + 1}`;
      if (!jsonl) return void out.push({ prompt: "", completion: line, where });
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new UserError(`${where}: invalid JSON`);
      }
      fromRecord(row, where);
    });
  }
  if (out.length === 0) throw new UserError(`${file}: no examples`);
  return out;
}

interface Flags {
  data?: string;
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
  override?: string;
  stopAfter?: number;
  json?: boolean;
}

/** Commander's attribute name of each saved flag. */
const ATTRIBUTE: Record<RunFlag, keyof Flags> = {
  steps: "steps", "batch-size": "batchSize", "micro-batch-size": "microBatchSize", data: "data", schedule: "schedule",
  lr: "lr", warmup: "warmup", "weight-decay": "weightDecay", "max-grad-norm": "maxGradNorm", seed: "seed",
};

export function register(program: Command): void {
  program
    .command("train-lm")
    .description("next-token training on a text or JSONL file, with checkpoints and --resume")
    .argument("<model-dir>", "checkpoint to start from")
    .option("--data <file>", ".txt (one example per line) or .jsonl ({text} or {prompt, completion}; loss on the completion); required unless --resume")
    .option("--out <dir>", "where checkpoints go (default: the model directory itself); an existing directory must be a checkpoint or empty")
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
    .option("--resume", "continue the run saved in the output directory: flags not given take their saved values")
    .option("--override <flags>", `with --resume: settings that may differ from the saved run, comma-separated (${RUN_FLAGS.join(", ")})`)
    .option("--stop-after <n>", "stop (with a checkpoint) after n steps of this invocation; continue later with --resume", parseIntFlag("--stop-after", 1))
    .option("--json", "print the final summary as JSON")
    .addHelpText("after", [
      "",
      "Examples:",
      "  ratio init runs/toy --preset tiny --vocab 'chars:0123456789+= '",
      "  printf '1+2=3\\n12+30=42\\n7+8=15\\n' > data.txt                # one example per line",
      "  ratio train-lm runs/toy --data data.txt --steps 300 --batch-size 32 --lr 3e-3",
      "  ratio train-lm runs/toy --resume --steps 600 --override steps   # extend the run",
    ].join("\n"))
    .action(action(async (dir: string, o: Flags, cmd: Command) => {
      const outDir = o.out ?? dir;
      const overrides = parseOverrides(o.override);
      if (overrides.size > 0 && !o.resume) throw new UserError("--override applies only with --resume");
      if (!o.resume && o.data === undefined) throw new UserError("--data <file> is required (unless --resume)");
      if (!["constant", "linear", "warmup-cosine"].includes(o.schedule)) throw new UserError(`--schedule: expected constant, linear or warmup-cosine, got "${o.schedule}"`);
      const unsafe = unsafeCheckpointTarget(outDir);
      if (unsafe !== null) throw new UserError(`${o.out === undefined ? "" : "--out "}${outDir}: ${unsafe}${o.out === undefined ? " (give --out <dir>)" : ""}`);
      const ck = await loadCheckpoint(o.resume ? outDir : dir);
      const ts = ck.trainerState;
      const stateDir = path.join(outDir, TRAINER_STATE_DIR);
      if (o.resume && !ts) throw new UserError(`${outDir}: no trainer_state to resume from`);
      // never restart silently: resuming without the AdamW moments would continue at step 0 on trained weights
      if (o.resume && !(ts?.m && ts.v)) throw new UserError(`${path.join(stateDir, OPTIMIZER_FILE)}: missing; --resume needs the optimizer state (start a new run from these weights without --resume)`);
      const given = new Set(RUN_FLAGS.filter((f) => cmd.getOptionValueSource(ATTRIBUTE[f]) === "cli"));
      const values: RunFlagValues = {
        steps: o.steps, "batch-size": o.batchSize, "micro-batch-size": o.microBatchSize ?? null, data: o.data ?? "", schedule: o.schedule,
        lr: o.lr, warmup: o.warmup, "weight-decay": o.weightDecay, "max-grad-norm": o.maxGradNorm, seed: o.seed,
      };
      const saved = o.resume ? readSavedRun(ts?.data, path.join(stateDir, STATE_FILE)) : undefined;
      const { settings, changes } = resolveRunSettings({ values, given, overrides, resume: saved && ts ? { saved, step: ts.step } : undefined });
      const history = [...(saved?.changes ?? []), ...changes];
      const examples = readLmData(settings.data);
      const schedule = parseLrSchedule({ type: settings.schedule, lr: settings.lr, warmupSteps: settings.warmup, totalSteps: settings.steps }, "--schedule");
      const seqs = examples.map((ex) => encodeSft(ck.tokenizer, ex, ck.config.max_position_embeddings, ex.where));
      const trainer = await Trainer.create({
        config: ck.config, params: ck.params, schedule, optimizer: { weightDecay: settings["weight-decay"] }, maxGradNorm: settings["max-grad-norm"],
        microBatchSize: settings["micro-batch-size"] ?? undefined, aggregation: TRAIN_LM_OBJECTIVE.aggregation, padId: ck.tokenizer.padId, objective: { entropy: false },
      });
      if (o.resume && ts?.m && ts.v) trainer.optimizer.loadState({ step: ts.step, m: ts.m, v: ts.v });
      const steps = settings.steps;
      if (trainer.step >= steps) throw new UserError(`--steps ${steps}: the checkpoint is already at step ${trainer.step}`);
      const save = () => saveCheckpoint(outDir, {
        config: ck.config, params: ck.params, tokenizer: ck.tokenizer, generationConfig: ck.generationConfig,
        trainerState: { step: trainer.step, m: trainer.optimizer.m, v: trainer.optimizer.v, data: { settings, changes: history, lr_schedule: schedule } },
      });
      if (!o.json) for (const c of changes) process.stdout.write(`--override ${c.setting}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} from step ${c.step}\n`);
      const bar = progressBar(steps, "train-lm", { enabled: !o.json });
      bar.update(trainer.step, { info: "" });
      const t0 = performance.now();
      let tokens = 0;
      const first = trainer.step;
      const until = o.stopAfter === undefined ? steps : Math.min(steps, first + o.stopAfter);
      const last = await runSft({
        trainer, sequences: seqs, steps: until, batchSize: settings["batch-size"], seed: settings.seed,
        onStep: async (s) => {
          tokens += s.tokens;
          const tps = tokens / ((performance.now() - t0) / 1000);
          bar.update(s.step, { info: `loss ${s.nll.toFixed(4)} | lr ${s.lr.toExponential(2)} | ${Math.round(tps)} tok/s` });
          if (s.step % o.saveEvery === 0 || s.step === until) await save();
        },
      });
      bar.stop();
      const seconds = (performance.now() - t0) / 1000;
      const summary = {
        out: outDir, steps: until, resumed_from: o.resume ? first : null, loss: last?.nll ?? null, tokens, seconds: Number(seconds.toFixed(2)),
        tokens_per_s: Math.round(tokens / seconds), changes,
      };
      if (o.json) printJson(summary);
      else process.stdout.write(`trained ${until - first} steps (to step ${until} of ${steps}) in ${seconds.toFixed(1)} s: loss ${summary.loss?.toFixed(4)}, ${summary.tokens_per_s} tok/s; checkpoint ${outDir}\n`);
    }));
}
