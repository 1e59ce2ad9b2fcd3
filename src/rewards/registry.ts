// Registry of rewards by name with zod-validated options, for use from YAML configs:
//   rewards: [{ name: cosine, weight: 1, options: { preset: paper } }, { name: format, weight: 0.5 }]
import { z } from "zod";
import { correctnessReward } from "./correctness.js";
import { cosineReward } from "./cosine.js";
import { formatReward } from "./format.js";
import { lcpoReward } from "./lcpo.js";
import { overlongReward } from "./overlong.js";
import { denseRepetitionReward, repetitionReward } from "./repetition.js";
import { simpleRlReward } from "./simplerl.js";
import { tinyZeroCountdownReward } from "./tinyzero.js";
import type { RewardFn, RewardSpec } from "./types.js";

const posInt = z.number().int().positive();
const count = z.enum(["response", "thinking"]);

export const rewardOptionSchemas = {
  correctness: z.strictObject({ use: z.enum(["reward", "correct"]).optional() }),
  format: z.strictObject({ preset: z.enum(["r1", "trl-think"]).optional(), openThink: z.boolean().optional(), thinkPrefilled: z.boolean().optional() }),
  cosine: z.strictObject({
    preset: z.enum(["paper", "code", "trl"]).optional(),
    maxValueCorrect: z.number().optional(),
    minValueCorrect: z.number().optional(),
    minValueWrong: z.number().optional(),
    maxValueWrong: z.number().optional(),
    exceedLength: z.number().nullable().optional(),
    clampProgress: z.boolean().optional(),
    maxTokens: posInt.optional(),
    maxLen: posInt.optional(),
    count: count.optional(),
    lengthMargin: z.number().int().nonnegative().optional(),
    repetitionNgramSize: posInt.optional(),
    repetitionMaxPenalty: z.number().nonpositive().optional(),
  }),
  repetition: z.strictObject({
    preset: z.enum(["trl", "open-r1"]).optional(),
    unit: z.enum(["words", "tokens"]).optional(),
    ngramSize: posInt.optional(),
    maxPenalty: z.number().nonpositive().optional(),
    wrongOnly: z.boolean().optional(),
  }),
  repetition_dense: z.strictObject({
    preset: z.enum(["paper", "code"]).optional(),
    ngramSize: posInt.optional(),
    penalty: z.number().negative().optional(),
    onlyStart: z.boolean().optional(),
  }),
  overlong: z.strictObject({ maxTokens: posInt.optional(), maxLength: posInt.optional(), cacheLength: z.number().int().nonnegative() }),
  lcpo: z.strictObject({
    preset: z.enum(["l1-exact", "l1-exact-original", "l1-max", "l1-max-config"]).optional(),
    mode: z.enum(["exact", "max", "auto"]).optional(),
    alpha: z.number().nonnegative().optional(),
    targetTokens: z.number().int().optional(),
    count: count.optional(),
  }),
  tinyzero_countdown: z.strictObject({ formatScore: z.number().optional(), score: z.number().optional() }),
  simplerl: z.strictObject({ mode: z.enum(["mix", "independent"]).optional(), formatPenalty: z.number().optional() }),
} as const;

export type RewardName = keyof typeof rewardOptionSchemas;
export type RewardOptions<N extends RewardName> = z.infer<(typeof rewardOptionSchemas)[N]>;

const factories: { [N in RewardName]: (o: RewardOptions<N>) => RewardFn } = {
  correctness: (o) => correctnessReward(o),
  format: (o) => formatReward(o),
  cosine: (o) => cosineReward(o),
  repetition: (o) => repetitionReward(o),
  repetition_dense: (o) => denseRepetitionReward(o),
  overlong: (o) => overlongReward(o),
  lcpo: (o) => lcpoReward(o),
  tinyzero_countdown: (o) => tinyZeroCountdownReward(o),
  simplerl: (o) => simpleRlReward(o),
};

export const rewardNames = Object.keys(rewardOptionSchemas) as RewardName[];

function isRewardName(name: string): name is RewardName {
  return Object.hasOwn(rewardOptionSchemas, name);
}

/** The first problem with a reward's options, in words: an unknown option (with the known ones), a missing one, a bad value. */
function firstIssue(name: RewardName, options: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `options.${issue.path.map(String).join(".")}` : "options";
  const known = Object.keys(rewardOptionSchemas[name].shape).join(", ");
  if (issue.code === "unrecognized_keys") {
    return `${where}: unknown option${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (expected one of: ${known})`;
  }
  const given = issue.path.length === 1 && options !== null && typeof options === "object" ? (options as Record<string, unknown>)[String(issue.path[0])] : options;
  if (issue.code === "invalid_type" && given === undefined) return `${where}: required (expected a ${issue.expected})`;
  if (issue.code === "invalid_value") return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(given)}`;
  if (issue.code === "invalid_type") return `${where}: expected a ${issue.expected}, got ${JSON.stringify(given)}`;
  return `${where}: ${issue.message.replace(/^Too (small|big): /, "")}${typeof given === "number" ? `, got ${given}` : ""}`;
}

/** Builds a reward by registry name; options are validated, unknown keys rejected. A literal name types its options. */
export function getReward<N extends string>(name: N, options?: N extends RewardName ? z.input<(typeof rewardOptionSchemas)[N]> : unknown): RewardFn;
export function getReward(name: string, options: unknown = {}): RewardFn {
  if (!isRewardName(name)) throw new Error(`unknown reward "${name}" (expected one of: ${rewardNames.join(", ")})`);
  const parsed = rewardOptionSchemas[name].safeParse(options ?? {});
  if (!parsed.success) throw new Error(`reward "${name}": ${firstIssue(name, options, parsed.error)}`);
  return (factories[name] as (o: unknown) => RewardFn)(parsed.data);
}

export const rewardConfigSchema = z.strictObject({
  name: z.string(),
  /** Key in `parts` and in the logged `rewards/{label}/mean`; defaults to `name`. */
  label: z.string().optional(),
  weight: z.number().default(1),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type RewardConfig = z.input<typeof rewardConfigSchema>;

/** Builds weighted specs from config entries (for composeRewards). */
export function buildRewardSpecs(configs: readonly RewardConfig[]): RewardSpec[] {
  return configs.map((c, i) => {
    const parsed = rewardConfigSchema.safeParse(c);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`rewards[${i}]${issue.path.length ? "." + issue.path.map(String).join(".") : ""}: ${issue.message}`);
    }
    const { name, label, weight, options } = parsed.data;
    return { name: label ?? name, fn: getReward(name, options ?? {}), weight };
  });
}
