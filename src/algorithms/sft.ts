// Supervised fine-tuning on (prompt, completion) pairs — the SFT case of the shared objective (A = 1, ρ = 1,
// β = 0): minimize −Σ_t log π(y_t | x, y_<t) over completion tokens, token-mean over the batch.
// The data order is a pure function of (seed, step): epoch e visits the examples in the permutation drawn from
// Rng(`${seed}:epoch:${e}`), so a run resumed at step s sees exactly the batches it would have seen.
import type { Tokenizer } from "../model/tokenizer.js";
import type { TrainSequence } from "../train/batch.js";
import type { StepStats, Trainer } from "../train/trainer.js";
import { Rng } from "../util/rng.js";

export interface SftExample {
  /** context not trained on (may be empty) */
  prompt: string;
  /** trained text */
  completion: string;
}

/** [bos] + prompt + completion + [eos]; the loss covers the completion and eos. Errors name the example. */
export function encodeSft(tok: Tokenizer, ex: SftExample, contextLength: number, where = "example"): TrainSequence {
  const bos = tok.bosId !== undefined ? [tok.bosId] : [];
  const eos = tok.eosId !== undefined ? [tok.eosId] : [];
  const encode = (text: string, field: string): number[] => {
    try {
      return tok.encode(text);
    } catch (e) {
      throw new Error(`${where}: field ${field}: ${(e as Error).message}`);
    }
  };
  const prompt = [...bos, ...encode(ex.prompt, "prompt")];
  const tokens = [...prompt, ...encode(ex.completion, "completion"), ...eos];
  if (tokens.length > contextLength) throw new Error(`${where}: ${tokens.length} tokens exceed the model's context of ${contextLength}`);
  if (tokens.length < 2) throw new Error(`${where}: empty text`);
  return { tokens, start: Math.max(1, prompt.length) };
}

/** Indices of the examples in the batch of step `step` (0-based), epoch-wise shuffled by `seed`. */
export function batchIndices(count: number, batchSize: number, seed: number, step: number): number[] {
  const out: number[] = [];
  let pos = step * batchSize;
  let epoch = -1;
  let perm: number[] = [];
  while (out.length < batchSize) {
    const e = Math.floor(pos / count);
    if (e !== epoch) {
      epoch = e;
      perm = new Rng(`${seed}:epoch:${e}`).shuffle(Array.from({ length: count }, (_, i) => i));
    }
    out.push(perm[pos % count]);
    pos++;
  }
  return out;
}

export interface SftRunOptions {
  trainer: Trainer;
  sequences: readonly TrainSequence[];
  steps: number;
  batchSize: number;
  seed: number;
  /** called after every optimizer step; may be async (checkpointing, evaluation) */
  onStep?: (stats: StepStats) => void | Promise<void>;
}

/** Runs SFT from the trainer's current step up to `steps` optimizer updates. */
export async function runSft(o: SftRunOptions): Promise<StepStats | undefined> {
  let last: StepStats | undefined;
  while (o.trainer.step < o.steps) {
    const idx = batchIndices(o.sequences.length, o.batchSize, o.seed, o.trainer.step);
    last = await o.trainer.train(idx.map((i) => o.sequences[i]));
    await o.onStep?.(last);
  }
  return last;
}
