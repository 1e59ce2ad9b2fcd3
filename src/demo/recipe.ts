// The `ratio demo` recipe: STaR on n-digit addition with a model trained from scratch on 2 CPU cores. The numbers
// come from the probes recorded in docs/training.md ("STaR", "What we changed for the toy model").
import { CharTokenizer } from "../model/tokenizer.js";

/** Every character of an addition prompt, its rationalization hint line ("Answer: …") and a scratchpad. */
export const ADDITION_ALPHABET = "0123456789 +,:\\nCIATnputargescwh<>/";

export function additionTokenizer(): CharTokenizer {
  return CharTokenizer.fromSpec(`chars:${ADDITION_ALPHABET}`);
}

export interface DemoRecipe {
  /** the model: Llama with these sizes, context 256 (a 5-digit scratchpad with its hinted prompt is ~220 tokens) */
  model: { hidden_size: number; num_hidden_layers: number; num_attention_heads: number; intermediate_size: number; max_position_embeddings: number };
  /** (a) SFT on gold scratchpads */
  sft: {
    /** gold examples of 1–2 digit sums */
    examples: number;
    /** extra gold examples of 3…maxDigits sums (a few rationale examples of every length; 0: none) */
    longExamples: number;
    /** fraction of the gold examples shown with the rationalization hint in the prompt (teaches the hint format) */
    hintFraction: number;
    steps: number;
    batchSize: number;
    lr: number;
    warmupSteps: number;
    minLr: number;
    beta2: number;
  };
  /** (b) STaR */
  star: {
    iterations: number;
    problemsPerIteration: number;
    /** fine-tune from the previous iteration's model (false: from the SFT model, as STaR) */
    continue: boolean;
    startSteps: number;
    addSteps: number;
    batchSize: number;
    /** constant after warm-up: a fresh AdamW at 1e-3 wrecks the converged SFT model within a few steps */
    lr: number;
    warmupSteps: number;
    temperature: number;
    rationalizationSamples: number;
    rationalizationTemperature: number;
  };
  /** (c) GRPO: 0 steps skips the stage */
  grpo: { steps: number; batchSize: number; numGenerations: number; lr: number };
  /** held-out problems per digit count; final maj@k samples */
  eval: { perDigits: number; k: number };
  maxDigits: number;
  /** sequences per forward/backward (batches are sorted by length, so short ones are padded less) */
  microBatchSize: number;
}

export const FULL_RECIPE: DemoRecipe = {
  model: { hidden_size: 128, num_hidden_layers: 3, num_attention_heads: 4, intermediate_size: 344, max_position_embeddings: 256 },
  sft: { examples: 2000, longExamples: 0, hintFraction: 0.1, steps: 700, batchSize: 32, lr: 3e-3, warmupSteps: 20, minLr: 3e-4, beta2: 0.99 },
  star: { iterations: 3, problemsPerIteration: 160, continue: false, startSteps: 40, addSteps: 20, batchSize: 32, lr: 1e-4, warmupSteps: 10, temperature: 0, rationalizationSamples: 1, rationalizationTemperature: 0 },
  grpo: { steps: 5, batchSize: 8, numGenerations: 8, lr: 1e-4 },
  eval: { perDigits: 20, k: 4 },
  maxDigits: 5,
  microBatchSize: 8,
};

/** `--quick`: the same pipeline in well under a minute (an end-to-end test; the numbers mean little): FULL_RECIPE,
 * smaller and shorter. */
export const QUICK_RECIPE: DemoRecipe = {
  ...FULL_RECIPE,
  model: { ...FULL_RECIPE.model, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64 },
  sft: { ...FULL_RECIPE.sft, examples: 200, steps: 30, batchSize: 16, warmupSteps: 5 },
  star: { ...FULL_RECIPE.star, iterations: 2, problemsPerIteration: 16, startSteps: 4, addSteps: 2, batchSize: 8, warmupSteps: 2 },
  grpo: { ...FULL_RECIPE.grpo, steps: 2, batchSize: 2, numGenerations: 2 },
  eval: { perDigits: 3, k: 2 },
};
