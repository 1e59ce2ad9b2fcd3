import { describe, expect, it } from "vitest";
import { additionDigitsBucket, evaluatePolicy } from "../../src/algorithms/evaluate.js";
import { additionTask } from "../../src/tasks/addition.js";
import type { Example, Task } from "../../src/tasks/types.js";
import { testModel } from "../sampling/model.js";

// A task over the sampling test model's alphabet: the answer is the first character of the completion.
const firstCharTask: Task = {
  name: "first-char", description: "test", options: additionTask.options as unknown as Task["options"],
  generate: () => { throw new Error("unused"); },
  prompt: (ex) => ex.question,
  score: (completion, ex) => {
    const extracted = completion.length > 0 ? completion[0] : null;
    const correct = extracted === ex.answer;
    return { reward: correct ? 1 : 0, correct, extracted, reason: "" };
  },
  fromFields: () => { throw new Error("unused"); },
};

const examples: Example[] = ["ab", "ba", "cc", "hd", "ge", "f"].map((q, i) => ({ id: `p${i}`, question: q, answer: "abcd"[i % 4], metadata: { len: q.length } }));

describe("evaluatePolicy", () => {
  it("greedy accuracy, maj@k and pass@k agree with the samples, per bucket and overall", async () => {
    const { gen } = await testModel();
    const opts = { maxTokens: 3, k: 5, temperature: 1, seed: 3, bucket: (e: Example) => String(e.metadata.len) };
    const r = await evaluatePolicy(gen, firstCharTask, examples, opts);
    const greedy = await gen.generate(examples.map((e) => e.question), { temperature: 0, maxTokens: 3 });
    expect(r.records.map((x) => x.greedy.completion)).toEqual(greedy.map((c) => c.text));
    expect(r.greedyAccuracy).toBeCloseTo(greedy.filter((c, i) => c.text[0] === examples[i].answer).length / examples.length, 12);
    for (const rec of r.records) {
      expect(rec.samples).toHaveLength(5);
      const counts = new Map<string, number>();
      for (const s of rec.samples!) if (s.extracted !== null) counts.set(s.extracted, (counts.get(s.extracted) ?? 0) + 1);
      const top = Math.max(...counts.values());
      const winner = rec.samples!.find((s) => s.extracted !== null && counts.get(s.extracted) === top)!.extracted; // earliest first vote
      expect(rec.majority!.answer).toBe(winner);
      expect(rec.pass).toBe(rec.samples!.some((s) => s.correct) ? 1 : 0);
    }
    expect(Object.keys(r.byBucket)).toEqual(["1", "2"]);
    expect(r.byBucket["1"].problems + r.byBucket["2"].problems).toBe(6);
    const two = r.records.filter((x) => x.bucket === "2");
    expect(r.byBucket["2"].maj).toBeCloseTo(two.filter((x) => x.majority!.correct).length / two.length, 12);
    expect(r.passAtK).toBeGreaterThanOrEqual(r.majAccuracy!);
    expect(r.k).toBe(5);
    // deterministic
    expect(await evaluatePolicy(gen, firstCharTask, examples, opts)).toEqual(r);
  });

  it("greedy only without k, one bucket by default; options are checked", async () => {
    const { gen } = await testModel();
    const r = await evaluatePolicy(gen, firstCharTask, examples, { maxTokens: 2, seed: 0 });
    expect(r.majAccuracy).toBeUndefined();
    expect(Object.keys(r.byBucket)).toEqual(["all"]);
    expect(r.records[0].samples).toBeUndefined();
    await expect(evaluatePolicy(gen, firstCharTask, examples, { maxTokens: 0, seed: 0 })).rejects.toThrow(/maxTokens/);
    await expect(evaluatePolicy(gen, firstCharTask, examples, { maxTokens: 2, k: -1, seed: 0 })).rejects.toThrow(/option k/);
  });

  it("buckets addition problems by their longer operand", () => {
    expect(additionDigitsBucket(additionTask.fromFields({ a: 123, b: 4 }))).toBe("3");
    expect(additionDigitsBucket(additionTask.fromFields({ a: 7, b: 45678 }))).toBe("5");
    expect(() => additionDigitsBucket(examples[0])).toThrow(/digitsA/);
  });
});
