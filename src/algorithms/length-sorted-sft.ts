// SFT steps whose batches are sorted by sequence length before the step: with micro-batches (Trainer
// microBatchSize), each micro-batch is padded only to its own longest sequence, so a batch mixing 40- and
// 200-token scratchpads costs far less. The update is the one of the unsorted batch up to float rounding (the
// token-mean weights are computed over the whole step); the batch contents are runSft's (batchIndices).
import type { StepStats } from "../train/trainer.js";
import { batchIndices, type SftRunOptions } from "./sft.js";

/** runSft with every batch sorted by length (ties by index): from the trainer's step up to `steps` updates. */
export async function runSftSorted(o: SftRunOptions): Promise<StepStats | undefined> {
  let last: StepStats | undefined;
  while (o.trainer.step < o.steps) {
    const idx = batchIndices(o.sequences.length, o.batchSize, o.seed, o.trainer.step);
    idx.sort((a, b) => o.sequences[a].tokens.length - o.sequences[b].tokens.length || a - b);
    last = await o.trainer.train(idx.map((i) => o.sequences[i]));
    await o.onStep?.(last);
  }
  return last;
}
