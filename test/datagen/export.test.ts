// RL prompt exports for verl / OpenRLHF / TRL: the files read back with the layouts the trainers expect (verl's
// parquet through hyparquet, nested columns included), and every label scores its own gold answer as correct, and
// a wrong one as not, through `ratio reward-server`'s service started the way the export's lineage says.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { drawProblems } from "../../src/algorithms/task-problems.js";
import { exportLabel, exportRows, rewardServerFor, writeExport } from "../../src/datagen/export.js";
import { RewardService } from "../../src/server/rewards/remote-rm.js";
import { getTask } from "../../src/tasks/registry.js";
import { freshDir } from "../fixtures/tmp.js";

/** Scores (response, label) pairs with the reward service set up as the export's lineage says. */
async function score(task: string, pairs: { response: string; label: string }[]): Promise<number[]> {
  const s = rewardServerFor(task);
  const service = RewardService.create({ preset: s.preset, fields: s.fields, workers: 0 });
  try {
    return (await service.score(service.parse({ query: pairs.map((p) => p.response), labels: pairs.map((p) => p.label) }))).scores;
  } finally {
    await service.close();
  }
}

describe("data export", () => {
  it("verl: parquet with data_source, a chat-list prompt, ability, reward_model and extra_info; Countdown labels verify", async () => {
    const task = getTask("countdown");
    const rows = exportRows({ task, taskOptions: { preset: "tinyzero" }, n: 12, seed: 3, offset: 1_000_000, split: "test" });
    const file = path.join(freshDir(), "cd.parquet");
    writeExport(file, rows, "verl", "countdown", "test");
    const back = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as Record<string, unknown>[];
    expect(back).toHaveLength(12);
    expect(back[0]).toEqual({
      data_source: "ratio/countdown", prompt: [{ role: "user", content: rows[0].prompt }], ability: "math",
      reward_model: { style: "rule", ground_truth: rows[0].label }, extra_info: { split: "test", index: 1_000_000n, id: rows[0].id },
    });
    expect(JSON.parse(rows[0].label)).toEqual({ target: expect.any(Number), numbers: expect.any(Array) });
    const examples = drawProblems(task, { seed: 3, offset: 1_000_000, count: 12, taskOptions: { preset: "tinyzero" } });
    const gold = rows.map((r, i) => ({ response: `<think>…</think>\n<answer>${String(examples[i].metadata.solution)}</answer>`, label: r.label }));
    expect(await score("countdown", gold)).toEqual(Array(12).fill(1));
    expect(await score("countdown", [{ response: "<answer>1 + 1</answer>", label: rows[0].label }])).toEqual([0]);
  });

  it("openrlhf and trl: JSONL with input/label and prompt/solution; math and multiple-choice labels verify", async () => {
    const dir = freshDir();
    const math = exportRows({ task: getTask("math"), taskOptions: {}, n: 6, seed: 1, offset: 0, split: "train" });
    writeExport(path.join(dir, "m.jsonl"), math, "openrlhf", "math", "train");
    const lines = readFileSync(path.join(dir, "m.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { input: string; label: string });
    expect(lines.map((l) => Object.keys(l))).toEqual(Array(6).fill(["input", "label"]));
    expect(lines.map((l) => l.input)).toEqual(math.map((r) => r.prompt));
    expect(await score("math", lines.map((l) => ({ response: `so \\boxed{${l.label}}`, label: l.label })))).toEqual(Array(6).fill(1));
    expect(await score("math", [{ response: `\\boxed{${Number(lines[0].label) + 1}}`, label: lines[0].label }])).toEqual([0]);

    const mc = exportRows({ task: getTask("multiple-choice"), taskOptions: {}, n: 4, seed: 2, offset: 0, split: "train" });
    writeExport(path.join(dir, "c.jsonl"), mc, "trl", "multiple-choice", "train");
    const trl = readFileSync(path.join(dir, "c.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { prompt: string; solution: string });
    const key = (r: { solution: string }) => (JSON.parse(r.solution) as { answerKey: string }).answerKey;
    expect(await score("multiple-choice", trl.map((r) => ({ response: `The answer is (${key(r)}).`, label: r.solution })))).toEqual(Array(4).fill(1));
  });

  it("refuses a task the reward server cannot score", () => {
    const [e] = drawProblems(getTask("addition"), { seed: 0, offset: 0, count: 1, taskOptions: {} });
    expect(() => exportLabel("addition", e)).toThrow(/no verifier.*math, countdown, multiple-choice/);
  });
});
