// Thinking delimiters for budget forcing, per model family. Each preset says how thinking opens (the prompt ends
// with it), what ends it, what a natural end and a forced end append, and where the answer stops:
//   natural end (the model closed thinking):  thinking + thinkEnd, then the model writes the answer
//   forced end (budget spent, s1):            thinking + ("\n" unless it ends with one: beforeEnd) + thinkEnd + afterEnd
//                                             + answerPrefix
// s1 (simplescaling/s1, lm-eval fork vllm_causallms.py): thinking opens with "<|im_start|>think" and stops at any
// "<|im_start|>" (`until_thinking`); the forced end is "<|im_start|>answer\nFinal Answer:". R1 distills and Qwen3 think
// in <think> … </think>; "r1-zero" is DeepSeek-R1's Table 1 format (Ratio's r1 template), whose answer is
// <answer> … </answer>; "star" is the STaR scratchpad (<scratch> … </scratch>, the answer on the next line).
import type { Template } from "../templates/types.js";

export interface ThinkingDelimiters {
  /** opens thinking; a prompt that does not end with it gets it appended */
  thinkStart: string;
  /** closes thinking */
  thinkEnd: string;
  /** stop strings of a thinking round (default [thinkEnd]) */
  thinkingStops?: readonly string[];
  /** put before thinkEnd in a forced end unless the thinking already ends with it (default "\n", as s1) */
  beforeEnd?: string;
  /** between thinkEnd and answerPrefix in a forced end */
  afterEnd: string;
  /** starts the answer in a forced end ("Final Answer:" for s1) */
  answerPrefix: string;
  /** stop strings of the answer, kept in the text (they close the output format) */
  answerStops: readonly string[];
}

export const BUDGET_FORCING_PRESETS = {
  s1: {
    thinkStart: "<|im_start|>think", thinkEnd: "<|im_start|>answer", thinkingStops: ["<|im_start|>"],
    afterEnd: "\n", answerPrefix: "Final Answer:", answerStops: ["<|im_end|>"],
  },
  r1: { thinkStart: "<think>\n", thinkEnd: "</think>", afterEnd: "\n\n", answerPrefix: "Final Answer:", answerStops: [] },
  qwen3: { thinkStart: "<think>\n", thinkEnd: "</think>", afterEnd: "\n\n", answerPrefix: "Final Answer:", answerStops: ["<|im_end|>"] },
  "r1-zero": { thinkStart: " <think>", thinkEnd: "</think>", afterEnd: " ", answerPrefix: "<answer>", answerStops: ["</answer>"] },
  star: { thinkStart: "<scratch>\n", thinkEnd: "</scratch>", afterEnd: "\n", answerPrefix: "", answerStops: [] },
} as const satisfies Record<string, ThinkingDelimiters>;

export type BudgetForcingPreset = keyof typeof BUDGET_FORCING_PRESETS;

export const BUDGET_FORCING_PRESET_NAMES = Object.keys(BUDGET_FORCING_PRESETS) as BudgetForcingPreset[];

/** Template name → the preset whose delimiters its prompts and parser use. */
const FOR_TEMPLATE: Record<string, BudgetForcingPreset> = {
  s1: "s1", qwen3: "qwen3", r1: "r1-zero", star: "star", "l1-exact": "r1", "l1-max": "r1",
};

export function budgetForcingPreset(name: string): ThinkingDelimiters {
  if (!Object.hasOwn(BUDGET_FORCING_PRESETS, name)) throw new Error(`unknown budget forcing preset "${name}" (expected one of: ${BUDGET_FORCING_PRESET_NAMES.join(", ")})`);
  return BUDGET_FORCING_PRESETS[name as BudgetForcingPreset];
}

/** The delimiters of a prompt template (its thinking tags); an error for a template that does not think. */
export function delimitersForTemplate(template: Pick<Template, "name" | "thinkStart" | "thinkEnd">): ThinkingDelimiters {
  const preset = FOR_TEMPLATE[template.name];
  if (preset) return BUDGET_FORCING_PRESETS[preset];
  if (!template.thinkStart || !template.thinkEnd) throw new Error(`template ${template.name} has no thinking delimiters, so there is no thinking to budget`);
  return { thinkStart: template.thinkStart, thinkEnd: template.thinkEnd, afterEnd: "\n", answerPrefix: "Final Answer:", answerStops: [] };
}

/** The text a forced end appends to `thinking`. */
export function forcedEnd(d: ThinkingDelimiters, thinking: string): string {
  const sep = d.beforeEnd ?? "\n";
  return `${thinking.endsWith(sep) ? "" : sep}${d.thinkEnd}${d.afterEnd}${d.answerPrefix}`;
}
