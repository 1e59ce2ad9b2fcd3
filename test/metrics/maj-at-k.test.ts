import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BinomialTable,
  groupAnswers,
  majAtKFirst,
  majAtKUnbiased,
  majorityVote,
  winProbabilitiesByEnumeration,
  winProbabilitiesExact,
  type Equivalence,
} from "../../src/metrics/index.js";

/** Independent brute force: every k-subset in sample order, plurality with first-vote tie-break. */
function bruteMajAtK(answers: (string | null)[], correct: boolean[], k: number, key: (a: string) => string = (a) => a): number {
  const n = answers.length;
  const firstCorrect = new Map<string, boolean>();
  answers.forEach((a, i) => {
    if (a !== null && !firstCorrect.has(key(a))) firstCorrect.set(key(a), correct[i]);
  });
  let wins = 0;
  let total = 0;
  const rec = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      total++;
      const counts = new Map<string, number>();
      for (const i of chosen) if (answers[i] !== null) counts.set(key(answers[i]!), (counts.get(key(answers[i]!)) ?? 0) + 1);
      let best: string | null = null;
      let bestCount = 0;
      for (const [cls, cnt] of counts) if (cnt > bestCount) [best, bestCount] = [cls, cnt];
      if (best !== null && firstCorrect.get(best)) wins++;
      return;
    }
    for (let i = start; i <= n - (k - chosen.length); i++) rec(i + 1, [...chosen, i]);
  };
  rec(0, []);
  return wins / total;
}

/** Python's Counter(first_k).most_common(1)[0][0] (stable sort: ties keep insertion order). */
function pythonMostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

const votesArb = fc
  .integer({ min: 1, max: 14 })
  .chain((n) =>
    fc.record({
      answers: fc.array(fc.option(fc.constantFrom("a", "b", "c", "d", "e"), { nil: null, freq: 4 }), { minLength: n, maxLength: n }),
      correctClass: fc.subarray(["a", "b", "c", "d", "e"]),
      k: fc.integer({ min: 1, max: n }),
    }),
  );

describe("maj@k unbiased (exact expectation over k-subsets)", () => {
  it("equals brute-force enumeration of all k-subsets (property, n ≤ 14)", () => {
    fc.assert(
      fc.property(votesArb, ({ answers, correctClass, k }) => {
        const correct = answers.map((a) => a !== null && correctClass.includes(a));
        const expected = bruteMajAtK(answers, correct, k);
        expect(majAtKUnbiased(answers, correct, k)).toBeCloseTo(expected, 12);
        // the counting formula, even where the public function would enumerate
        const groups = groupAnswers(answers);
        const probs = winProbabilitiesExact(groups, k);
        const viaFormula = probs.reduce((s, p, c) => s + (correct[groups.classes[c].members[0]] ? p : 0), 0);
        expect(viaFormula).toBeCloseTo(expected, 12);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it("win probabilities plus P(all chosen are null) sum to 1", () => {
    const answers = ["x", null, "y", "x", null, "z", "y", "y", "x", null, "w", "x"];
    const groups = groupAnswers(answers);
    const table = new BinomialTable();
    for (let k = 1; k <= answers.length; k++) {
      const p = winProbabilitiesExact(groups, k, table);
      const none = table.get(3, k) / table.get(answers.length, k);
      expect(p.reduce((a, b) => a + b, 0) + none).toBeCloseTo(1, 12);
      const e = winProbabilitiesByEnumeration(groups, k);
      p.forEach((v, i) => expect(v).toBeCloseTo(e[i], 12));
    }
  });

  it("matches brute force where the counting formula is used (C(16, 8) = 12870 subsets)", () => {
    const answers = ["1", "2", "2", null, "3", "1", "1", "2", "3", "3", null, "2", "4", "1", "3", "2"];
    const correct = answers.map((a) => a === "1");
    expect(majAtKUnbiased(answers, correct, 8)).toBeCloseTo(bruteMajAtK(answers, correct, 8), 12);
    const correct3 = answers.map((a) => a === "3");
    expect(majAtKUnbiased(answers, correct3, 5)).toBeCloseTo(bruteMajAtK(answers, correct3, 5), 12);
  });

  it("is consistent at n = 64 for k from 1 to 64", () => {
    const answers = Array.from({ length: 64 }, (_, i) => (i % 5 === 0 ? null : String((i * 7) % 4)));
    const correct = answers.map((a) => a === "1");
    const values = [1, 2, 4, 8, 16, 32, 64].map((k) => majAtKUnbiased(answers, correct, k));
    for (const v of values) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of values) expect(v).toBeLessThanOrEqual(1);
    // k = 1: the chance of drawing a sample of the correct class
    expect(values[0]).toBeCloseTo(answers.filter((a) => a === "1").length / 64, 12);
    // k = n: every subset is the whole set, so it equals the first-k vote
    expect(values[6]).toBeCloseTo(majAtKFirst(answers, correct, 64), 12);
  });

  it("maj@1 unbiased is the fraction of samples whose answer's class is correct", () => {
    const answers = ["a", "b", null, "a"];
    const correct = [true, false, false, true];
    expect(majAtKUnbiased(answers, correct, 1)).toBeCloseTo(0.5, 14);
  });

  it("null answers never win unless all are null", () => {
    expect(majAtKUnbiased([null, null, null], [false, false, false], 2)).toBe(0);
    expect(majAtKFirst([null, null, "7"], [false, false, true], 3)).toBe(1);
    expect(majAtKFirst([null, null, "7"], [false, false, true], 2)).toBe(0);
    expect(majorityVote([null, null], [false, false])).toEqual({ answer: null, correct: false });
  });
});

describe("maj@k first k (the anchors' definition)", () => {
  it("reproduces Counter.most_common / max(key=count) over the first k answers", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("2", "3", "5", "7"), { minLength: 1, maxLength: 20 }), fc.nat(), (answers, kSeed) => {
        const k = 1 + (kSeed % answers.length);
        const gold = "3";
        const correct = answers.map((a) => a === gold);
        const expected = pythonMostCommon(answers.slice(0, k)) === gold ? 1 : 0;
        expect(majAtKFirst(answers, correct, k)).toBe(expected);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it("breaks ties by first occurrence in sample order", () => {
    const answers = ["2", "3", "3", "2", "5"];
    const correct = answers.map((a) => a === "2");
    expect(majAtKFirst(answers, correct, 4)).toBe(1); // 2 and 3 tie at 2 votes; "2" voted first
    expect(majAtKFirst(answers, correct, 3)).toBe(0); // "3" has 2 of 3
    expect(majorityVote(answers, correct)).toEqual({ answer: "2", correct: true });
  });
});

describe("equivalence-class voting", () => {
  const math: Record<string, string> = { "0.5": "1/2", "\\frac12": "1/2", "1/2": "1/2", "\\frac{1}{2}": "1/2" };
  const canonical: Equivalence = { canonical: (a) => math[a] ?? a };
  const equivalent: Equivalence = { equivalent: (a, b) => (math[a] ?? a) === (math[b] ?? b) };

  it("counts 0.5 and \\frac12 as one vote (canonical key and predicate)", () => {
    const answers = ["3", "0.5", "3", "\\frac12", "1/2"];
    const correct = answers.map((a) => a !== "3");
    expect(majAtKFirst(answers, correct, 5)).toBe(0); // string equality: "3" wins with 2
    expect(majAtKFirst(answers, correct, 5, canonical)).toBe(1);
    expect(majAtKFirst(answers, correct, 5, equivalent)).toBe(1);
    expect(majorityVote(answers, correct, canonical)).toEqual({ answer: "0.5", correct: true });
    const key = (a: string) => math[a] ?? a;
    for (let k = 1; k <= 5; k++) {
      expect(majAtKUnbiased(answers, correct, k, canonical)).toBeCloseTo(bruteMajAtK(answers, correct, k, key), 12);
      expect(majAtKUnbiased(answers, correct, k, equivalent)).toBeCloseTo(bruteMajAtK(answers, correct, k, key), 12);
    }
  });

  it("joins an answer to the first earlier class it is equivalent to", () => {
    const groups = groupAnswers(["\\frac{1}{2}", "x", "0.5", null, "x"], equivalent);
    expect(groups.classes.map((c) => c.representative)).toEqual(["\\frac{1}{2}", "x"]);
    expect(groups.classOf).toEqual([0, 1, 0, -1, 1]);
  });
});
