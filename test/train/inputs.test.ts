// Invalid training inputs are rejected before anything runs, with the sequence index and position: token ids
// outside the vocabulary (−1 used to train silently through Gather's negative indexing; 99 failed inside
// onnxruntime), non-integer ids, sequences longer than the context, and a step without trained tokens.
import { describe, expect, it } from "vitest";
import type { TrainSequence } from "../../src/train/batch.js";
import { tokenLogprobs } from "../../src/train/score.js";
import { Trainer } from "../../src/train/trainer.js";
import { config, freshParams, sameBits, sftData, tokenizer, trainerOptions } from "../llama/train-data.js";

/** Two valid sequences, then sequence 2 with `bad` at position 3. */
function withToken(bad: number): TrainSequence[] {
  const seqs = sftData(3, 11);
  const tokens = [...seqs[2].tokens];
  tokens[3] = bad;
  return [seqs[0], seqs[1], { ...seqs[2], tokens }];
}

const V = config.vocab_size; // 12
const CONTEXT = config.max_position_embeddings; // 32

const CASES: [string, TrainSequence[], string][] = [
  ["a negative id", withToken(-1), `sequence 2, position 3: token id -1 is outside the vocabulary (0…${V - 1})`],
  ["an id ≥ vocab_size", withToken(99), `sequence 2, position 3: token id 99 is outside the vocabulary (0…${V - 1})`],
  ["an id = vocab_size", withToken(V), `sequence 2, position 3: token id ${V} is outside the vocabulary (0…${V - 1})`],
  ["a fractional id", withToken(2.5), "sequence 2, position 3: token id 2.5 is not an integer"],
  ["a NaN id", withToken(NaN), "sequence 2, position 3: token id NaN is not an integer"],
  [
    "a sequence longer than the context",
    [sftData(1, 1)[0], { tokens: [tokenizer.bosId!, ...Array.from({ length: CONTEXT }, (_, j) => 3 + (j % 9))] }],
    `sequence 1: ${CONTEXT + 1} tokens exceed the model's context of ${CONTEXT} (max_position_embeddings)`,
  ],
];

describe("training inputs", () => {
  it("a sequence as long as the context is accepted", async () => {
    const trainer = await Trainer.create(trainerOptions(freshParams()));
    const stats = await trainer.train([{ tokens: [tokenizer.bosId!, ...Array.from({ length: CONTEXT - 1 }, (_, j) => 3 + (j % 9))] }]);
    expect(stats.tokens).toBe(CONTEXT - 1);
  });

  for (const [label, seqs, message] of CASES) {
    it(`train, accumulate and tokenLogprobs reject ${label}, leaving the parameters unchanged`, async () => {
      const params = freshParams();
      const trainer = await Trainer.create(trainerOptions(params));
      await expect(trainer.train(seqs)).rejects.toThrow(message);
      await expect(trainer.accumulate(seqs)).rejects.toThrow(message);
      await expect(trainer.logprobs(seqs)).rejects.toThrow(message);
      await expect(tokenLogprobs(seqs, { config, params })).rejects.toThrow(message);
      expect(trainer.step).toBe(0);
      expect(sameBits(params.flat, freshParams().flat)).toBe(true);
    });
  }

  it("a step without trained tokens is an error (all masks 0, or start past the end)", async () => {
    const trainer = await Trainer.create(trainerOptions(freshParams()));
    const seqs = sftData(3, 5);
    const masked = seqs.map((s) => ({ ...s, mask: s.tokens.map(() => 0) }));
    await expect(trainer.train(masked)).rejects.toThrow("no trained tokens in the step's 3 sequences: every mask entry is 0");
    await expect(trainer.accumulate(seqs.map((s) => ({ ...s, start: s.tokens.length })))).rejects.toThrow(/^no trained tokens/);
    // one trained token anywhere is enough
    const one = masked.map((s, i) => (i === 1 ? { ...s, mask: s.tokens.map((_, j) => (j === 2 ? 1 : 0)) } : s));
    expect((await trainer.train(one)).tokens).toBe(1);
    // scoring needs no trained tokens
    expect((await trainer.logprobs(masked)).logp).toHaveLength(3);
  });

  it("a pad id outside the vocabulary is rejected", async () => {
    const trainer = await Trainer.create(trainerOptions(freshParams(), { padId: V }));
    await expect(trainer.train(sftData(2, 1))).rejects.toThrow(`pad id ${V} is outside the vocabulary (0…${V - 1})`);
  });
});
