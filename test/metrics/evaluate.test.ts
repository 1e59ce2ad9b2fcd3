import { describe, expect, it } from "vitest";
import { evaluateProblems, parseSampleRecords, passAtK, type SampleRecord } from "../../src/metrics/index.js";

const records: SampleRecord[] = [
  { id: "a", correct: true, answer: "1" },
  { id: "b", correct: false, answer: null },
  { id: "a", correct: false, answer: "2" },
  { id: "a", correct: false, answer: "2" },
  { id: "b", correct: true, answer: "7" },
  { id: "a", correct: true, answer: "1" },
  { id: "b", correct: false, answer: "3" },
  { id: "b", correct: false, answer: "3" },
];

describe("evaluateProblems", () => {
  it("groups by id in first-seen order and keeps per-problem outputs", () => {
    const ev = evaluateProblems(records, [1, 2, 4]);
    expect(ev.problems.map((p) => [p.id, p.n, p.c])).toEqual([
      ["a", 4, 2],
      ["b", 4, 1],
    ]);
    const [a, b] = ev.problems;
    expect(a.pass_at[2]).toBeCloseTo(passAtK(4, 2, 2), 14);
    expect(a.cov_at).toEqual({ 1: 1, 2: 1, 4: 1 });
    expect(b.cov_at).toEqual({ 1: 0, 2: 1, 4: 1 });
    // a: first two answers "1","2" tie → "1" (voted first) wins; all four: "1" and "2" tie at 2 → "1"
    expect(a.maj_at).toEqual({ 1: 1, 2: 1, 4: 1 });
    expect(a.majority_answer).toBe("1");
    expect(a.majority_correct).toBe(true);
    // b: first sample has no answer → maj@1 wrong; all four: "3" wins with 2
    expect(b.maj_at).toEqual({ 1: 0, 2: 1, 4: 0 });
    expect(b.majority_answer).toBe("3");
    expect(b.majority_correct).toBe(false);
    // unbiased maj@1 of b: one sample of 4 is the correct class
    expect(b.maj_unbiased_at![1]).toBeCloseTo(0.25, 14);
    expect(ev.summary["avg@n"]).toBeCloseTo((2 / 4 + 1 / 4) / 2, 14);
    expect(ev.summary["pass@1"]).toBeCloseTo(ev.summary["avg@n"], 14);
    expect(ev.summary["maj@2"]).toBe(1);
    expect(ev.summary["maj@4"]).toBe(0.5);
    expect(Object.keys(ev.summary)).toEqual([
      "pass@1", "cov@1", "maj@1", "maj@1_unbiased",
      "pass@2", "cov@2", "maj@2", "maj@2_unbiased",
      "pass@4", "cov@4", "maj@4", "maj@4_unbiased",
      "avg@n",
    ]);
  });

  it("honours majMode and rejects k > n naming the problem", () => {
    const first = evaluateProblems(records, [2], { majMode: "first" });
    expect(first.problems[0].maj_unbiased_at).toBeUndefined();
    expect(first.summary["maj@2_unbiased"]).toBeUndefined();
    const unbiased = evaluateProblems(records, [2], { majMode: "unbiased" });
    expect(unbiased.problems[0].maj_at).toBeUndefined();
    expect(unbiased.summary["maj@2"]).toBeUndefined();
    expect(() => evaluateProblems(records, [8])).toThrow('problem "a" has n=4 samples, fewer than k=8');
  });
});

describe("parseSampleRecords", () => {
  it("reads id/correct/answer and the `ratio score` field names", () => {
    const text = '{"id":"p1","correct":true,"answer":"42"}\n\n{"problem_id":7,"correct":0,"extracted":null}\n{"id":"p1","correct":1,"extracted":3.5}\n';
    expect(parseSampleRecords(text, "r.jsonl")).toEqual([
      { id: "p1", correct: true, answer: "42" },
      { id: 7, correct: false, answer: null },
      { id: "p1", correct: true, answer: "3.5" },
    ]);
  });

  it("names file and line in errors", () => {
    expect(() => parseSampleRecords('{"id":"a","correct":true}\n{"id":"a",', "r.jsonl")).toThrow(/^r\.jsonl:2: malformed JSON/);
    expect(() => parseSampleRecords('{"correct":true}', "r.jsonl")).toThrow('r.jsonl:1: missing field "id" (or "problem_id")');
    expect(() => parseSampleRecords('{"id":"a"}', "r.jsonl")).toThrow('r.jsonl:1: missing field "correct"');
    expect(() => parseSampleRecords('{"id":"a","correct":"yes"}', "r.jsonl")).toThrow(/r\.jsonl:1: field "correct" must be true\/false/);
    expect(() => parseSampleRecords('{"id":"a","correct":true,"answer":[1]}', "r.jsonl")).toThrow(/r\.jsonl:1: field "answer" must be a string/);
    expect(() => parseSampleRecords("[1]", "r.jsonl")).toThrow("r.jsonl:1: expected a JSON object");
    expect(() => parseSampleRecords("\n\n", "r.jsonl")).toThrow(/r\.jsonl: no records/);
  });
});
