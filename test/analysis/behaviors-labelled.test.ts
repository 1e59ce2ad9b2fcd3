// The detectors on the hand-labelled snippets (test/fixtures/behaviors/labelled.jsonl): precision and recall per
// behavior, against the floors measured in docs/results/behavior-detectors.md: on the splits the rules were tuned on
// ("dev", "heldout-1", "heldout-2") and on "heldout-3", written after the last tuning and reported separately.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BEHAVIORS, countBehaviors, type Behavior } from "../../src/analysis/behaviors/detect.js";
import { scoreDetectors, type LabelledTrace } from "../../src/analysis/behaviors/label-scores.js";
import { readTraces } from "../../src/analysis/behaviors/traces.js";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/behaviors/labelled.jsonl");

/** Measured precision / recall, rounded down to 0.05 (docs/results/behavior-detectors.md has the exact table). */
const FLOORS: Record<string, Record<Behavior, { precision: number; recall: number }>> = {
  tuned: {
    verification: { precision: 1, recall: 0.95 },
    backtracking: { precision: 1, recall: 1 },
    subgoal_setting: { precision: 0.9, recall: 0.85 },
    backward_chaining: { precision: 1, recall: 0.8 },
  },
  "heldout-3": {
    verification: { precision: 1, recall: 0.7 },
    backtracking: { precision: 1, recall: 0.8 },
    subgoal_setting: { precision: 1, recall: 0.25 },
    backward_chaining: { precision: 0.5, recall: 0.2 },
  },
};

const traces = readTraces(FIXTURE);
const rows: LabelledTrace[] = traces.map((t) => ({ id: t.id, text: t.text, labels: t.labels ?? [], counts: t.counts, split: t.split }));

describe("detectors on the hand-labelled set", () => {
  it("has at least 40 labelled snippets from every source, every behavior present and absent", () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(traces.every((t) => t.labels !== undefined && t.split !== undefined)).toBe(true);
    expect(new Set(traces.map((t) => t.id)).size).toBe(traces.length);
    for (const b of BEHAVIORS) {
      expect(rows.filter((r) => r.labels.includes(b)).length).toBeGreaterThanOrEqual(10);
      expect(rows.filter((r) => !r.labels.includes(b)).length).toBeGreaterThanOrEqual(10);
    }
  });

  for (const [split, floors] of Object.entries(FLOORS)) {
    it(`precision and recall on ${split} stay at their measured floors`, () => {
      const subset = rows.filter((r) => (split === "tuned" ? r.split !== "heldout-3" : r.split === split));
      expect(subset.length).toBeGreaterThanOrEqual(15);
      const scores = scoreDetectors(subset, subset.map((r) => countBehaviors(r.text)));
      for (const s of scores) {
        expect(s.precision ?? 0, `${s.behavior} precision`).toBeGreaterThanOrEqual(floors[s.behavior].precision - 1e-9);
        expect(s.recall ?? 0, `${s.behavior} recall`).toBeGreaterThanOrEqual(floors[s.behavior].recall - 1e-9);
      }
    });
  }
});
