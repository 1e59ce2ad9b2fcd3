import { describe, expect, it } from "vitest";
import { describeTaskOptions, getTask, listTasks, parseTaskOptions } from "../../src/tasks/index.js";

describe("task registry", () => {
  it("lists and finds the tasks", () => {
    expect(listTasks().map((t) => t.name)).toEqual(["addition", "countdown", "multiple-choice", "math"]);
    for (const t of listTasks()) {
      expect(getTask(t.name)).toBe(t);
      expect(t.description.length).toBeGreaterThan(10);
    }
    expect(() => getTask("sudoku")).toThrow('unknown task "sudoku" (expected one of: addition, countdown, multiple-choice, math)');
  });

  it("parses options with defaults and CLI-style strings", () => {
    expect(parseTaskOptions("addition", {})).toEqual({ minDigits: 1, maxDigits: 5, equalDigits: false });
    expect(parseTaskOptions("addition", { maxDigits: "8", equalDigits: "true" })).toEqual({ minDigits: 1, maxDigits: 8, equalDigits: true });
    expect(parseTaskOptions("countdown", { preset: "sos" })).toMatchObject({ preset: "sos", search: "dfs", beamSize: 3 });
  });

  it("turns zod errors into one-line messages naming the option", () => {
    const message = (name: string, raw: unknown): string => {
      try {
        parseTaskOptions(name, raw);
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(message("addition", { maxDigits: 11 })).toMatch(/^task "addition": option "maxDigits": Too big/);
    expect(message("addition", { maxDigits: "many" })).toMatch(/^task "addition": option "maxDigits": Invalid input: expected number, received string$/);
    expect(message("countdown", { preset: "classic" })).toMatch(/^task "countdown": option "preset": /);
    expect(message("countdown", { digits: 3 })).toBe('task "countdown": unknown option "digits" (expected one of: preset, minNumbers, maxNumbers, minValue, maxValue, minTarget, maxTarget, search, beamSize, heuristic)');
    for (const m of [message("addition", { maxDigits: 11 }), message("countdown", { preset: "x" })]) expect(m).not.toContain("\n");
  });

  it("documents every option", () => {
    for (const t of listTasks()) {
      const docs = describeTaskOptions(t.name);
      expect(docs.length).toBeGreaterThan(0);
      for (const d of docs) expect(d.description, `${t.name}.${d.name}`).not.toBe("");
    }
    expect(describeTaskOptions("addition")).toContainEqual({ name: "maxDigits", description: "most digits per operand (1–10)", default: 5 });
  });

  it("generated examples name their task in metadata.task, as loaded ones do", () => {
    for (const t of listTasks()) {
      expect(t.generate({ seed: 1, index: 2 }).metadata.task, t.name).toBe(t.name);
    }
  });
});
