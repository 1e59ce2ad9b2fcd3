// Llama / Qwen2 model configuration with Hugging Face field names (transformers LlamaConfig, Qwen2Config), so a
// config.json written here loads in transformers and an HF config.json loads here. Unknown fields are kept.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { jsonErrorMessage } from "./tokenizer.js";

export const ARCHITECTURES = { llama: "LlamaForCausalLM", qwen2: "Qwen2ForCausalLM" } as const;
export type ModelType = keyof typeof ARCHITECTURES;

/** Defaults of transformers' LlamaConfig where a field is absent (Qwen2Config uses the same ones we rely on). */
const DEFAULT_RMS_NORM_EPS = 1e-6;
const DEFAULT_ROPE_THETA = 10000;
const DEFAULT_INITIALIZER_RANGE = 0.02;
const DEFAULT_MAX_POSITIONS = 2048;

const posInt = z.number().int().positive();
const tokenId = z.number().int().nonnegative();

/** The config.json schema. Loose: fields we do not model (rope_scaling: null, use_cache, …) are preserved. */
export const LlamaConfigSchema = z
  .looseObject({
    architectures: z.array(z.string()).optional(),
    model_type: z.enum(["llama", "qwen2"]).optional(),
    hidden_size: posInt,
    intermediate_size: posInt,
    num_hidden_layers: posInt,
    num_attention_heads: posInt,
    num_key_value_heads: posInt.optional(),
    head_dim: posInt.optional(),
    vocab_size: posInt,
    max_position_embeddings: posInt.default(DEFAULT_MAX_POSITIONS),
    rms_norm_eps: z.number().positive().default(DEFAULT_RMS_NORM_EPS),
    rope_theta: z.number().positive().default(DEFAULT_ROPE_THETA),
    tie_word_embeddings: z.boolean().default(false),
    attention_bias: z.boolean().optional(),
    initializer_range: z.number().positive().default(DEFAULT_INITIALIZER_RANGE),
    hidden_act: z.literal("silu").default("silu"),
    bos_token_id: tokenId.nullable().optional(),
    eos_token_id: z.union([tokenId, z.array(tokenId)]).nullable().optional(),
    pad_token_id: tokenId.nullable().optional(),
    torch_dtype: z.string().nullable().optional(),
  })
  .superRefine((c, ctx) => {
    const unsupported: [string, boolean][] = [
      ["rope_scaling", c.rope_scaling !== undefined && c.rope_scaling !== null],
      ["mlp_bias", c.mlp_bias === true],
      ["use_sliding_window", c.use_sliding_window === true],
    ];
    for (const [field, bad] of unsupported) {
      if (bad) ctx.addIssue({ code: "custom", path: [field], message: `${JSON.stringify(c[field])} is not supported (only plain RoPE, no MLP bias, full attention)` });
    }
  });

/** A resolved config: every field the model needs is present (defaults filled in); extra HF fields are kept. */
export interface LlamaConfig {
  architectures: string[];
  model_type: ModelType;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
  max_position_embeddings: number;
  rms_norm_eps: number;
  rope_theta: number;
  tie_word_embeddings: boolean;
  /** Whether q/k/v projections have a bias (always true for Qwen2; for Llama it also gives o_proj a bias). */
  attention_bias: boolean;
  initializer_range: number;
  hidden_act: "silu";
  bos_token_id?: number | null;
  eos_token_id?: number | number[] | null;
  pad_token_id?: number | null;
  torch_dtype?: string | null;
  [extra: string]: unknown;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join(".") : "(root)";
  return `field ${field}: ${issue.message}`;
}

function resolveModelType(raw: Record<string, unknown>, source: string): ModelType {
  const archs = raw.architectures;
  const fromArch = Array.isArray(archs)
    ? (Object.keys(ARCHITECTURES) as ModelType[]).find((t) => archs.includes(ARCHITECTURES[t]))
    : undefined;
  const declared = raw.model_type;
  if (Array.isArray(archs) && fromArch === undefined) {
    throw new Error(`${source}: architectures ${JSON.stringify(archs)} is not supported (expected ${Object.values(ARCHITECTURES).join(" or ")})`);
  }
  if (declared !== undefined && declared !== "llama" && declared !== "qwen2") {
    throw new Error(`${source}: model_type ${JSON.stringify(declared)} is not supported (expected "llama" or "qwen2")`);
  }
  if (fromArch !== undefined && declared !== undefined && fromArch !== declared) {
    throw new Error(`${source}: model_type "${declared}" does not match architectures ${JSON.stringify(archs)}`);
  }
  return fromArch ?? (declared as ModelType | undefined) ?? "llama";
}

/** Validates a parsed config.json object; `source` (a path) prefixes every error. */
export function parseConfig(raw: unknown, source = "config.json"): LlamaConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${source}: expected a JSON object`);
  const modelType = resolveModelType(raw as Record<string, unknown>, source);
  const parsed = LlamaConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues.map(formatIssue).join("; ")}`);
  const c = parsed.data;
  const heads = c.num_attention_heads;
  const kvHeads = c.num_key_value_heads ?? heads;
  if (c.head_dim === undefined && c.hidden_size % heads !== 0) {
    throw new Error(`${source}: field hidden_size: ${c.hidden_size} is not divisible by num_attention_heads ${heads} (set head_dim)`);
  }
  if (heads % kvHeads !== 0) throw new Error(`${source}: field num_key_value_heads: ${kvHeads} does not divide num_attention_heads ${heads}`);
  return {
    ...c,
    architectures: [ARCHITECTURES[modelType]],
    model_type: modelType,
    num_key_value_heads: kvHeads,
    head_dim: c.head_dim ?? c.hidden_size / heads,
    attention_bias: modelType === "qwen2" ? true : (c.attention_bias ?? false),
  };
}

/** Reads and validates config.json; errors name the file and the field. */
export function loadConfig(file: string): LlamaConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read config (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: invalid JSON (${jsonErrorMessage(e)})`);
  }
  return parseConfig(raw, file);
}

/** The object written as config.json: HF fields (unknown ones included), weights declared as float32. */
export function configToJSON(config: LlamaConfig): Record<string, unknown> {
  return { ...config, torch_dtype: "float32" };
}

/** Whether q/k/v_proj carry a bias: Qwen2 always (transformers Qwen2Attention), Llama when attention_bias. */
export function hasQkvBias(config: LlamaConfig): boolean {
  return config.model_type === "qwen2" || config.attention_bias;
}

/** Whether o_proj carries a bias: only Llama with attention_bias (transformers LlamaAttention); Qwen2 never. */
export function hasOBias(config: LlamaConfig): boolean {
  return config.model_type === "llama" && config.attention_bias;
}

export type PresetName = "tiny" | "small" | "medium";

/** Sizes of the built-in presets; `small` is the benchmark's reference size (docs/benchmarks.md). */
export const PRESETS: Record<PresetName, { hidden_size: number; num_hidden_layers: number; num_attention_heads: number; intermediate_size: number; max_position_embeddings: number }> = {
  tiny: { hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 172, max_position_embeddings: 128 },
  small: { hidden_size: 128, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 344, max_position_embeddings: 128 },
  medium: { hidden_size: 256, num_hidden_layers: 6, num_attention_heads: 8, intermediate_size: 688, max_position_embeddings: 256 },
};

/** Token facts a preset takes from the tokenizer. */
export interface PresetTokens {
  vocab_size: number;
  bos_token_id?: number;
  eos_token_id?: number;
  pad_token_id?: number;
}

/** A Llama config of a preset size; `overrides` may change any field (validated like a loaded config). */
export function presetConfig(name: PresetName, tokens: PresetTokens, overrides: Record<string, unknown> = {}): LlamaConfig {
  const size = PRESETS[name];
  if (size === undefined) throw new Error(`unknown model preset "${name}" (expected ${Object.keys(PRESETS).join(", ")})`);
  return parseConfig(
    {
      architectures: [ARCHITECTURES.llama],
      model_type: "llama",
      ...size,
      num_key_value_heads: size.num_attention_heads,
      rms_norm_eps: 1e-5,
      rope_theta: DEFAULT_ROPE_THETA,
      tie_word_embeddings: false,
      attention_bias: false,
      initializer_range: DEFAULT_INITIALIZER_RANGE,
      hidden_act: "silu",
      torch_dtype: "float32",
      ...tokens,
      ...overrides,
    },
    `preset ${name}`,
  );
}
