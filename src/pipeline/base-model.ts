// The pipeline's initial model: an existing checkpoint, or a fresh preset with a character vocabulary —
// explicit (`vocab: chars:…`) or derived (`vocab: auto`) from every text the run will show the model: the tasks'
// prompts, gold rationales, answers and rationalization hints (training and held-out examples), template stop
// strings, and the JSONL files stages train on. The auto vocabulary also has <unk>, so a rare character in a
// prompt beyond the scanned examples cannot stop a run.
import { readDataset } from "../run/dataset.js";
import type { RunDir } from "../run/run-dir.js";
import { saveCheckpoint } from "../model/checkpoint.js";
import { presetConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { BASE, type Pipeline } from "./spec.js";
import { EVAL_INDEX_OFFSET, type PipelineTask } from "./tasks.js";

/** Training and held-out examples scanned per task for the auto vocabulary (beyond those stages name). */
export const VOCAB_SCAN = 256;

/** The sorted distinct characters of everything the pipeline's model reads or writes. */
export function autoAlphabet(p: Pipeline): string {
  const chars = new Set<string>();
  const add = (text: string) => {
    for (const ch of text) chars.add(ch);
  };
  const scan = (task: PipelineTask, offset: number, count: number) => {
    for (let i = 0; i < count; i++) for (const t of task.texts(task.example(offset + i))) add(t);
  };
  for (const task of p.tasks.values()) {
    scan(task, 0, VOCAB_SCAN);
    scan(task, EVAL_INDEX_OFFSET, VOCAB_SCAN);
  }
  for (const s of p.stages) {
    for (const d of s.data ?? []) {
      if (d.from === "task") scan(p.tasks.get(d.task) as PipelineTask, d.offset, d.n);
      if (d.from === "file") for (const r of readDataset(d.file).rows) add(r.prompt + r.completion);
    }
    const evalTask = s.task !== undefined ? p.tasks.get(s.task) : undefined;
    const o = s.options as { n?: unknown; offset?: unknown };
    if (evalTask && s.type === "eval") scan(evalTask, typeof o.offset === "number" ? o.offset : EVAL_INDEX_OFFSET, typeof o.n === "number" ? o.n : VOCAB_SCAN);
  }
  return [...chars].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0)).join("");
}

/** The tokenizer of a preset model. */
export function pipelineTokenizer(p: Pipeline): CharTokenizer {
  if (p.model.from !== "preset") throw new Error("pipelineTokenizer: the pipeline starts from a checkpoint");
  if (p.model.vocab !== "auto") return CharTokenizer.fromSpec(p.model.vocab);
  const alphabet = autoAlphabet(p);
  if (alphabet === "") throw new Error(`${p.file}: model.vocab auto: the tasks and data have no text to take characters from (declare tasks, or give vocab: chars:…)`);
  return CharTokenizer.fromAlphabet(alphabet, { unk: true });
}

/**
 * The base model's checkpoint directory: the given checkpoint, or a new preset model initialized with the
 * pipeline's seed and saved to checkpoints/base/final.
 */
export async function prepareBaseModel(p: Pipeline, run: RunDir): Promise<string> {
  if (p.model.from === "checkpoint") return p.model.dir;
  const tokenizer = pipelineTokenizer(p);
  const config = presetConfig(p.model.preset, { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, p.model.overrides);
  const dir = run.checkpointDir(BASE, "final");
  await saveCheckpoint(dir, { config, params: initParams(config, p.seed), tokenizer });
  return dir;
}
