// Input checks for training and scoring: every token id an integer in [0, vocab_size), no sequence longer than the
// model's context, a pad id inside the vocabulary. Without them an id of −1 trains silently (Gather counts negative
// indices from the end of the table), an id ≥ vocab_size fails deep inside onnxruntime, and a sequence longer than
// max_position_embeddings trains on positions the model was never built for.
import type { LlamaConfig } from "../model/config.js";
import type { TrainSequence } from "./batch.js";

/** Throws an Error naming the sequence (and position) of the first invalid token, or an over-long sequence. */
export function checkSequences(seqs: readonly TrainSequence[], config: LlamaConfig, padId?: number): void {
  const V = config.vocab_size;
  const contextLength = config.max_position_embeddings;
  if (padId !== undefined && (!Number.isInteger(padId) || padId < 0 || padId >= V)) throw new Error(`pad id ${padId} is outside the vocabulary (0…${V - 1})`);
  seqs.forEach((s, i) => {
    const tokens = s.tokens;
    if (tokens.length > contextLength) throw new Error(`sequence ${i}: ${tokens.length} tokens exceed the model's context of ${contextLength} (max_position_embeddings)`);
    for (let j = 0; j < tokens.length; j++) {
      const id = tokens[j];
      if (!Number.isInteger(id)) throw new Error(`sequence ${i}, position ${j}: token id ${id} is not an integer`);
      if (id < 0 || id >= V) throw new Error(`sequence ${i}, position ${j}: token id ${id} is outside the vocabulary (0…${V - 1})`);
    }
  });
}
