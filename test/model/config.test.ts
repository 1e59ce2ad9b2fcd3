import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { freshDir } from "../fixtures/tmp.js";
import { describe, expect, it } from "vitest";
import { configToJSON, hasOBias, hasQkvBias, loadConfig, parseConfig, presetConfig } from "../../src/model/config.js";

// Abridged from Hugging Face config.json files (TinyLlama-1.1B, Qwen2-0.5B), sizes shrunk.
const LLAMA = {
  architectures: ["LlamaForCausalLM"],
  attention_bias: false,
  bos_token_id: 1,
  eos_token_id: 2,
  hidden_act: "silu",
  hidden_size: 64,
  initializer_range: 0.02,
  intermediate_size: 176,
  max_position_embeddings: 2048,
  model_type: "llama",
  num_attention_heads: 8,
  num_hidden_layers: 2,
  num_key_value_heads: 2,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  rope_theta: 10000.0,
  tie_word_embeddings: false,
  torch_dtype: "bfloat16",
  transformers_version: "4.35.0",
  use_cache: true,
  vocab_size: 100,
};
const QWEN2 = {
  architectures: ["Qwen2ForCausalLM"],
  bos_token_id: 151643,
  eos_token_id: 151643,
  hidden_act: "silu",
  hidden_size: 56,
  intermediate_size: 128,
  max_position_embeddings: 32768,
  max_window_layers: 24,
  model_type: "qwen2",
  num_attention_heads: 14,
  num_hidden_layers: 2,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 32768,
  tie_word_embeddings: true,
  torch_dtype: "bfloat16",
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

function writeJson(obj: unknown): string {
  const f = path.join(freshDir("ratio-cfg-"), "config.json");
  writeFileSync(f, typeof obj === "string" ? obj : JSON.stringify(obj));
  return f;
}

describe("LlamaConfig", () => {
  it("loads an HF Llama config, filling head_dim and keeping unknown fields on save", () => {
    const c = loadConfig(writeJson(LLAMA));
    expect(c.model_type).toBe("llama");
    expect(c.head_dim).toBe(8);
    expect(c.num_key_value_heads).toBe(2);
    expect(hasQkvBias(c)).toBe(false);
    const out = configToJSON(c);
    expect(out.pretraining_tp).toBe(1);
    expect(out.transformers_version).toBe("4.35.0");
    expect(out.rope_scaling).toBeNull();
    expect(out.torch_dtype).toBe("float32");
    expect(out.architectures).toEqual(["LlamaForCausalLM"]);
    expect(parseConfig(JSON.parse(JSON.stringify(out)))).toEqual({ ...c, torch_dtype: "float32" });
  });

  it("gives Qwen2 q/k/v biases (no attention_bias field) and no o_proj bias", () => {
    const c = parseConfig(QWEN2);
    expect(c.attention_bias).toBe(true);
    expect(hasQkvBias(c)).toBe(true);
    expect(hasOBias(c)).toBe(false);
    expect(c.head_dim).toBe(4);
    expect(c.sliding_window).toBe(32768);
    expect(hasOBias(parseConfig({ ...LLAMA, attention_bias: true }))).toBe(true);
  });

  it("infers the architecture from model_type and defaults missing fields", () => {
    const { architectures: _a, ...rest } = LLAMA;
    const c = parseConfig({ ...rest, rms_norm_eps: undefined, num_key_value_heads: undefined });
    expect(c.architectures).toEqual(["LlamaForCausalLM"]);
    expect(c.rms_norm_eps).toBe(1e-6);
    expect(c.num_key_value_heads).toBe(8);
  });

  it("reports errors naming the file and the field", () => {
    const bad = writeJson({ ...LLAMA, num_hidden_layers: "2" });
    expect(() => loadConfig(bad)).toThrow(`${bad}: field num_hidden_layers: Invalid input: expected number, received string`);
    expect(() => loadConfig(writeJson({ ...LLAMA, hidden_size: undefined }))).toThrow(/config\.json: field hidden_size/);
    expect(() => loadConfig(writeJson("{ nope"))).toThrow(/config\.json: invalid JSON/);
    expect(() => loadConfig("/nonexistent/config.json")).toThrow("/nonexistent/config.json: cannot read config (ENOENT)");
    expect(() => parseConfig({ ...LLAMA, num_key_value_heads: 3 })).toThrow(/num_key_value_heads: 3 does not divide num_attention_heads 8/);
    expect(() => parseConfig({ ...LLAMA, rope_scaling: { rope_type: "llama3", factor: 8 } })).toThrow(/field rope_scaling: .* is not supported/);
    expect(() => parseConfig({ ...LLAMA, hidden_act: "gelu" })).toThrow(/field hidden_act/);
  });

  it("rejects unknown architectures clearly", () => {
    const f = writeJson({ ...LLAMA, architectures: ["MistralForCausalLM"], model_type: "mistral" });
    expect(() => loadConfig(f)).toThrow(`${f}: architectures ["MistralForCausalLM"] is not supported (expected LlamaForCausalLM or Qwen2ForCausalLM)`);
    expect(() => parseConfig({ ...LLAMA, architectures: undefined, model_type: "gpt2" })).toThrow(/model_type "gpt2" is not supported/);
    expect(() => parseConfig({ ...LLAMA, model_type: "qwen2" })).toThrow(/does not match architectures/);
  });

  it("builds the presets from tokenizer facts", () => {
    const tiny = presetConfig("tiny", { vocab_size: 40, bos_token_id: 1, eos_token_id: 2, pad_token_id: 0 });
    expect([tiny.hidden_size, tiny.num_hidden_layers, tiny.num_attention_heads, tiny.intermediate_size, tiny.max_position_embeddings]).toEqual([64, 2, 4, 172, 128]);
    expect(tiny.vocab_size).toBe(40);
    expect(tiny.eos_token_id).toBe(2);
    const small = presetConfig("small", { vocab_size: 32 });
    expect([small.hidden_size, small.num_hidden_layers, small.num_attention_heads, small.num_key_value_heads, small.intermediate_size]).toEqual([128, 4, 4, 4, 344]);
    const medium = presetConfig("medium", { vocab_size: 32 }, { tie_word_embeddings: true });
    expect([medium.hidden_size, medium.num_hidden_layers, medium.num_attention_heads, medium.intermediate_size, medium.tie_word_embeddings]).toEqual([256, 6, 8, 688, true]);
    expect(() => presetConfig("huge" as "tiny", { vocab_size: 3 })).toThrow(/unknown model preset "huge"/);
  });
});
