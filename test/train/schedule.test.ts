import { describe, expect, it } from "vitest";
import { lrAt, parseLrSchedule } from "../../src/train/schedule.js";

describe("LR schedules", () => {
  it("constant, with optional warm-up", () => {
    expect(lrAt(parseLrSchedule({ type: "constant", lr: 0.1 }), 0)).toBe(0.1);
    const s = parseLrSchedule({ type: "constant", lr: 0.1, warmupSteps: 4 });
    expect([0, 1, 2, 4, 100].map((t) => lrAt(s, t))).toEqual([0, 0.025, 0.05, 0.1, 0.1]);
  });

  it("warmup-cosine: linear warm-up, cosine down to minLr, then flat", () => {
    const s = parseLrSchedule({ type: "warmup-cosine", lr: 1, warmupSteps: 10, totalSteps: 110, minLr: 0.1 });
    expect(lrAt(s, 0)).toBe(0);
    expect(lrAt(s, 5)).toBe(0.5);
    expect(lrAt(s, 10)).toBe(1);
    expect(lrAt(s, 60)).toBeCloseTo(0.55, 12); // halfway: min + (max − min)/2
    expect(lrAt(s, 35)).toBeCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(lrAt(s, 110)).toBeCloseTo(0.1, 12);
    expect(lrAt(s, 500)).toBeCloseTo(0.1, 12);
  });

  it("linear: decays from lr to minLr between warm-up and totalSteps", () => {
    const s = parseLrSchedule({ type: "linear", lr: 2, warmupSteps: 0, totalSteps: 100 });
    expect([0, 25, 50, 100, 150].map((t) => lrAt(s, t))).toEqual([2, 1.5, 1, 0, 0]);
  });

  it("validates fields by name", () => {
    expect(() => parseLrSchedule({ type: "warmup-cosine", lr: 1 })).toThrow(/field totalSteps/);
    expect(() => parseLrSchedule({ type: "step", lr: 1 })).toThrow(/lr schedule: field type/);
    expect(() => parseLrSchedule({ type: "linear", lr: 1, totalSteps: 10, minLr: 2 })).toThrow("lr schedule: field minLr: 2 exceeds lr 1");
    expect(() => parseLrSchedule({ type: "constant", lr: -1 })).toThrow(/field lr/);
  });
});
