// A small model and training data for the Trainer tests (test/train/trainer*.test.ts): sequences of different
// lengths (so micro-batches pad differently), prompt masks, ± advantages, behaviour / reference log-probs for GRPO.
import { parseConfig, type LlamaConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import type { ParamStore } from "../../src/model/params.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import type { TrainSequence } from "../../src/train/batch.js";
import { Trainer, type TrainerOptions } from "../../src/train/trainer.js";
import { Rng } from "../../src/util/rng.js";

/** <pad>, <bos>, <eos> and 9 letters: vocab 12 */
export const tokenizer = CharTokenizer.fromAlphabet("abcdefghi");

export const config: LlamaConfig = parseConfig(
  {
    model_type: "llama", hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
    intermediate_size: 32, vocab_size: tokenizer.vocabSize, max_position_embeddings: 32, rms_norm_eps: 1e-5,
    bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId,
  },
  "trainer test config",
);

export const freshParams = (): ParamStore => initParams(config, 3);

/** `count` sequences of 4…13 tokens; the first `start` tokens (1…3) are prompt. */
export function sftData(count: number, seed: number): TrainSequence[] {
  const rng = new Rng(`sft-data:${seed}`);
  return Array.from({ length: count }, () => {
    const len = 4 + rng.int(10);
    const tokens = [tokenizer.bosId!, ...Array.from({ length: len - 1 }, () => 3 + rng.int(9))];
    return { tokens, start: 1 + rng.int(3) };
  });
}

/** SFT sequences with one advantage of either sign each and an explicit mask with holes. */
export function rlData(count: number, seed: number): TrainSequence[] {
  const rng = new Rng(`rl-data:${seed}`);
  return sftData(count, seed).map((s, i) => ({
    tokens: s.tokens,
    mask: s.tokens.map((_, j) => (j >= (s.start ?? 1) && rng.uniform() < 0.85 ? 1 : 0)),
    advantage: (i % 2 === 0 ? 1 : -1) * (0.5 + rng.uniform()),
  }));
}

/** Adds behaviour log-probs = current log-probs − noise (ratios ≠ 1, some clipped) and reference log-probs. */
export async function withLogprobs(seqs: TrainSequence[], params: ParamStore, seed: number): Promise<TrainSequence[]> {
  const t = await Trainer.create({ config, params, schedule: { type: "constant", lr: 0 } });
  const { logp } = await t.logprobs(seqs);
  const rng = new Rng(`logprobs:${seed}`);
  return seqs.map((s, i) => ({
    ...s,
    oldLogp: Array.from(logp[i], (v, j) => (j === 0 ? 0 : v - rng.normal(0, 0.3))),
    refLogp: Array.from(logp[i], (v, j) => (j === 0 ? 0 : v + rng.normal(0, 0.3))),
  }));
}

export const GRPO_OBJECTIVE = { oldLogp: "input", beta: 0.05, kl: "k3", epsLow: 0.2, epsHigh: 0.28 } as const;

export function trainerOptions(params: ParamStore, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    config, params, padId: tokenizer.padId,
    schedule: { type: "warmup-cosine", lr: 3e-3, warmupSteps: 1, totalSteps: 10, minLr: 3e-4 },
    optimizer: { weightDecay: 0.1 },
    maxGradNorm: 1,
    ...extra,
  };
}

/** Whether two float32 arrays hold the same bits. */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** max |a − b| / max |b| */
export function relDiff(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 1e-12;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}
