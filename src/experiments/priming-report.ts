// The priming experiment's plots and markdown table (priming.ts runs it).
import * as path from "node:path";
import { BEHAVIORS, type Behavior } from "../analysis/behaviors/detect.js";
import type { PrimingCondition } from "../tasks/countdown/priming.js";
import { writeFileAtomic } from "../util/atomic.js";
import { lineChartSvg } from "../util/plot.js";
import type { ExperimentFlags } from "./index.js";
import type { PrimingBudget } from "./priming.js";

/** Held-out numbers of one model. */
export interface EvalPoint {
  /** greedy accuracy */
  greedy: number;
  /** accuracy of samples at temperature 1 */
  sampled: number;
  /** fraction of samples with an <answer> on the last line */
  answered: number;
  /** fraction of samples showing each behavior */
  behaviors: Record<Behavior, number>;
  /** mean completion length of the samples (tokens) */
  length: number;
}

export interface ConditionResult {
  condition: PrimingCondition;
  sftLoss: number | null;
  /** after SFT (the primed model) and after GRPO */
  before: EvalPoint;
  after: EvalPoint;
  /** GRPO training accuracy and reward per step */
  steps: { step: number; accuracy: number; reward: number }[];
  behaviorsPerStep: { step: number; freq: Record<Behavior, number> }[];
  seconds: number;
}

/** Trailing moving average over `window` points. */
function smooth(points: readonly { x: number; y: number }[], window: number): { x: number; y: number }[] {
  return points.map((p, i) => {
    const tail = points.slice(Math.max(0, i - window + 1), i + 1);
    return { x: p.x, y: tail.reduce((a, q) => a + q.y, 0) / tail.length };
  });
}

/** Accuracy per GRPO step and, per behavior, its frequency per step: one series per condition each. */
export async function primingPlots(out: string, results: readonly ConditionResult[], window: number): Promise<string[]> {
  const avg = window > 1 ? ` (moving average of ${window} steps)` : "";
  const files: string[] = [];
  const accuracy = path.join(out, "priming-accuracy.svg");
  await writeFileAtomic(accuracy, lineChartSvg(
    results.map((r) => ({ name: r.condition, points: smooth(r.steps.map((s) => ({ x: s.step, y: s.accuracy })), window) })),
    { title: `Countdown GRPO training accuracy per priming condition${avg}`, xLabel: "GRPO step", yLabel: "accuracy", yRange: [0, 1] },
  ));
  files.push(accuracy);
  for (const b of BEHAVIORS) {
    const file = path.join(out, `priming-${b.replace(/_/g, "-")}.svg`);
    await writeFileAtomic(file, lineChartSvg(
      results.map((r) => ({ name: r.condition, points: smooth(r.behaviorsPerStep.map((s) => ({ x: s.step, y: s.freq[b] })), window) })),
      { title: `${b.replace(/_/g, " ")}: fraction of sampled completions${avg}`, xLabel: "GRPO step", yLabel: "fraction showing it", yRange: [0, 1] },
    ));
    files.push(file);
  }
  return files;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const freqs = (f: Record<Behavior, number>): string => BEHAVIORS.map((b) => (f[b] * 100).toFixed(0)).join(" / ");

export function primingReport(results: readonly ConditionResult[], b: PrimingBudget, flags: ExperimentFlags, shape: { maxCompletion: number; context: number; vocab: number; maxValue: number; maxTarget: number }): string {
  const last = (r: ConditionResult) => r.steps.slice(-b.window);
  const tailAcc = (r: ConditionResult) => last(r).reduce((a, s) => a + s.accuracy, 0) / Math.max(1, last(r).length);
  const lines = [
    `# Priming with cognitive behaviors, then GRPO, on Countdown${flags.quick ? " (--quick: the numbers mean little)" : ""}`,
    "",
    `\`ratio experiment priming --seed ${flags.seed}${flags.quick ? " --quick" : ""}\``,
    "",
    `Task: Countdown, tinyzero preset with 3 numbers in 1–${shape.maxValue} and targets 10–${shape.maxTarget}, the TinyZero prompt; reward 1 correct / 0.1 parseable answer / 0.`,
    `Model: the tiny preset (hidden 64, 2 layers) from scratch with the same seed per condition; vocabulary ${shape.vocab} (characters plus the`,
    `prompt's fixed text and the priming phrasings as single tokens), context ${shape.context}.`,
    `SFT: ${b.sftExamples} priming traces of the condition, ${b.sftSteps} steps of ${b.sftBatch}, lr ${b.sftLr} (warm-up + cosine).`,
    `GRPO: ${b.grpoSteps} steps × ${b.batchSize} prompts × ${b.numGenerations} completions, lr ${b.learningRate}, max_completion_length ${shape.maxCompletion}, loss dapo, β = 0.`,
    `Held-out: ${b.evalProblems} problems, greedy and ${b.evalSamples} samples at temperature 1; behavior columns are the % of samples in which the`,
    `rule-based detector finds ${BEHAVIORS.join(" / ")}.`,
    "",
    "| condition | SFT loss | greedy (primed → GRPO) | sampled (primed → GRPO) | answered (primed → GRPO) | GRPO train acc. (last steps) | behaviors primed (%) | behaviors after GRPO (%) | seconds |",
    "|---|---|---|---|---|---|---|---|---|",
    ...results.map((r) =>
      `| ${r.condition} | ${r.sftLoss === null ? "—" : r.sftLoss.toFixed(3)} | ${pct(r.before.greedy)} → ${pct(r.after.greedy)} | ${pct(r.before.sampled)} → ${pct(r.after.sampled)} | ${pct(r.before.answered)} → ${pct(r.after.answered)} | ${pct(tailAcc(r))} | ${freqs(r.before.behaviors)} | ${freqs(r.after.behaviors)} | ${r.seconds.toFixed(0)} |`),
    "",
  ];
  return lines.join("\n");
}
