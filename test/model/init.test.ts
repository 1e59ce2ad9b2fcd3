import { describe, expect, it } from "vitest";
import { presetConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";

function stats(a: Float32Array): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  for (const x of a) {
    s += x;
    s2 += x * x;
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean) };
}

describe("initParams", () => {
  const config = presetConfig("small", { vocab_size: 32 });

  it("draws N(0, 0.02) matrices, residual projections scaled by 1/sqrt(2L), norms 1", () => {
    const p = initParams(config, 1);
    const q = stats(p.get("model.layers.0.self_attn.q_proj.weight"));
    expect(Math.abs(q.mean)).toBeLessThan(0.001);
    expect(q.std).toBeCloseTo(0.02, 3);
    const up = stats(p.get("model.layers.2.mlp.up_proj.weight"));
    expect(up.std).toBeCloseTo(0.02, 3);
    const expected = 0.02 / Math.sqrt(2 * 4);
    expect(stats(p.get("model.layers.1.self_attn.o_proj.weight")).std).toBeCloseTo(expected, 3);
    expect(stats(p.get("model.layers.3.mlp.down_proj.weight")).std).toBeCloseTo(expected, 3);
    expect(p.get("model.layers.0.input_layernorm.weight").every((x) => x === 1)).toBe(true);
    expect(p.get("model.norm.weight").every((x) => x === 1)).toBe(true);
  });

  it("is seeded: same seed same bits, other seed other values", () => {
    const bytes = (seed: number) => Buffer.from(initParams(config, seed).flat.buffer);
    const a = bytes(3);
    expect(a.equals(bytes(3))).toBe(true);
    expect(a.equals(bytes(4))).toBe(false);
  });

  it("zeroes biases and keeps a tensor's values independent of the other tensors", () => {
    const qwen = presetConfig("tiny", { vocab_size: 20 }, { architectures: ["Qwen2ForCausalLM"], model_type: "qwen2", tie_word_embeddings: true });
    const p = initParams(qwen, 5);
    expect(p.get("model.layers.0.self_attn.k_proj.bias").every((x) => x === 0)).toBe(true);
    const untied = initParams(presetConfig("tiny", { vocab_size: 20 }, { architectures: ["Qwen2ForCausalLM"], model_type: "qwen2" }), 5);
    expect(untied.get("model.embed_tokens.weight")).toEqual(p.get("model.embed_tokens.weight"));
  });
});
