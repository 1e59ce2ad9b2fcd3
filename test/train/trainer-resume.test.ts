// Resuming from a checkpoint (HF weights + trainer_state with AdamW moments and step) continues training exactly
// as if it had never stopped; damaged checkpoints fail with messages that name the file (and tensor or field).
import { readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckpoint, OPTIMIZER_FILE, saveCheckpoint, STATE_FILE, TOKENIZER_FILE, TRAINER_STATE_DIR } from "../../src/model/checkpoint.js";
import { zerosLike } from "../../src/model/params.js";
import { writeSafetensors } from "../../src/model/safetensors.js";
import { Trainer } from "../../src/train/trainer.js";
import { freshDir } from "../fixtures/tmp.js";
import { config, freshParams, GRPO_OBJECTIVE, rlData, sameBits, sftData, tokenizer, trainerOptions, withLogprobs } from "../llama/train-data.js";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function savedAfterTwoSteps(dir: string, objective = {}, data = sftData(6, 7)) {
  const params = freshParams();
  const trainer = await Trainer.create(trainerOptions(params, { objective, microBatchSize: 4 }));
  for (let s = 0; s < 2; s++) await trainer.train(data);
  const { step, m, v } = trainer.optimizer.state();
  await saveCheckpoint(dir, { config, params, tokenizer, trainerState: { step, m, v, data: { seed: 7 } } });
  return { params, trainer };
}

describe("checkpoint resume", () => {
  for (const [label, objective, data] of [
    ["SFT", {}, sftData(6, 7)],
    ["GRPO", GRPO_OBJECTIVE, undefined],
  ] as const) {
    it(`${label}: 2 steps, save, load, restore AdamW, step 3 = 3 uninterrupted steps (bit-identical)`, async () => {
      const seqs = data ?? (await withLogprobs(rlData(6, 8), freshParams(), 8));
      const straight = freshParams();
      const t = await Trainer.create(trainerOptions(straight, { objective, microBatchSize: 4 }));
      for (let s = 0; s < 3; s++) await t.train(seqs);

      const dir = path.join(freshDir("ratio-resume-"), "step-2");
      await savedAfterTwoSteps(dir, objective, seqs);
      const ck = await loadCheckpoint(dir);
      const state = ck.trainerState!;
      expect(state.step).toBe(2);
      expect(state.data).toEqual({ seed: 7 });
      const resumed = await Trainer.create(trainerOptions(ck.params, { objective, microBatchSize: 4 }));
      resumed.optimizer.loadState({ step: state.step, m: state.m!, v: state.v! });
      const last = await resumed.train(seqs);
      expect(last.step).toBe(3);
      expect(sameBits(ck.params.flat, straight.flat)).toBe(true);
      expect(sameBits(resumed.optimizer.m.flat, t.optimizer.m.flat)).toBe(true);
      expect(sameBits(resumed.optimizer.v.flat, t.optimizer.v.flat)).toBe(true);
    });
  }

  it("restoring the step but not the moments gives a different third step (the check above is not vacuous)", async () => {
    const seqs = sftData(6, 7);
    const straight = freshParams();
    const t = await Trainer.create(trainerOptions(straight, { microBatchSize: 4 }));
    for (let s = 0; s < 3; s++) await t.train(seqs);
    const dir = path.join(freshDir("ratio-resume-"), "step-2");
    await savedAfterTwoSteps(dir, {}, seqs);
    const ck = await loadCheckpoint(dir);
    const fresh = await Trainer.create(trainerOptions(ck.params, { microBatchSize: 4 }));
    fresh.optimizer.loadState({ step: 2, m: zerosLike(ck.params), v: zerosLike(ck.params) });
    await fresh.train(seqs);
    expect(sameBits(ck.params.flat, straight.flat)).toBe(false);
  });
});

describe("damaged checkpoints", () => {
  async function saved(): Promise<string> {
    const dir = path.join(freshDir("ratio-bad-"), "ck");
    await savedAfterTwoSteps(dir);
    return dir;
  }

  it("truncated model.safetensors names the file and a tensor", async () => {
    const dir = await saved();
    const file = path.join(dir, "model.safetensors");
    truncateSync(file, readFileSync(file).length - 10);
    await expect(loadCheckpoint(dir)).rejects.toThrow(new RegExp(`^${escape(file)}: tensor [\\w.]+: data_offsets \\[\\d+, \\d+\\] out of range .*file truncated\\?`));
  });

  it("missing tokenizer.json names the file", async () => {
    const dir = await saved();
    rmSync(path.join(dir, TOKENIZER_FILE));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`${path.join(dir, TOKENIZER_FILE)}: missing`);
  });

  it("truncated or mis-shaped optimizer state names the file and the tensor", async () => {
    const dir = await saved();
    const file = path.join(dir, TRAINER_STATE_DIR, OPTIMIZER_FILE);
    const bytes = readFileSync(file);
    truncateSync(file, bytes.length - 4);
    await expect(loadCheckpoint(dir)).rejects.toThrow(new RegExp(`^${escape(file)}: tensor v\\.[\\w.]+: data_offsets .*file truncated\\?`));

    const params = freshParams();
    const norm = "model.layers.0.input_layernorm.weight";
    const moments = (prefix: string) => params.specs.map((s) => [prefix + s.name, { shape: prefix === "v." && s.name === norm ? [2, s.shape[0] / 2] : s.shape, data: params.get(s.name) }] as [string, { shape: number[]; data: Float32Array }]);
    await writeSafetensors(file, [...moments("m."), ...moments("v.")]);
    await expect(loadCheckpoint(dir)).rejects.toThrow(`${file}: tensor v.${norm} has shape [2,8], expected [16]`);
    await writeSafetensors(file, moments("m."));
    await expect(loadCheckpoint(dir)).rejects.toThrow(new RegExp(`^${escape(file)}: missing tensor v\\.model\\.embed_tokens\\.weight`));
  });

  it("a bad trainer_state/state.json names the file and the field", async () => {
    const dir = await saved();
    const file = path.join(dir, TRAINER_STATE_DIR, STATE_FILE);
    writeFileSync(file, JSON.stringify({ step: -1 }));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`${file}: field step: expected a non-negative integer`);
    writeFileSync(file, "{");
    await expect(loadCheckpoint(dir)).rejects.toThrow(new RegExp(`^${escape(file)}: invalid JSON`));
  });
});
