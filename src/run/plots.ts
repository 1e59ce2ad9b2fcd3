// SVG plots beside metrics.jsonl: reward, accuracy and completion length per step of a stage.
import { lineChartSvg, type Series } from "../util/plot.js";
import { writeFileAtomicSync } from "../util/atomic.js";
import type { MetricsRow, RunDir } from "./run-dir.js";

export interface Curve {
  file: string;
  title: string;
  yLabel: string;
  keys: { key: string; name: string }[];
  yRange?: [number, number];
}

/** The curves drawn for every training stage, from TRL-style metric names (loss only where there is no reward: SFT). */
export const STAGE_CURVES: readonly Curve[] = [
  { file: "loss", title: "training loss", yLabel: "loss (nats per token)", keys: [{ key: "loss", name: "loss" }] },
  { file: "reward", title: "reward", yLabel: "mean reward", keys: [{ key: "reward", name: "reward (mean)" }] },
  { file: "accuracy", title: "accuracy", yLabel: "accuracy", yRange: [0, 1], keys: [{ key: "accuracy", name: "accuracy" }, { key: "eval/accuracy", name: "eval accuracy" }] },
  {
    file: "length", title: "completion length", yLabel: "tokens",
    keys: [{ key: "completions/mean_length", name: "mean" }, { key: "completions/min_length", name: "min" }, { key: "completions/max_length", name: "max" }],
  },
];

function series(rows: readonly MetricsRow[], key: string, name: string): Series | undefined {
  const points = rows.filter((r) => typeof r[key] === "number").map((r) => ({ x: r.step, y: r[key] as number }));
  return points.length > 0 ? { name, points } : undefined;
}

/** Writes plots/<stage>-<curve>.svg for every curve with data; returns the files written. */
export function writeStagePlots(run: RunDir, stage: string): string[] {
  const rows = run.metrics(stage);
  const written: string[] = [];
  const rewarded = rows.some((r) => typeof r.reward === "number");
  for (const c of STAGE_CURVES) {
    if (c.file === "loss" && rewarded) continue; // a policy-gradient loss says little; reward and accuracy do
    const s = c.keys.map((k) => series(rows, k.key, k.name)).filter((x): x is Series => x !== undefined);
    if (s.length === 0) continue;
    const file = run.plotPath(`${stage}-${c.file}`);
    writeFileAtomicSync(file, lineChartSvg(s, { title: `${stage}: ${c.title}`, xLabel: "step", yLabel: c.yLabel, yRange: c.yRange }));
    written.push(file);
  }
  return written;
}

/** The live one-line summary of a step for progress bars: "reward 0.53 | acc 41% | len 88 | kl 0.002". */
export function summaryLine(row: MetricsRow): string {
  const parts: string[] = [];
  const n = (k: string) => (typeof row[k] === "number" ? (row[k] as number) : undefined);
  const reward = n("reward"), acc = n("accuracy"), len = n("completions/mean_length"), kl = n("kl"), loss = n("loss"), nll = n("nll");
  if (reward !== undefined) parts.push(`reward ${reward.toFixed(3)}`);
  if (acc !== undefined) parts.push(`acc ${(acc * 100).toFixed(0)}%`);
  if (len !== undefined) parts.push(`len ${len.toFixed(0)}`);
  if (kl !== undefined) parts.push(`kl ${kl.toPrecision(2)}`);
  if (nll !== undefined && reward === undefined) parts.push(`nll ${nll.toFixed(3)}`);
  else if (loss !== undefined && reward === undefined) parts.push(`loss ${loss.toFixed(3)}`);
  return parts.join(" | ");
}
