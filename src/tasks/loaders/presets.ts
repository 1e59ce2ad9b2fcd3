// Dataset presets: where each logical field lives in a record and how the gold answer is derived from it.
import { countdownTask } from "../countdown/task.js";
import { COUNTDOWN_PRESETS, type CountdownPreset } from "../countdown/rules.js";
import { boxedAnswer } from "../math/index.js";
import { multipleChoiceExample, parseChoices } from "../multiple-choice.js";
import type { Example } from "../types.js";
import { DatasetError, getPath } from "./fields.js";

export type DatasetPreset = "plain" | "gsm8k" | "math" | "commonsenseqa" | "countdown";
export const DATASET_PRESETS: readonly DatasetPreset[] = ["plain", "gsm8k", "math", "commonsenseqa", "countdown"];

export interface PresetContext {
  /** Record location for messages: "file:12". */
  where: string;
  /** Logical field → record path, preset defaults overridden by the user's mapping. */
  paths: Record<string, string>;
  id: string;
  countdownPreset: CountdownPreset;
}

interface PresetSpec {
  /** Logical field → default record path (the "id" field is optional everywhere). */
  fields: Record<string, string>;
  /** Task that scores the examples. */
  task: string;
  build(record: Record<string, unknown>, ctx: PresetContext): Example;
}

function field(record: Record<string, unknown>, ctx: PresetContext, name: string): unknown {
  const path = ctx.paths[name];
  const v = getPath(record, path);
  if (v === undefined || v === null) throw new DatasetError(`${ctx.where}: field "${path}" is missing (logical field "${name}")`);
  return v;
}

function stringField(record: Record<string, unknown>, ctx: PresetContext, name: string, allowNumber = false): string {
  const v = field(record, ctx, name);
  if (typeof v === "string") return v;
  if (allowNumber && typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new DatasetError(`${ctx.where}: field "${ctx.paths[name]}" must be a string${allowNumber ? " or a number" : ""}, got ${Array.isArray(v) ? "an array" : typeof v}`);
}

/** GSM8K: the gold answer follows the last "####"; thousands commas are removed ("1,000" → "1000"). */
export function gsm8kGold(answer: string): string | null {
  const at = answer.lastIndexOf("####");
  if (at < 0) return null;
  const gold = answer.slice(at + 4).trim().replace(/,/g, "");
  return gold === "" ? null : gold;
}

export const PRESETS: Record<DatasetPreset, PresetSpec> = {
  plain: {
    fields: { question: "question", answer: "answer" },
    task: "math",
    build(record, ctx) {
      const question = stringField(record, ctx, "question");
      return { id: ctx.id, question, answer: stringField(record, ctx, "answer", true).trim(), metadata: {} };
    },
  },
  gsm8k: {
    fields: { question: "question", answer: "answer" },
    task: "math",
    build(record, ctx) {
      const question = stringField(record, ctx, "question");
      const raw = stringField(record, ctx, "answer", true);
      const gold = typeof field(record, ctx, "answer") === "number" ? raw : gsm8kGold(raw);
      if (gold === null) throw new DatasetError(`${ctx.where}: field "${ctx.paths.answer}" has no "#### <answer>" line (GSM8K format)`);
      const at = raw.lastIndexOf("####");
      return { id: ctx.id, question, answer: gold, metadata: { rationale: at >= 0 ? raw.slice(0, at).trim() : "" } };
    },
  },
  math: {
    fields: { question: "problem", answer: "solution" },
    task: "math",
    build(record, ctx) {
      const question = stringField(record, ctx, "question");
      const solution = stringField(record, ctx, "answer");
      const gold = boxedAnswer(solution); // several boxes joined by a separator are one answer, as the verifier reads them
      if (gold === null || gold.trim() === "") throw new DatasetError(`${ctx.where}: field "${ctx.paths.answer}" has no \\boxed{…} answer (MATH format)`);
      const extra: Record<string, unknown> = { rationale: solution };
      for (const k of ["level", "type", "subject", "unique_id"]) if (typeof record[k] === "string" || typeof record[k] === "number") extra[k] = record[k];
      return { id: ctx.id, question, answer: gold.trim(), metadata: extra };
    },
  },
  commonsenseqa: {
    fields: { question: "question.stem", choices: "question.choices", answer: "answerKey" },
    task: "multiple-choice",
    build(record, ctx) {
      const stem = stringField(record, ctx, "question");
      let choices;
      try {
        choices = parseChoices(field(record, ctx, "choices"), `field "${ctx.paths.choices}"`);
      } catch (e) {
        if (e instanceof DatasetError) throw e;
        throw new DatasetError(`${ctx.where}: ${(e as Error).message}`);
      }
      const key = stringField(record, ctx, "answer");
      if (!choices.some((c) => c.label === key.trim().toUpperCase())) {
        throw new DatasetError(`${ctx.where}: field "${ctx.paths.answer}" is "${key}", not one of the labels ${choices.map((c) => c.label).join(", ")}`);
      }
      return multipleChoiceExample(ctx.id, stem, choices, key);
    },
  },
  countdown: {
    fields: { numbers: "nums", target: "target" },
    task: "countdown",
    build(record, ctx) {
      const numbers = field(record, ctx, "numbers");
      const target = field(record, ctx, "target");
      if (!Array.isArray(numbers) || !numbers.every((n) => Number.isSafeInteger(n))) throw new DatasetError(`${ctx.where}: field "${ctx.paths.numbers}" must be an array of integers`);
      if (!Number.isSafeInteger(target)) throw new DatasetError(`${ctx.where}: field "${ctx.paths.target}" must be an integer`);
      try {
        const ex = countdownTask.fromFields({ numbers, target, preset: ctx.countdownPreset });
        return { ...ex, id: ctx.id };
      } catch (e) {
        throw new DatasetError(`${ctx.where}: ${(e as Error).message}`);
      }
    },
  },
};

export function isCountdownPreset(x: unknown): x is CountdownPreset {
  return (COUNTDOWN_PRESETS as readonly unknown[]).includes(x);
}
