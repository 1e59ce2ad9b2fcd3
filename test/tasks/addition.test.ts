import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { additionScratchpad, additionTask, extractAdditionAnswer } from "../../src/tasks/addition.js";

const STAR_EXAMPLE = `Input:
6 2 4 + 2 5 9
Target:
<scratch>
6 2 4 + 2 5 9 , C: 0
2 + 5 , 3 C: 1
6 + 2 , 8 3 C: 0
, 8 8 3 C: 0
0 8 8 3
</scratch>
8 8 3`;

describe("addition (STaR scratchpad)", () => {
  it("reproduces the STaR example byte for byte", () => {
    const ex = additionTask.fromFields({ a: 624, b: 259 });
    expect(additionTask.prompt(ex) + additionTask.rationale!(ex)).toBe(STAR_EXAMPLE);
    expect(ex.question).toBe("6 2 4 + 2 5 9");
    expect(ex.answer).toBe("8 8 3");
    expect(ex.metadata).toMatchObject({ a: 624, b: 259 });
  });

  it("keeps a final carry and pads the shorter operand with 0 in the pair lines", () => {
    expect(additionScratchpad(7, 5)).toBe("<scratch>\n7 + 5 , C: 0\n, 2 C: 1\n1 2\n</scratch>\n1 2");
    expect(additionScratchpad(45, 123)).toBe("<scratch>\n4 5 + 1 2 3 , C: 0\n4 + 2 , 8 C: 0\n0 + 1 , 6 8 C: 0\n, 1 6 8 C: 0\n0 1 6 8\n</scratch>\n1 6 8");
    expect(additionScratchpad(999, 1)).toBe("<scratch>\n9 9 9 + 1 , C: 0\n9 + 0 , 0 C: 1\n9 + 0 , 0 0 C: 1\n, 0 0 0 C: 1\n1 0 0 0\n</scratch>\n1 0 0 0");
    expect(additionScratchpad(0, 0)).toBe("<scratch>\n0 + 0 , C: 0\n, 0 C: 0\n0 0\n</scratch>\n0");
  });

  it("gold rationales always score 1 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), fc.integer({ min: 0, max: 9_999_999_999 }), (a, b) => {
        const ex = additionTask.fromFields({ a, b });
        const s = additionTask.score(additionTask.rationale!(ex), ex);
        return s.correct && s.reward === 1 && s.extracted === ex.answer;
      }),
      { numRuns: 300 },
    );
  });

  it("generate is deterministic, in range and independent of order", () => {
    const a = Array.from({ length: 20 }, (_, i) => additionTask.generate({ seed: 5, index: i, minDigits: 3, maxDigits: 7 }));
    const b = Array.from({ length: 20 }, (_, i) => additionTask.generate({ seed: 5, index: 19 - i, minDigits: 3, maxDigits: 7 })).reverse();
    expect(b).toEqual(a);
    for (const ex of a) {
      for (const k of ["digitsA", "digitsB"]) expect(ex.metadata[k]).toBeGreaterThanOrEqual(3);
      for (const k of ["digitsA", "digitsB"]) expect(ex.metadata[k]).toBeLessThanOrEqual(7);
    }
    const eq = additionTask.generate({ seed: 1, index: 3, minDigits: 10, maxDigits: 10, equalDigits: true });
    expect(String(eq.metadata.a).length).toBe(10);
    expect(String(eq.metadata.b).length).toBe(10);
    expect(() => additionTask.generate({ seed: 1, index: 0, maxDigits: 11 })).toThrow(/option "maxDigits"/);
    expect(() => additionTask.generate({ seed: 1, index: 0, minDigits: 5, maxDigits: 2 })).toThrow(/maxDigits/);
  });

  it("scores the answer line after </scratch>, spaces ignored", () => {
    const ex = additionTask.fromFields({ a: 624, b: 259 });
    expect(additionTask.score("<scratch>\nwhatever\n</scratch>\n883", ex).correct).toBe(true);
    expect(additionTask.score("<scratch>\n</scratch>\n\n 8 8 3 \n", ex).correct).toBe(true);
    expect(additionTask.score("<scratch>\n</scratch>\n0 8 8 3", ex).correct).toBe(true);
    expect(additionTask.score("<scratch>\n</scratch>\n8 8 4", ex)).toMatchObject({ correct: false, reward: 0, extracted: "8 8 4" });
    expect(additionTask.score("8 8 3", ex)).toMatchObject({ correct: false, extracted: null });
    expect(additionTask.score("<scratch>\n</scratch>\n８ ８ ３", ex).correct).toBe(false);
    expect(additionTask.score("<scratch>\n</scratch>\n8 8 3 + 0", ex).correct).toBe(false);
    expect(extractAdditionAnswer("</scratch>")).toBeNull();
  });

  it("rationalization shows the answer before Target: and strips it again", () => {
    const ex = additionTask.fromFields({ a: 624, b: 259 });
    const hinted = additionTask.rationalization!.prompt(ex);
    expect(hinted).toBe("Input:\n6 2 4 + 2 5 9\nAnswer: 8 8 3\nTarget:\n");
    expect(additionTask.rationalization!.strip(hinted)).toBe(additionTask.prompt(ex));
    const rationale = additionTask.rationale!(ex);
    expect(additionTask.rationalization!.strip(rationale)).toBe(rationale);
  });

  it("fromFields validates a and b", () => {
    expect(() => additionTask.fromFields({ a: -1, b: 2 })).toThrow(/field "a"/);
    expect(() => additionTask.fromFields({ a: 1, b: "2" })).toThrow(/field "b"/);
    expect(() => additionTask.fromFields({ a: 1e10, b: 2 })).toThrow(/field "a"/);
  });
});
