import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { extractChoice, multipleChoiceTask, renderChoices, type Choice } from "../../src/tasks/multiple-choice.js";

const CHOICES: Choice[] = [
  { label: "A", text: "shirt pocket" },
  { label: "B", text: "calligrapher's hand" },
  { label: "C", text: "inkwell" },
  { label: "D", text: "desk drawer" },
  { label: "E", text: "blotter" },
];
const EX = multipleChoiceTask.fromFields({ question: "What absorbs extra ink from a fountain pen?", choices: CHOICES, answer: "E" });
const pick = (text: string): string | null => extractChoice(text, CHOICES).label;

describe("multiple choice", () => {
  it("renders CommonsenseQA-style choices", () => {
    expect(EX.question).toBe("What absorbs extra ink from a fountain pen?\nAnswer Choices:\n(A) shirt pocket\n(B) calligrapher's hand\n(C) inkwell\n(D) desk drawer\n(E) blotter");
    expect(multipleChoiceTask.prompt(EX)).toBe(`Q: ${EX.question}\nA:`);
    expect(EX.answer).toBe("E");
  });

  it("extracts the label in its many forms", () => {
    expect(pick("Blotters absorb liquids. So the answer is blotter (E).")).toBe("E");
    expect(pick("Therefore, the answer is blotter (e).")).toBe("E");
    expect(pick("The answer is E")).toBe("E");
    expect(pick("Answer: (B)")).toBe("B");
    expect(pick("<think>maybe (A)</think><answer>C</answer>")).toBe("C");
    expect(pick("<answer>(d)</answer>")).toBe("D");
    expect(pick("I pick \\boxed{D}")).toBe("D");
    expect(pick("so we get (A), not (B)... final (C)")).toBe("C");
    expect(pick("Thinking...\nD")).toBe("D");
    expect(pick("It must be an inkwell.")).toBe("C");
    expect(pick("A blotter absorbs ink.")).toBe("E");
  });

  it("refuses hedged or foreign answers", () => {
    expect(pick("The answer is A or B.")).toBeNull();
    expect(pick("\\boxed{A}\\boxed{B}\\boxed{C}\\boxed{D}\\boxed{E}")).toBeNull();
    expect(pick("\\boxed{F}")).toBeNull();
    expect(pick("<answer>A B C D E</answer>")).toBeNull();
    expect(pick("Ｅ")).toBeNull();
    expect(pick("")).toBeNull();
    expect(pick("no idea")).toBeNull();
  });

  it("scores and never throws on arbitrary strings (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = multipleChoiceTask.score(s, EX);
        return typeof r.correct === "boolean" && (r.correct ? r.reward === 1 && r.extracted === "E" : r.reward === 0);
      }),
      { numRuns: 500 },
    );
    expect(multipleChoiceTask.score("the answer is (E)", EX)).toMatchObject({ correct: true, reward: 1, extracted: "E" });
    expect(multipleChoiceTask.score("the answer is (A)", EX)).toMatchObject({ correct: false, reward: 0, extracted: "A" });
  });

  it("generated questions are deterministic and their rationale scores 1", () => {
    for (let index = 0; index < 20; index++) {
      const ex = multipleChoiceTask.generate({ seed: 2, index, numChoices: 4 });
      expect(multipleChoiceTask.generate({ seed: 2, index, numChoices: 4 })).toEqual(ex);
      expect((ex.metadata.choices as Choice[]).map((c) => c.label)).toEqual(["A", "B", "C", "D"]);
      expect(multipleChoiceTask.score(multipleChoiceTask.rationale!(ex), ex).correct).toBe(true);
    }
  });

  it("rationalization marks the gold choice (CORRECT) and strips the mark", () => {
    const hinted = multipleChoiceTask.rationalization!.prompt(EX);
    expect(hinted).toBe(renderChoices("What absorbs extra ink from a fountain pen?", CHOICES, "E"));
    expect(hinted).toContain("(E) blotter (CORRECT)");
    expect(multipleChoiceTask.rationalization!.strip(hinted)).toBe(EX.question);
    expect(multipleChoiceTask.rationalization!.strip("so blotter (CORRECT) it is, (E).")).toBe("so blotter it is, (E).");
  });

  it("fromFields validates its input", () => {
    expect(() => multipleChoiceTask.fromFields({ question: "q", choices: CHOICES, answer: "F" })).toThrow(/answer key "F"/);
    expect(() => multipleChoiceTask.fromFields({ question: "q", choices: [{ label: "A", text: "x" }], answer: "A" })).toThrow(/at least 2/);
    expect(multipleChoiceTask.fromFields({ question: "q", choices: ["yes", "no"], answer: "b" }).answer).toBe("B");
  });
});
