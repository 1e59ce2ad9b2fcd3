// `ratio analyze behaviors`: rule-based counts (and spans) per trace, optionally the LLM judge's counts and their
// agreement, aggregated per (stage, step) of a run and overall; with hand labels, the detectors' precision/recall.
import { behaviorAgreement, type BehaviorAgreement } from "./agreement.js";
import { behaviorStats, byStep, type BehaviorStats } from "./aggregate.js";
import { BEHAVIORS, countSpans, detectBehaviors, type Behavior, type BehaviorSpan } from "./detect.js";
import { judgeTraces, type JudgeFailure, type JudgeOptions } from "./judge.js";
import type { JudgePromptSet } from "./judge-prompts.js";
import { detectorScoreTable, scoreDetectors, type DetectorScore, type LabelledTrace } from "./label-scores.js";
import type { Trace } from "./traces.js";

export interface TraceReport {
  id: string;
  line: number;
  stage?: string;
  step?: number;
  rules: Record<Behavior, number>;
  spans: BehaviorSpan[];
  judge?: Record<Behavior, number>;
  judgeFailures?: JudgeFailure[];
  judgePrompts?: JudgePromptSet;
}

export interface StepReport {
  stage: string;
  step: number;
  rules: BehaviorStats;
  judge?: BehaviorStats;
}

export interface BehaviorReport {
  traces: number;
  overall: { rules: BehaviorStats; judge?: BehaviorStats };
  /** per (stage, step) of a run, when the rows have them */
  byStep: StepReport[];
  judge?: { backend: string; requests: number; parseFailures: number; backendFailures: number };
  /** rules vs judge, per behavior */
  agreement?: BehaviorAgreement[];
  /** rules vs hand labels: all labelled traces, and per split when rows name one */
  labels?: { all: DetectorScore[]; bySplit: Record<string, DetectorScore[]> };
  samples: TraceReport[];
}

export interface AnalyzeOptions {
  /** run the LLM judge too (its backend and settings) */
  judge?: JudgeOptions;
  /** score the detectors against the rows' hand labels (every trace must have `labels`) */
  labels?: boolean;
  /** called after each trace the rules analyse */
  onRulesProgress?: (done: number, total: number) => void;
}

function labelScores(traces: readonly Trace[], reports: readonly TraceReport[]): NonNullable<BehaviorReport["labels"]> {
  const missing = traces.find((t) => t.labels === undefined);
  if (missing) throw new Error(`--labels: line ${missing.line} has no "labels" field`);
  const rows: LabelledTrace[] = traces.map((t) => ({ id: t.id, text: t.text, labels: t.labels!, ...(t.counts ? { counts: t.counts } : {}) }));
  const all = scoreDetectors(rows, reports.map((r) => r.rules));
  const splits = [...new Set(traces.map((t) => t.split).filter((s): s is string => s !== undefined))];
  const bySplit: Record<string, DetectorScore[]> = {};
  for (const split of splits) {
    const idx = traces.map((t, i) => (t.split === split ? i : -1)).filter((i) => i >= 0);
    bySplit[split] = scoreDetectors(idx.map((i) => rows[i]), idx.map((i) => reports[i].rules));
  }
  return { all, bySplit };
}

export async function analyzeBehaviors(traces: readonly Trace[], opts: AnalyzeOptions = {}): Promise<BehaviorReport> {
  const samples: TraceReport[] = traces.map((t, i) => {
    const spans = detectBehaviors(t.text);
    opts.onRulesProgress?.(i + 1, traces.length);
    return { id: t.id, line: t.line, ...(t.stage !== undefined ? { stage: t.stage } : {}), ...(t.step !== undefined ? { step: t.step } : {}), rules: countSpans(spans), spans };
  });
  const report: BehaviorReport = {
    traces: traces.length,
    overall: { rules: behaviorStats(samples.map((s) => s.rules)) },
    byStep: [],
    samples,
  };
  if (opts.judge) {
    const unknown = opts.judge.prompts === "countdown" ? traces.find((t) => !t.context.numbers || t.context.target === undefined) : undefined;
    if (unknown) throw new Error(`line ${unknown.line}: --judge-prompts countdown needs the Countdown numbers and target (fields nums / numbers and target, or a TinyZero or Stream-of-Search prompt)`);
    const run = await judgeTraces(traces.map((t) => ({ text: t.text, context: t.context })), opts.judge);
    run.traces.forEach((j, i) => Object.assign(samples[i], { judge: j.counts, judgeFailures: j.failures, judgePrompts: j.promptSet }));
    report.judge = { backend: opts.judge.backend.name, requests: run.requests, parseFailures: run.parseFailures, backendFailures: run.backendFailures };
    report.overall.judge = behaviorStats(run.traces.map((t) => t.counts));
    report.agreement = behaviorAgreement(samples.map((s) => s.rules), run.traces.map((t) => t.counts));
  }
  report.byStep = byStep(samples, (g) => g).map(({ stage, step, stats: g }) => ({
    stage, step, rules: behaviorStats(g.map((s) => s.rules)), ...(opts.judge ? { judge: behaviorStats(g.map((s) => s.judge!)) } : {}),
  }));
  if (opts.labels) report.labels = labelScores(traces, samples);
  return report;
}

const f2 = (x: number | null) => (x === null ? "–" : x.toFixed(2));
const SHORT: Record<Behavior, string> = { verification: "verif", backtracking: "backtr", subgoal_setting: "subgoal", backward_chaining: "backward" };

/** "freq (mean)" cells for the four behaviors. */
function statCells(s: BehaviorStats): string {
  return BEHAVIORS.map((b) => `${(s.frequency[b] * 100).toFixed(0)}% (${s.meanCount[b].toFixed(2)})`).join(" | ");
}

/** The report as markdown tables (the CLI's text output). */
export function formatBehaviorReport(r: BehaviorReport): string {
  const head = `| | traces | ${BEHAVIORS.join(" | ")} |\n|---|---|${BEHAVIORS.map(() => "---").join("|")}|`;
  const out: string[] = [`Behaviors in ${r.traces} traces: fraction of traces showing each (mean count per trace).`, "", head];
  out.push(`| rules | ${r.overall.rules.traces} | ${statCells(r.overall.rules)} |`);
  if (r.overall.judge) out.push(`| judge | ${r.overall.judge.traces} | ${statCells(r.overall.judge)} |`);
  if (r.byStep.length > 0) {
    out.push("", "Per step (rules" + (r.overall.judge ? "; judge below each" : "") + "):", "", `| stage | step | traces | ${BEHAVIORS.map((b) => SHORT[b]).join(" | ")} |`, `|---|---|---|${BEHAVIORS.map(() => "---").join("|")}|`);
    for (const s of r.byStep) {
      out.push(`| ${s.stage} | ${s.step} | ${s.rules.traces} | ${statCells(s.rules)} |`);
      if (s.judge) out.push(`| ${s.stage} | ${s.step} judge | ${s.judge.traces} | ${statCells(s.judge)} |`);
    }
  }
  if (r.judge) {
    out.push("", `Judge ${r.judge.backend}: ${r.judge.requests} requests, ${r.judge.parseFailures} without <count>N</count> and ${r.judge.backendFailures} failed (each counted as 0).`);
    const first = r.samples.flatMap((s) => s.judgeFailures ?? [])[0];
    if (first) out.push(`First failure (${first.behavior}, ${first.kind}): ${first.message}`);
    if (r.judge.requests > 0 && r.judge.parseFailures + r.judge.backendFailures === r.judge.requests) {
      out.push("Every judge request failed: the judge's counts and the agreement below are all zeros, not measurements.");
    }
  }
  if (r.agreement) {
    out.push("", "Rules vs judge:", "", "| behavior | both | rules only | judge only | neither | agreement | kappa | Pearson | Spearman | mean |diff| |", "|---|---|---|---|---|---|---|---|---|---|");
    for (const a of r.agreement) out.push(`| ${a.behavior} | ${a.both} | ${a.onlyA} | ${a.onlyB} | ${a.neither} | ${f2(a.presenceAgreement)} | ${f2(a.kappa)} | ${f2(a.pearson)} | ${f2(a.spearman)} | ${f2(a.meanAbsDiff)} |`);
  }
  if (r.labels) {
    out.push("", `Rules vs hand labels, all ${r.labels.all[0]?.n ?? 0} traces:`, "", detectorScoreTable(r.labels.all));
    for (const [split, scores] of Object.entries(r.labels.bySplit)) out.push("", `Split "${split}" (${scores[0]?.n ?? 0} traces):`, "", detectorScoreTable(scores));
  }
  return out.join("\n") + "\n";
}
