import { describe, expect, it } from "vitest";
import { parseConfig, presetConfig } from "../../src/model/config.js";
import { countParams, ParamStore, paramSpecs, zerosLike } from "../../src/model/params.js";

describe("paramSpecs", () => {
  it("lists the HF names and [out, in] shapes of a Llama model (benchmark model: 799,872 params)", () => {
    const c = presetConfig("small", { vocab_size: 32 });
    const specs = paramSpecs(c);
    expect(specs.length).toBe(1 + 4 * 9 + 2);
    expect(specs.slice(0, 11).map((s) => [s.name, s.shape])).toEqual([
      ["model.embed_tokens.weight", [32, 128]],
      ["model.layers.0.input_layernorm.weight", [128]],
      ["model.layers.0.self_attn.q_proj.weight", [128, 128]],
      ["model.layers.0.self_attn.k_proj.weight", [128, 128]],
      ["model.layers.0.self_attn.v_proj.weight", [128, 128]],
      ["model.layers.0.self_attn.o_proj.weight", [128, 128]],
      ["model.layers.0.post_attention_layernorm.weight", [128]],
      ["model.layers.0.mlp.gate_proj.weight", [344, 128]],
      ["model.layers.0.mlp.up_proj.weight", [344, 128]],
      ["model.layers.0.mlp.down_proj.weight", [128, 344]],
      ["model.layers.1.input_layernorm.weight", [128]],
    ]);
    expect(specs.slice(-2).map((s) => [s.name, s.shape])).toEqual([
      ["model.norm.weight", [128]],
      ["lm_head.weight", [32, 128]],
    ]);
    expect(countParams(c)).toBe(799_872); // docs/benchmarks.md, the reference size
  });

  it("handles Qwen2: grouped KV heads, q/k/v biases, tied head", () => {
    const c = parseConfig({
      architectures: ["Qwen2ForCausalLM"], hidden_size: 56, intermediate_size: 128, num_hidden_layers: 1,
      num_attention_heads: 14, num_key_value_heads: 2, vocab_size: 50, tie_word_embeddings: true,
    });
    const byName = Object.fromEntries(paramSpecs(c).map((s) => [s.name, s]));
    expect(byName["model.layers.0.self_attn.q_proj.weight"].shape).toEqual([56, 56]);
    expect(byName["model.layers.0.self_attn.k_proj.weight"].shape).toEqual([8, 56]);
    expect(byName["model.layers.0.self_attn.v_proj.bias"].shape).toEqual([8]);
    expect(byName["model.layers.0.self_attn.q_proj.bias"].shape).toEqual([56]);
    expect(byName["model.layers.0.self_attn.o_proj.bias"]).toBeUndefined();
    expect(byName["lm_head.weight"]).toBeUndefined();
    expect(byName["model.layers.0.self_attn.q_proj.bias"].decay).toBe(false);
    expect(byName["model.layers.0.input_layernorm.weight"].decay).toBe(false);
    expect(byName["model.embed_tokens.weight"].decay).toBe(true);
    expect(byName["model.layers.0.mlp.down_proj.weight"].decay).toBe(true);
  });

  it("uses head_dim when it differs from hidden/heads", () => {
    const c = parseConfig({ hidden_size: 64, intermediate_size: 96, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 32, vocab_size: 10 });
    const byName = Object.fromEntries(paramSpecs(c).map((s) => [s.name, s.shape]));
    expect(byName["model.layers.0.self_attn.q_proj.weight"]).toEqual([128, 64]);
    expect(byName["model.layers.0.self_attn.k_proj.weight"]).toEqual([64, 64]);
    expect(byName["model.layers.0.self_attn.o_proj.weight"]).toEqual([64, 128]);
  });
});

describe("ParamStore", () => {
  const specs = [
    { name: "w", shape: [2, 3], decay: true },
    { name: "b", shape: [3], decay: false },
    { name: "n", shape: [2], decay: false },
    { name: "e", shape: [2, 2], decay: true },
  ];

  it("holds every tensor as a zero-copy view of one flat array", () => {
    const s = new ParamStore(specs);
    expect(s.count).toBe(15);
    expect(s.names).toEqual(["w", "b", "n", "e"]);
    expect(s.shapes.b).toEqual([3]);
    s.get("b")[1] = 7;
    expect(s.flat[7]).toBe(7);
    expect(s.get("w").buffer).toBe(s.flat.buffer);
    expect(s.views[3]).toBe(s.get("e"));
    expect(s.offsets.e).toBe(11);
    expect(() => s.get("x")).toThrow("ParamStore: no parameter named x");
    expect(() => new ParamStore(specs, new Float32Array(3))).toThrow(/flat array has 3 elements, specs need 15/);
    expect(() => new ParamStore([...specs, specs[0]])).toThrow(/duplicate parameter w/);
  });

  it("makes zeros-like stores, clones and merged decay segments", () => {
    const s = new ParamStore(specs);
    s.flat.fill(2);
    const z = zerosLike(s);
    expect(z.names).toEqual(s.names);
    expect(z.flat.every((x) => x === 0)).toBe(true);
    const c = s.clone();
    c.flat[0] = 9;
    expect(s.flat[0]).toBe(2);
    expect(s.decaySegments()).toEqual([
      { start: 0, end: 6, decay: true },
      { start: 6, end: 11, decay: false },
      { start: 11, end: 15, decay: true },
    ]);
  });
});
