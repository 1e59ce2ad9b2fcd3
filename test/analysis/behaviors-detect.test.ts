import { describe, expect, it } from "vitest";
import { BEHAVIOR_RULES, BEHAVIORS, countBehaviors, detectBehaviors } from "../../src/analysis/behaviors/detect.js";
import { dfsTrace } from "../../src/tasks/countdown/sos-trace.js";

describe("detectBehaviors", () => {
  it("finds each behavior in a Countdown trace and points its spans at the matched text", () => {
    const text = "<think>Let me try 25+37=62... that's not 47. Let's go back and try 37-15=22, then 22+25=47, which equals the target.</think>";
    const spans = detectBehaviors(text);
    expect(spans.map((s) => [s.behavior, s.rule, s.text])).toEqual([
      ["verification", "target_miss", "not 47"],
      ["backtracking", "go_back", "go back"],
      ["verification", "target_hit", "equals the target"],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(countBehaviors(text)).toEqual({ verification: 2, backtracking: 1, subgoal_setting: 0, backward_chaining: 0 });
  });

  it("recognizes the math-style phrases of each behavior", () => {
    const text = "First, we need to find the area. Let me check: 3*4 = 12. Wait, that's wrong. Working backwards from 24, 24 = 4 * 6.";
    const spans = detectBehaviors(text);
    expect(spans.map((s) => s.behavior)).toEqual(["subgoal_setting", "verification", "backtracking", "backward_chaining"]);
    expect(spans[0].text).toBe("First, we need to find");
    expect(spans[1].text).toBe("Let me check:");
    expect(spans[1].rule).toBe("announced_check+check_word");
    expect(spans[2].text).toBe("Wait, that's wrong");
    // two backward-chaining matches in one sentence are one instance
    expect(spans[3].text).toBe("Working backwards from 24, 24 = 4 * 6");
    expect(spans[3].rule).toBe("work_backwards+target_decomposition");
  });

  it("reads Stream-of-Search goal tests as verification and a return after a dead end as backtracking", () => {
    const text = [
      "Current State: 55:[81, 35], Operations: ['24*2=48', '83-48=35']",
      "Exploring Operation: 81-35=46, Resulting Numbers: [46]",
      "46,55 unequal: No Solution",
      "Moving to Node #0,0,0",
      "Current State: 55:[81, 35], Operations: ['24*2=48', '83-48=35']",
      "Generated Node #0,0,1: 55:[83, 33] Operation: 81-48=33",
      "Moving to Node #0,0,1",
      "55,55 equal: Goal Reached",
    ].join("\n");
    const spans = detectBehaviors(text);
    expect(spans.map((s) => [s.behavior, s.text])).toEqual([
      ["verification", "46,55 unequal: No Solution"],
      ["backtracking", "Moving to Node #0,0,0"],
      ["verification", "55,55 equal: Goal Reached"],
    ]);
  });

  it("counts exactly the goal tests and the returns after dead ends in generated DFS traces, and nothing else", () => {
    for (const [target, nums] of [[47, [42, 61, 66]], [55, [81, 24, 83, 2]], [24, [3, 8, 11]], [10, [2, 5]], [98, [2, 49, 5, 7]]] as const) {
      const trace = dfsTrace(target, nums);
      const lines = trace.split("\n").map((l) => l.trim());
      const goalTests = lines.filter((l) => / (unequal: No Solution|equal: Goal Reached)$/.test(l)).length;
      const returns = lines.filter((l, i) => l.startsWith("Moving to Node") && i > 0 && lines[i - 1].endsWith("No Solution")).length;
      expect(goalTests).toBeGreaterThan(0);
      expect(countBehaviors(trace)).toEqual({ verification: goalTests, backtracking: returns, subgoal_setting: 0, backward_chaining: 0 });
    }
  });

  it("finds nothing in plain arithmetic and a restated problem", () => {
    expect(detectBehaviors("Using the numbers [3, 5, 7], create an equation that equals 22. 3 * 5 = 15. 15 + 7 = 22. <answer>3*5+7</answer>")).toEqual([]);
    expect(countBehaviors("")).toEqual({ verification: 0, backtracking: 0, subgoal_setting: 0, backward_chaining: 0 });
  });

  it("names and documents every rule once", () => {
    const names = BEHAVIORS.flatMap((b) => BEHAVIOR_RULES[b].map((r) => r.name));
    expect(new Set(names).size).toBe(names.length);
    for (const b of BEHAVIORS) for (const r of BEHAVIOR_RULES[b]) expect(r.doc.length).toBeGreaterThan(20);
  });
});
