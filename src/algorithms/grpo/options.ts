// GRPO options: one strict zod schema (YAML pipelines, the library, the experiment), named as TRL's GRPOConfig
// where TRL has the option. Every field has a default; docs/training.md ("GRPO") lists them beside TRL's and verl's
// defaults. Ours differ where a from-scratch toy model on 2 CPU cores needs it (learning rate, batch, lengths).
import { z } from "zod";
import { buildRewardSpecs, rewardConfigSchema } from "../../rewards/registry.js";
import { hashString } from "../../util/rng.js";
import { SCALE_REWARDS } from "./advantages.js";
import { parseStageOptions } from "../stage-options.js";

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();

/** Our default learning rate: TRL's 1e-6 is for pretrained billion-parameter models; a 100k-parameter model fresh
 * from a short SFT needs updates ~100× larger to move within a few hundred steps (docs/training.md, "GRPO"). */
export const GRPO_DEFAULT_LR = 1e-4;

export const grpoOptionsSchema = z.strictObject({
  task: z.string().default("addition").describe("task that generates and scores the problems (see `ratio tasks list`)"),
  task_options: z.record(z.string(), z.unknown()).default({}).describe("options of the task's generator, e.g. { minDigits: 1, maxDigits: 2 }"),
  dataset: z
    .strictObject({
      path: z.string().min(1).describe("JSONL, JSON or parquet file of problems"),
      preset: z.string().default("plain").describe("field layout: plain, gsm8k, math, commonsenseqa, countdown"),
      fields: z.record(z.string(), z.string()).default({}).describe("logical field → record path, e.g. { question: problem }"),
    })
    .nullable()
    .default(null)
    .describe("read the problems from a file instead of generating them (the task still scores them); null: task.generate"),
  problem_seed: z.number().int().nullable().default(null).describe("seed of the generated training problems (task.generate); null: the stage seed"),
  template: z.string().nullable().default(null).describe("prompt template (r1, star, l1-exact, l1-max, …); null: the task's native prompt"),
  open_think: z.boolean().default(false).describe("end the prompt with the template's thinking-start delimiter"),
  budget_range: z
    .tuple([posInt, posInt])
    .nullable()
    .default(null)
    .describe("l1-exact / l1-max templates: each problem's token budget (LCPO n_gold) is drawn uniformly from [min, max] and rendered into the prompt"),
  rewards: z
    .array(rewardConfigSchema)
    .min(1)
    .default([{ name: "correctness", weight: 1 }])
    .describe("weighted rewards by registry name: [{ name: correctness }, { name: format, weight: 0.5 }, { name: overlong, options: { cacheLength: 16 } }]"),

  steps: posInt.default(100).describe("GRPO steps (each: generate, score, num_iterations optimizer updates)"),
  batch_size: posInt.default(8).describe("prompts per step, B (verl's train_batch_size; TRL counts completions instead)"),
  num_generations: z.number().int().min(2).default(8).describe("completions per prompt, G (TRL num_generations, verl rollout.n)"),
  max_completion_length: posInt.default(96).describe("new tokens at most per completion (TRL max_completion_length)"),
  temperature: z.number().positive("expected a number > 0 (0 is greedy decoding: the G completions of a prompt would be identical, so every advantage is 0)").default(1).describe("sampling temperature"),
  top_p: z.number().gt(0).max(1).default(1).describe("nucleus sampling; 1 disables"),
  top_k: nonNegInt.default(0).describe("top-k sampling; 0 disables"),
  max_batch: posInt.default(64).describe("sequences decoded together (bounds the KV cache's memory; results do not depend on it)"),

  learning_rate: z.number().positive().default(GRPO_DEFAULT_LR).describe("peak AdamW learning rate (TRL 1e-6; ours is for tiny from-scratch models)"),
  lr_scheduler_type: z.enum(["constant", "linear", "cosine"]).default("constant").describe("constant (verl), linear decay (TRL's default), cosine"),
  warmup_steps: nonNegInt.default(0).describe("optimizer updates of linear warm-up"),
  min_lr: z.number().nonnegative().default(0).describe("floor of the linear / cosine decay"),
  weight_decay: z.number().nonnegative().default(0).describe("AdamW decoupled weight decay (TRL 0, verl 0.01)"),
  adam_beta1: z.number().min(0).lt(1).default(0.9).describe("AdamW β1"),
  adam_beta2: z.number().min(0).lt(1).default(0.999).describe("AdamW β2"),
  max_grad_norm: z.number().nonnegative().default(1).describe("global gradient-norm clip; 0 disables"),
  micro_batch_size: posInt.nullable().default(null).describe("sequences per forward/backward call (gradient accumulation); null: the whole step at once"),

  beta: z.number().nonnegative().default(0).describe("KL coefficient β to the frozen initial model; 0 keeps no reference (TRL ≥ 0.19 default)"),
  kl_estimator: z.enum(["k1", "k2", "k3"]).default("k3").describe("per-token KL estimator (TRL and verl low_var_kl use k3)"),
  epsilon_low: z.number().positive().lt(1).default(0.2).describe("clip range below 1 (PPO ε; TRL epsilon)"),
  epsilon_high: z.number().positive().default(0.2).describe("clip range above 1 (DAPO clip-higher uses 0.28)"),
  num_iterations: posInt.default(1).describe("optimizer updates per generated batch, μ (>1 uses the clipped ratio to the old log-probs)"),
  loss_type: z.enum(["grpo", "bnpo", "dr_grpo", "dapo"]).default("dapo").describe("loss aggregation as TRL's loss_type (docs/training.md, Loss aggregation)"),
  scale_rewards: z.enum(SCALE_REWARDS as unknown as ["group", "batch", "none"]).default("group").describe("advantage scale: group std, batch std, or none (Dr. GRPO)"),
  mask_truncated_completions: z.boolean().default(false).describe("exclude completions cut at max_completion_length from the loss (TRL, DAPO)"),
  truncated_reward: z.number().nullable().default(null).describe("replace the total reward of a truncated completion by this value (e.g. 0 or -1); null: keep it"),
  dynamic_filtering: z.boolean().default(false).describe("DAPO dynamic sampling: drop groups whose rewards are all equal and sample more prompts until batch_size groups have signal"),
  max_resample_batches: nonNegInt.default(3).describe("dynamic filtering: extra batches of batch_size prompts sampled at most per step"),

  save_every: nonNegInt.default(25).describe("checkpoint every this many steps (the resume points); 0: only at the end"),
  log_samples: nonNegInt.default(4).describe("completions per step written to samples.jsonl"),
});

export type GrpoOptions = z.output<typeof grpoOptionsSchema>;
export type GrpoOptionsInput = z.input<typeof grpoOptionsSchema>;

/** Validates options (from YAML or code): one-line errors naming the field; cross-field checks included. */
export function parseGrpoOptions(raw: unknown, where = "grpo options"): GrpoOptions {
  const o = parseStageOptions(grpoOptionsSchema, raw, where);
  if (o.budget_range && o.budget_range[0] > o.budget_range[1]) throw new Error(`${where}: field budget_range: expected [min, max] with min ≤ max, got [${o.budget_range.join(", ")}]`);
  const l1 = o.template === "l1-exact" || o.template === "l1-max";
  if (l1 && !o.budget_range) throw new Error(`${where}: field budget_range: template "${o.template}" needs a [min, max] token budget range`);
  if (!l1 && o.budget_range) throw new Error(`${where}: field budget_range: only the l1-exact and l1-max templates take a budget (template is ${o.template ?? "null"})`);
  if (o.dataset && Object.keys(o.task_options).length > 0) throw new Error(`${where}: field task_options: problems come from dataset ${o.dataset.path}, so the task's generator options do not apply`);
  if (o.lr_scheduler_type !== "constant" && o.min_lr > o.learning_rate) {
    throw new Error(`${where}: field min_lr: ${o.min_lr} exceeds learning_rate ${o.learning_rate} (the ${o.lr_scheduler_type} schedule decays from learning_rate down to min_lr)`);
  }
  checkRewards(o, l1, where);
  return o;
}

/** The rewards against the options they read: valid names and options, distinct names, LCPO's budget, overlong's window. */
function checkRewards(o: GrpoOptions, l1: boolean, where: string): void {
  const fail = (message: string): never => {
    throw new Error(`${where}: field rewards: ${message}`);
  };
  let names: string[] = [];
  try {
    names = buildRewardSpecs(o.rewards).map((s) => s.name);
  } catch (e) {
    fail((e as Error).message);
  }
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (first < i) fail(`rewards[${i}] is a second reward named "${name}" (rewards[${first}] is the first); give one a distinct label, e.g. { name: ${o.rewards[i].name}, label: ${name}_${i} }`);
  });
  o.rewards.forEach((r, i) => {
    const opts = r.options ?? {};
    if (r.name === "lcpo" && opts.targetTokens === undefined && !l1) {
      fail(`rewards[${i}] (lcpo) needs a token budget n_gold: template l1-exact or l1-max with budget_range (a budget per prompt), or options.targetTokens (one for all)`);
    }
    if (r.name === "overlong" && typeof opts.cacheLength === "number") {
      const given = typeof opts.maxTokens === "number" ? opts.maxTokens : typeof opts.maxLength === "number" ? opts.maxLength : undefined;
      const lMax = given ?? o.max_completion_length;
      if (opts.cacheLength > lMax) {
        fail(`rewards[${i}] (overlong): options.cacheLength ${opts.cacheLength} exceeds L_max ${lMax} (${given === undefined ? "max_completion_length" : "options.maxTokens"}), so every completion would be penalized; use a cacheLength of at most ${lMax}`);
      }
    }
  });
}

/** Fields that do not change what the run computes (excluded from the resume check). */
const NOT_HASHED: readonly (keyof GrpoOptions)[] = ["save_every", "log_samples", "max_batch"];

/** JSON with object keys sorted at every level (so key order in a YAML file does not matter). */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** A hash of the options that determine the trajectory; a resumed stage must have the same one. */
export function settingsHash(o: GrpoOptions): string {
  const kept = Object.fromEntries(Object.entries(o).filter(([k]) => !NOT_HASHED.includes(k as keyof GrpoOptions)));
  return hashString(stableJson(kept)).toString(16).padStart(8, "0");
}
