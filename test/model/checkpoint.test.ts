import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { freshDir } from "../fixtures/tmp.js";
import { describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint } from "../../src/model/checkpoint.js";
import { presetConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import { ParamStore, paramSpecs, zerosLike } from "../../src/model/params.js";
import { readSafetensors, writeSafetensors } from "../../src/model/safetensors.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { Rng } from "../../src/util/rng.js";
import { pythonFixtureDir } from "../fixtures/python-fixture.js";

/** Above Linux's largest pid_max (2^22): no process has it. */
const DEAD_PID = 4_194_999;
const fresh = () => freshDir("ratio-ckpt-");
const tokenizer = CharTokenizer.fromAlphabet("0123456789+-= ");
const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: 1, eos_token_id: 2, pad_token_id: 0 });
const sameBits = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function withMoments(params: ParamStore, seed: number): { m: ParamStore; v: ParamStore } {
  const rng = new Rng(seed);
  const m = zerosLike(params);
  const v = zerosLike(params);
  for (let i = 0; i < m.count; i++) {
    m.flat[i] = rng.normal();
    v.flat[i] = rng.uniform();
  }
  return { m, v };
}

describe("checkpoints", () => {
  it("round-trips config, params (bit-identical), tokenizer and trainer state in the HF layout", async () => {
    const dir = path.join(fresh(), "step-10");
    const params = initParams(config, 7);
    const rng = new Rng(3);
    rng.normal();
    const data = { rng: rng.getState(), schedule: { type: "warmup-cosine", lr: 1e-3 }, epoch: 2 };
    await saveCheckpoint(dir, { config, params, tokenizer, trainerState: { step: 10, ...withMoments(params, 1), data } });
    expect(readdirSync(dir).sort()).toEqual(["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "trainer_state"]);
    expect(readdirSync(path.join(dir, "trainer_state")).sort()).toEqual(["optimizer.safetensors", "state.json"]);
    const cfgJson = JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8"));
    expect(cfgJson.architectures).toEqual(["LlamaForCausalLM"]);
    expect(cfgJson.torch_dtype).toBe("float32");
    expect(JSON.parse(readFileSync(path.join(dir, "generation_config.json"), "utf8"))).toEqual({ bos_token_id: 1, eos_token_id: 2, pad_token_id: 0 });
    expect((await readSafetensors(path.join(dir, "model.safetensors"))).metadata).toEqual({ format: "pt" });

    const back = await loadCheckpoint(dir);
    expect(back.config).toEqual({ ...config, torch_dtype: "float32" });
    expect(back.params.names).toEqual(params.names);
    expect(sameBits(back.params.flat, params.flat)).toBe(true);
    expect(back.tokenizer.encode("12+3=15")).toEqual(tokenizer.encode("12+3=15"));
    expect(back.unexpected).toEqual([]);
    const ts = back.trainerState!;
    expect(ts.step).toBe(10);
    expect(ts.data).toEqual(JSON.parse(JSON.stringify(data)));
    const { m, v } = withMoments(params, 1);
    expect(sameBits(ts.m!.flat, m.flat) && sameBits(ts.v!.flat, v.flat)).toBe(true);
    expect(Rng.fromState(ts.data!.rng as ReturnType<Rng["getState"]>).normal()).toBe(rng.normal());
  });

  it("keeps the old checkpoint intact when a save fails midway", async () => {
    const dir = path.join(fresh(), "latest");
    const params = initParams(config, 1);
    await saveCheckpoint(dir, { config, params, tokenizer, trainerState: { step: 1 } });
    const before = readFileSync(path.join(dir, "model.safetensors"));
    // m without v makes the trainer-state writer throw after the model files are already written.
    const broken = { config, params: initParams(config, 2), tokenizer, trainerState: { step: 2, m: zerosLike(params) } };
    await expect(saveCheckpoint(dir, broken)).rejects.toThrow(/needs both m and v/);
    expect(readFileSync(path.join(dir, "model.safetensors")).equals(before)).toBe(true);
    expect(readdirSync(path.dirname(dir))).toEqual(["latest"]);
    expect((await loadCheckpoint(dir)).trainerState?.step).toBe(1);
  });

  it("validates tensors: missing, wrong shape, unexpected; names files", async () => {
    const dir = path.join(fresh(), "c");
    const params = initParams(config, 1);
    await saveCheckpoint(dir, { config, params, tokenizer });
    const weights = path.join(dir, "model.safetensors");
    const tensors = params.specs.map((s) => [s.name, { shape: s.shape, data: params.get(s.name) }] as [string, { shape: number[]; data: Float32Array }]);

    await writeSafetensors(weights, [...tensors, ["extra.buffer", { shape: [1], data: new Float32Array(1) }]]);
    expect((await loadCheckpoint(dir)).unexpected).toEqual(["extra.buffer"]);

    await writeSafetensors(weights, tensors.filter(([n]) => n !== "lm_head.weight" && n !== "model.norm.weight"));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`${weights}: missing tensor model.norm.weight, lm_head.weight`);

    const q = "model.layers.1.self_attn.q_proj.weight";
    await writeSafetensors(weights, tensors.map(([n, t]) => (n === q ? [n, { shape: [32, 128], data: t.data }] : [n, t])));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`${weights}: tensor ${q} has shape [32,128], expected [64,64]`);

    rmSync(weights);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/missing model\.safetensors/);
    rmSync(path.join(dir, "config.json"));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`${path.join(dir, "config.json")}: missing`);
    await expect(loadCheckpoint(path.join(dir, "nope"))).rejects.toThrow(/checkpoint directory does not exist/);
    writeFileSync(path.join(dir, "file.txt"), "x");
    await expect(loadCheckpoint(path.join(dir, "file.txt"))).rejects.toThrow(`${path.join(dir, "file.txt")}: not a directory (expected a checkpoint directory`);
    await expect(saveCheckpoint(dir, { config: { ...config, vocab_size: 99 }, params, tokenizer })).rejects.toThrow(/parameter layout does not match the config/);
  });

  it("finishes a save killed between its two renames when the checkpoint is loaded", async () => {
    const parent = fresh();
    const dir = path.join(parent, "model");
    await saveCheckpoint(dir, { config, params: initParams(config, 1), tokenizer });
    await saveCheckpoint(path.join(parent, "next"), { config, params: initParams(config, 2), tokenizer });
    // what writeDirAtomic leaves when its process (here a pid that cannot exist) dies after moving `dir` aside
    renameSync(dir, path.join(parent, `.model.old-${DEAD_PID}-0000abcd`));
    renameSync(path.join(parent, "next"), path.join(parent, `.model.tmp-${DEAD_PID}-0000abcd`));
    expect((await loadCheckpoint(dir)).params.flat).toEqual(initParams(config, 2).flat);
    expect(readdirSync(parent)).toEqual(["model"]);
  });

  it("loads an HF checkpoint written independently (BF16, tied embeddings, extra buffers)", async () => {
    const { dir: src } = pythonFixtureDir();
    const dir = fresh();
    for (const f of ["config.json", "model.safetensors"]) copyFileSync(path.join(src, f), path.join(dir, f));
    const tok = CharTokenizer.fromAlphabet("abc");
    writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(tok.toJSON()));
    const ck = await loadCheckpoint(dir);
    expect(ck.config.tie_word_embeddings).toBe(true);
    expect(ck.config.num_key_value_heads).toBe(1);
    expect(ck.config.use_cache).toBe(true);
    expect(ck.params.has("lm_head.weight")).toBe(false);
    expect(ck.unexpected).toEqual(["model.layers.0.self_attn.rotary_emb.inv_freq"]);
    expect(ck.generationConfig).toEqual({ bos_token_id: 1, eos_token_id: 2 });
    expect(ck.trainerState).toBeUndefined();
    // The writer fills element k of an n-element tensor with ((37k + n) mod 17 − 8) / 16.
    for (const spec of paramSpecs(ck.config)) {
      const t = ck.params.get(spec.name);
      const expected = Float32Array.from(t, (_, k) => (((k * 37 + t.length) % 17) - 8) / 16);
      expect(sameBits(t, expected), spec.name).toBe(true);
    }
    expect(ck.params.shapes["model.layers.0.self_attn.k_proj.weight"]).toEqual([2, 4]);
    // Saving it again writes a Ratio checkpoint that loads identically.
    const out = path.join(fresh(), "resaved");
    await saveCheckpoint(out, ck);
    const again = await loadCheckpoint(out);
    expect(sameBits(again.params.flat, ck.params.flat)).toBe(true);
    expect(again.config.transformers_version).toBe("4.46.0");
    expect(existsSync(path.join(out, "trainer_state"))).toBe(false);
  });
});
