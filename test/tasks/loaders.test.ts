import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fieldMappingFor, gsm8kGold, loadDataset, parseFieldMapping } from "../../src/tasks/loaders/index.js";
import { getTask } from "../../src/tasks/registry.js";

const dir = "test/fixtures/datasets";
const errorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
};

describe("dataset loaders", () => {
  it("GSM8K (JSONL): gold after ####, commas removed, blank lines skipped", async () => {
    const xs = await loadDataset(`${dir}/gsm8k.jsonl`, { preset: "gsm8k" });
    expect(xs.map((x) => x.answer)).toEqual(["72", "6000", "2"]);
    expect(xs.map((x) => x.id)).toEqual(["gsm8k.jsonl:1", "gsm8k.jsonl:2", "tom-apples"]);
    expect(xs[0].metadata).toMatchObject({ task: "math", source: `${dir}/gsm8k.jsonl:1` });
    expect(xs[2].metadata.source).toBe(`${dir}/gsm8k.jsonl:4`);
    expect(xs[0].metadata.rationale).toMatch(/^Natalia sold 48\/2/);
    const math = getTask("math");
    expect(math.score("... so \\boxed{72}", xs[0]).correct).toBe(true);
    expect(math.score(math.rationale!(xs[0]), xs[0]).correct).toBe(true);
    expect(gsm8kGold("x\n#### 1,234,567")).toBe("1234567");
    expect(gsm8kGold("no marker")).toBeNull();
  });

  it("GSM8K (parquet) reads the same way", async () => {
    const xs = await loadDataset(`${dir}/gsm8k.parquet`, { preset: "gsm8k" });
    expect(xs.map((x) => x.answer)).toEqual(["72", "10", "1500"]);
    expect(xs[1].metadata.source).toBe(`${dir}/gsm8k.parquet: row 2`);
    const some = await loadDataset(`${dir}/gsm8k.parquet`, { preset: "gsm8k", offset: 1, limit: 1, fields: { id: "index" }, keepRecord: true });
    expect(some).toHaveLength(1);
    expect(some[0].id).toBe("1"); // INT64 column read as a number
    expect(some[0].metadata.record).toMatchObject({ index: 1 });
  });

  it("MATH: gold is the last brace-balanced \\boxed{}", async () => {
    const xs = await loadDataset(`${dir}/math.jsonl`, { preset: "math" });
    expect(xs.map((x) => x.answer)).toEqual(["\\frac{3}{4}", "2\\sqrt{2}", "\\{-1, 1\\}"]);
    expect(xs[0].metadata).toMatchObject({ level: "Level 1", type: "Prealgebra", task: "math" });
    expect(xs[0].question).toMatch(/^What is/);
  });

  it("CommonsenseQA: nested stem, choices and answerKey", async () => {
    const xs = await loadDataset(`${dir}/commonsenseqa.jsonl`, { preset: "commonsenseqa" });
    expect(xs[0].id).toBe("csqa-1");
    expect(xs[0].answer).toBe("E");
    expect(xs[0].question).toBe("What do people carry to stay dry when it rains?\nAnswer Choices:\n(A) sunglasses\n(B) a kite\n(C) sandals\n(D) a fan\n(E) an umbrella");
    expect(xs[0].metadata.task).toBe("multiple-choice");
    expect(getTask("multiple-choice").score("The answer is an umbrella (E).", xs[0]).correct).toBe(true);
  });

  it("plain JSON array, with a field mapping", async () => {
    const xs = await loadDataset(`${dir}/plain.json`, { preset: "plain", limit: 2 });
    expect(xs.map((x) => [x.question, x.answer])).toEqual([
      ["What is 6 times 7?", "42"],
      ["What is the capital of France?", "Paris"],
    ]);
    const mapped = await loadDataset(`${dir}/plain.json`, { preset: "plain", offset: 2, fields: parseFieldMapping(["question=prompt", "answer=solution"]) });
    expect(mapped).toMatchObject([{ question: "What is 2 + 3?", answer: "5", id: "plain.json:3" }]);
  });

  it("countdown records become scorable countdown examples", async () => {
    const xs = await loadDataset(`${dir}/countdown.jsonl`, { preset: "countdown" });
    expect(xs.map((x) => x.metadata.target)).toEqual([98, 64, 24]);
    const task = getTask("countdown");
    for (const x of xs) expect(task.score(task.rationale!(x), x).correct).toBe(true);
    const sos = await loadDataset(`${dir}/countdown.jsonl`, { preset: "countdown", countdownPreset: "sos", limit: 1 });
    expect(sos[0].metadata.preset).toBe("sos");
  });

  it("errors name the file, the line and the field", async () => {
    expect(await errorOf(loadDataset(`${dir}/gsm8k-bad.jsonl`, { preset: "gsm8k" }))).toBe(`${dir}/gsm8k-bad.jsonl:2: field "answer" has no "#### <answer>" line (GSM8K format)`);
    expect(await errorOf(loadDataset(`${dir}/gsm8k-broken.jsonl`, { preset: "gsm8k" }))).toMatch(new RegExp(`^${dir}/gsm8k-broken.jsonl:2: invalid JSON`));
    expect(await errorOf(loadDataset(`${dir}/math.jsonl`, { preset: "gsm8k" }))).toBe(`${dir}/math.jsonl:1: field "question" is missing (logical field "question")`);
    expect(await errorOf(loadDataset(`${dir}/gsm8k.jsonl`, { preset: "math" }))).toBe(`${dir}/gsm8k.jsonl:1: field "problem" is missing (logical field "question")`);
    expect(await errorOf(loadDataset(`${dir}/commonsenseqa-bad.jsonl`, { preset: "commonsenseqa" }))).toBe(`${dir}/commonsenseqa-bad.jsonl:1: field "answerKey" is "F", not one of the labels A, B`);
    expect(await errorOf(loadDataset(`${dir}/plain.json`, { preset: "plain" }))).toBe(`${dir}/plain.json: element 3: field "question" is missing (logical field "question")`);
    expect(await errorOf(loadDataset(`${dir}/gsm8k.parquet`, { preset: "math" }))).toBe(`${dir}/gsm8k.parquet: row 1: field "problem" is missing (logical field "question")`);
    expect(await errorOf(loadDataset(`${dir}/nope.jsonl`))).toBe(`${dir}/nope.jsonl: file not found`);
    expect(await errorOf(loadDataset(`${dir}/gsm8k.jsonl`, { fields: { rationale: "x" } }))).toMatch(/preset "plain" has no field "rationale"/);
    expect(await errorOf(loadDataset(`test/fixtures/make-parquet.mjs`))).toMatch(/cannot tell the format/);
    expect(await errorOf(loadDataset(`${dir}/gsm8k.jsonl`, { format: "parquet" }))).toMatch(/cannot read parquet/);
  });

  it("reads JSONL and JSON files that start with a byte order mark", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "ratio-bom-"));
    writeFileSync(join(tmp, "bom.jsonl"), '\uFEFF{"question": "What is 2+3?", "answer": "5"}\r\n');
    writeFileSync(join(tmp, "bom.json"), '\uFEFF[{"question": "What is 2+3?", "answer": "5"}]');
    for (const f of ["bom.jsonl", "bom.json"]) expect((await loadDataset(join(tmp, f), { preset: "plain" })).map((x) => x.answer)).toEqual(["5"]);
  });

  it("parses field-mapping specs, with errors that name the mapping (no command has a --field flag)", () => {
    expect(parseFieldMapping(["question=problem", "answer=solution"])).toEqual({ question: "problem", answer: "solution" });
    expect(parseFieldMapping("question=q.stem,answer=a")).toEqual({ question: "q.stem", answer: "a" });
    expect(() => parseFieldMapping("question")).toThrow('field mapping "question": expected name=path, e.g. question=problem');
    expect(() => fieldMappingFor("gsm8k", ["choices=x"])).toThrow(/unknown field "choices"/);
  });
});
