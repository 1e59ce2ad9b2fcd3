// Precision and recall of the rule-based detectors against hand labels (the presence of each behavior in a trace),
// and how often their counts equal hand counts where a label gives them.
import { BEHAVIORS, type Behavior } from "./detect.js";

/** One hand-labelled trace: the behaviors present and, optionally, how many instances of some of them. */
export interface LabelledTrace {
  id: string;
  text: string;
  labels: Behavior[];
  counts?: Partial<Record<Behavior, number>>;
  split?: string;
  source?: string;
}

export interface DetectorScore {
  behavior: Behavior;
  /** traces scored */
  n: number;
  /** present and detected / absent but detected / present but missed / absent and not detected */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** tp / (tp + fp); null when the detector never fired */
  precision: number | null;
  /** tp / (tp + fn); null when no trace has the behavior */
  recall: number | null;
  /** 2·P·R / (P + R); null when either is null or both are 0 */
  f1: number | null;
  /** traces whose label gives a count for this behavior, and how many of those the detector counts exactly */
  countsLabelled: number;
  countsExact: number;
}

/** Scores the detector's counts (`predicted[i]`) against the labels of `rows[i]`, per behavior. */
export function scoreDetectors(rows: readonly LabelledTrace[], predicted: readonly Record<Behavior, number>[]): DetectorScore[] {
  if (rows.length !== predicted.length) throw new Error(`scoreDetectors: ${rows.length} labelled traces but ${predicted.length} predictions`);
  return BEHAVIORS.map((behavior) => {
    let tp = 0, fp = 0, fn = 0, tn = 0, countsLabelled = 0, countsExact = 0;
    rows.forEach((row, i) => {
      const truth = row.labels.includes(behavior);
      const fired = predicted[i][behavior] > 0;
      if (truth && fired) tp++;
      else if (!truth && fired) fp++;
      else if (truth) fn++;
      else tn++;
      const count = row.counts?.[behavior];
      if (count !== undefined) {
        countsLabelled++;
        if (predicted[i][behavior] === count) countsExact++;
      }
    });
    const precision = tp + fp > 0 ? tp / (tp + fp) : null;
    const recall = tp + fn > 0 ? tp / (tp + fn) : null;
    const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
    return { behavior, n: rows.length, tp, fp, fn, tn, precision, recall, f1, countsLabelled, countsExact };
  });
}

const pct = (x: number | null) => (x === null ? "–" : x.toFixed(2));

/** A markdown table of detector scores. */
export function detectorScoreTable(scores: readonly DetectorScore[]): string {
  const head = "| behavior | traces | present | detected | TP | FP | FN | precision | recall | F1 | exact counts |\n|---|---|---|---|---|---|---|---|---|---|---|";
  const body = scores.map((s) =>
    `| ${s.behavior} | ${s.n} | ${s.tp + s.fn} | ${s.tp + s.fp} | ${s.tp} | ${s.fp} | ${s.fn} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.f1)} | ${s.countsLabelled === 0 ? "–" : `${s.countsExact}/${s.countsLabelled}`} |`);
  return [head, ...body].join("\n");
}
