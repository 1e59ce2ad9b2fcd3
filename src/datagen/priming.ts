// `ratio data generate priming`: Countdown priming sets in TinyZero format, one per condition of Gandhi et al. 2025,
// "Cognitive Behaviors that Enable Self-Improving Reasoners" (kanishkg/cognitive-behaviors): all_strategies,
// only_backtracking, only_verification, empty_cot, placeholder_cot (length-matched), incorrect_only, and the
// backtracking + one other behavior sets. Row i of a seed is the same problem in every condition (the countdown
// task's tinyzero problem (seed, i)), and its trace is drawn from one stream per (seed, i), so the placeholder is
// matched to that problem's all_strategies trace. prompt = the TinyZero prompt (ending inside <think>); completion
// = the reasoning, </think>, and <answer>expr</answer> on the last line (src/tasks/countdown/priming.ts).
import { z } from "zod";
import type { DatasetRow } from "../run/dataset.js";
import { PRIMING_CONDITIONS, primingCompletion, primingTrace, type PrimingCondition, type TraceBehavior } from "../tasks/countdown/priming.js";
import { scoreTinyZero } from "../tasks/countdown/score.js";
import { countdownTask } from "../tasks/countdown/task.js";
import { rngFor } from "../tasks/random.js";
import type { DatasetGenerator, GeneratedDataset } from "./types.js";

export const primingDataOptions = z.strictObject({
  condition: z.enum(PRIMING_CONDITIONS).default("all_strategies").describe(`priming condition: ${PRIMING_CONDITIONS.join(", ")}`),
  numbers: z.number().int().min(3).max(4).default(3).describe("input numbers per problem (TinyZero: 3–4)"),
  minValue: z.number().int().min(1).optional().describe("smallest input number (default: the tinyzero preset's 1)"),
  maxValue: z.number().int().min(1).max(1000).optional().describe("largest input number (default: the tinyzero preset's 99)"),
  minTarget: z.number().int().min(1).optional().describe("smallest target (default 10)"),
  maxTarget: z.number().int().min(1).max(10000).optional().describe("largest target (default 100)"),
});

export type PrimingDataOptions = z.output<typeof primingDataOptions>;

export interface PrimingRow extends DatasetRow {
  condition: PrimingCondition;
  numbers: number[];
  target: number;
  /** the expression in <answer> */
  answer: string;
  /** whether scoreTinyZero marks the completion correct (false exactly for incorrect_only) */
  correct: boolean;
  /** behaviors the trace was built to show */
  behaviors: TraceBehavior[];
}

/** The countdown task options of a priming set (tinyzero preset, a fixed number count). */
export function primingTaskOptions(o: PrimingDataOptions): Record<string, unknown> {
  const ranges = Object.fromEntries((["minValue", "maxValue", "minTarget", "maxTarget"] as const).filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return { preset: "tinyzero", minNumbers: o.numbers, maxNumbers: o.numbers, ...ranges };
}

/**
 * n rows of one condition. `measure` is the length the placeholder matches (characters by default; the experiment
 * passes its tokenizer's token count).
 */
export function generatePriming(n: number, seed: number, options: Partial<z.input<typeof primingDataOptions>> = {}, measure?: (text: string) => number): GeneratedDataset & { rows: PrimingRow[] } {
  const o = primingDataOptions.parse(options);
  const taskOptions = primingTaskOptions(o);
  const rows: PrimingRow[] = [];
  for (let i = 0; i < n; i++) {
    const ex = countdownTask.generate({ seed, index: i, ...taskOptions });
    const numbers = ex.metadata.numbers as number[];
    const target = ex.metadata.target as number;
    const trace = primingTrace(o.condition, { numbers, target, solution: ex.answer }, () => rngFor("countdown/priming", seed, i), measure);
    const completion = primingCompletion(trace);
    const correct = scoreTinyZero(completion, { numbers, target }).correct;
    if (correct !== (o.condition !== "incorrect_only")) throw new Error(`priming: ${o.condition} row ${i} scored ${correct ? "correct" : "wrong"}`); // never: by construction
    rows.push({ prompt: countdownTask.prompt(ex), completion, problem_id: ex.id, condition: o.condition, numbers, target, answer: trace.answer, correct, behaviors: trace.behaviors });
  }
  const chars = rows.reduce((a, r) => a + r.completion.length, 0);
  return { rows, lineage: { generator: "priming", condition: o.condition, task: "countdown", task_options: taskOptions, seed, mean_completion_chars: n > 0 ? chars / n : 0 } };
}

export const primingGenerator: DatasetGenerator<typeof primingDataOptions> = {
  name: "priming",
  description: "Countdown priming traces (TinyZero format) per cognitive-behaviors condition: all_strategies, only_backtracking, only_verification, empty_cot, placeholder_cot, incorrect_only, …",
  options: primingDataOptions,
  generate: (n, seed, options) => generatePriming(n, seed, options),
};
