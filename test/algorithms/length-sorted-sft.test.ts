import { describe, expect, it } from "vitest";
import { runSftSorted } from "../../src/algorithms/length-sorted-sft.js";
import { encodeSft, runSft } from "../../src/algorithms/sft.js";
import { parseConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import type { TrainSequence } from "../../src/train/batch.js";
import { Trainer } from "../../src/train/trainer.js";

const tok = CharTokenizer.fromAlphabet("abcdefgh>");
const config = parseConfig({
  model_type: "llama", hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 2, intermediate_size: 24,
  vocab_size: tok.vocabSize, max_position_embeddings: 64, bos_token_id: tok.bosId, eos_token_id: tok.eosId, pad_token_id: tok.padId,
}, "sorted sft test");
const texts = ["ab>ba", "abcdefgh>hgfedcba", "c>c", "abcd>dcba", "hh>hh", "abcdef>fedcba"];

describe("runSftSorted", () => {
  it("trains each step on runSft's batch sorted by length: the same update up to rounding, fewer padded tokens", async () => {
    const seqs = texts.map((t) => encodeSft(tok, { prompt: t.split(">")[0] + ">", completion: t.split(">")[1] }, 64));
    const train = async (sorted: boolean) => {
      const params = initParams(config, 1);
      const trainer = await Trainer.create({ config, params, schedule: { type: "constant", lr: 1e-2 }, padId: tok.padId, microBatchSize: sorted ? 2 : undefined, threads: 1 });
      const seen: number[][] = [];
      const orig = trainer.train.bind(trainer);
      trainer.train = (b: readonly TrainSequence[]) => { seen.push(b.map((s) => s.tokens.length)); return orig(b); };
      await (sorted ? runSftSorted : runSft)({ trainer, sequences: seqs, steps: 3, batchSize: 4, seed: 7 });
      return { params, seen };
    };
    const a = await train(false);
    const b = await train(true);
    for (let s = 0; s < 3; s++) {
      expect(b.seen[s]).toEqual([...a.seen[s]].sort((x, y) => x - y));
    }
    let maxDiff = 0;
    for (let i = 0; i < a.params.count; i++) maxDiff = Math.max(maxDiff, Math.abs(a.params.flat[i] - b.params.flat[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
