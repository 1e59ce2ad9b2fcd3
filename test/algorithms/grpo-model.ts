// A tiny Llama for the GRPO tests: a character tokenizer over the multiple-choice task's prompts ("Which number is
// the largest?" with two choices), where a one-letter completion is scored by the task: reward 1 for the gold label.
import { parseConfig, type LlamaConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import type { ParamStore } from "../../src/model/params.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { RunDir } from "../../src/run/run-dir.js";
import { quietContext, type StageContext } from "../../src/run/stage.js";
import { freshDir } from "../fixtures/tmp.js";

/** Labels, digits and the layout characters; the words of the question map to <unk>. */
export const tokenizer = CharTokenizer.fromAlphabet("AB()0123456789:\n ", { unk: true });

export const config: LlamaConfig = parseConfig(
  {
    model_type: "llama", hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1,
    intermediate_size: 32, vocab_size: tokenizer.vocabSize, max_position_embeddings: 80, rms_norm_eps: 1e-5,
    bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId,
  },
  "grpo test config",
);

export const freshParams = (): ParamStore => initParams(config, 11);

export const model = () => ({ config, params: freshParams(), tokenizer });

/** Options of a short GRPO run on two-choice questions: one-token completions, the gold label scores 1. */
export const TINY_GRPO = {
  task: "multiple-choice",
  task_options: { numChoices: 2, maxValue: 10 },
  steps: 4,
  batch_size: 4,
  num_generations: 8,
  max_completion_length: 1,
  learning_rate: 3e-2,
  save_every: 2,
  log_samples: 2,
} as const;

/** A quiet stage context on a fresh run directory. */
export function freshContext(stage = "grpo", o: Partial<StageContext> = {}): StageContext {
  const run = RunDir.open(freshDir("ratio-grpo-"), { seed: 0 });
  return quietContext(run, stage, 0, o);
}
