// A tiny model that has memorized a few (prompt → completion) pairs, for tests that need a policy whose samples
// are (mostly) known: trained from scratch at a high learning rate until greedy decoding reproduces every pair.
import { encodeSft, type SftExample } from "../../src/algorithms/sft.js";
import type { PolicyModel } from "../../src/algorithms/model-input.js";
import { parseConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { Generator } from "../../src/sampling/generate.js";
import { Trainer } from "../../src/train/trainer.js";

/** Every character an addition prompt, hint line or scratchpad uses. */
export const ADDITION_CHARS = "0123456789 +,:\\nCIATnputargescwh<>/";

export async function memorizedModel(pairs: readonly SftExample[], o: { maxSteps?: number; seed?: number; context?: number } = {}): Promise<PolicyModel> {
  const tokenizer = CharTokenizer.fromSpec(`chars:${ADDITION_CHARS}`);
  const config = parseConfig({
    model_type: "llama", hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 2, intermediate_size: 64,
    vocab_size: tokenizer.vocabSize, max_position_embeddings: o.context ?? 128, rms_norm_eps: 1e-5, rope_theta: 10000,
    bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId,
  }, "memorized test model");
  const params = initParams(config, o.seed ?? 0);
  const trainer = await Trainer.create({ config, params, schedule: { type: "constant", lr: 1e-2 }, padId: tokenizer.padId, objective: { entropy: false }, threads: 1 });
  const seqs = pairs.map((p) => encodeSft(tokenizer, p, config.max_position_embeddings));
  const gen = await Generator.create({ config, params, tokenizer, threads: 1 });
  const maxSteps = o.maxSteps ?? 400;
  while (trainer.step < maxSteps) {
    const s = await trainer.train(seqs);
    if (s.step % 25 === 0 && s.nll < 0.05) {
      const out = await gen.generate(pairs.map((p) => p.prompt), { temperature: 0, maxTokens: Math.max(...pairs.map((p) => p.completion.length)) + 2 });
      if (out.every((c, i) => c.text === pairs[i].completion)) return { config, params, tokenizer };
    }
  }
  throw new Error(`memorizedModel: not memorized after ${maxSteps} steps`);
}
