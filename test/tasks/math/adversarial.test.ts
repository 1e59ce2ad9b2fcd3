import { describe, expect, it } from "vitest";
import { extractMathAnswer, mathEqual, verifyMath } from "../../../src/tasks/math/index.js";

/**
 * Hostile completions. `correct` is what a sound grader must answer; everything else must be "not correct",
 * without throwing and within a generous bound (a guard against hangs, not a speed test).
 */
interface AdversarialCase {
  name: string;
  gold: string;
  completion: string;
  correct: boolean;
}

const HANG_GUARD_MS = 10_000;
const nestedBraces = (n: number, inner: string): string => "{".repeat(n) + inner + "}".repeat(n);

const CASES: AdversarialCase[] = [
  { name: "empty string", gold: "7", completion: "", correct: false },
  { name: "whitespace only", gold: "7", completion: "   \n\t ", correct: false },
  { name: "process.exit()", gold: "7", completion: "\\boxed{process.exit()}", correct: false },
  { name: "require call", gold: "7", completion: "\\boxed{require('child_process').execSync('ls')}", correct: false },
  { name: "constructor", gold: "7", completion: "\\boxed{constructor}", correct: false },
  { name: "\\constructor command", gold: "7", completion: "\\boxed{\\constructor}", correct: false },
  { name: "operatorname constructor", gold: "7", completion: "\\boxed{\\operatorname{constructor}(7)}", correct: false },
  { name: "__proto__", gold: "7", completion: "\\boxed{__proto__}", correct: false },
  { name: "\\toString", gold: "7", completion: "\\boxed{\\toString}", correct: false },
  { name: "mathjs import()", gold: "7", completion: "\\boxed{import(x)}", correct: false },
  { name: "mathjs evaluate()", gold: "7", completion: "\\boxed{evaluate(7)}", correct: false },
  { name: "huge power tower", gold: "7", completion: "\\boxed{9^{9^{9}}}", correct: false },
  { name: "deeper power tower", gold: "7", completion: "\\boxed{9^{9^{9^{9^{9}}}}}", correct: false },
  { name: "huge power of ten", gold: "7", completion: "\\boxed{10^{999999999}}", correct: false },
  { name: "huge scientific literal", gold: "7", completion: "\\boxed{7e99999999999}", correct: false },
  { name: "two infinities are not a number match", gold: "10^{999999999}", completion: "\\boxed{10^{999999998}}", correct: false },
  { name: "huge factorial", gold: "7", completion: "\\boxed{1000000000!}", correct: false },
  { name: "huge binomial", gold: "7", completion: "\\boxed{\\binom{10^9}{5 \\cdot 10^8}}", correct: false },
  { name: "4000-digit integer", gold: "7", completion: `\\boxed{${"7".repeat(4000)}}`, correct: false },
  { name: "\\boxed spam, last box wrong", gold: "7", completion: "\\boxed{7}".repeat(10_000) + "\\boxed{8}", correct: false },
  { name: "\\boxed spam, last box right", gold: "7", completion: "\\boxed{8}".repeat(10_000) + "\\boxed{7}", correct: true },
  { name: "\\boxed spam, all unbalanced", gold: "7", completion: "\\boxed{".repeat(10_000), correct: false },
  { name: "1 MB completion, answer at the end", gold: "7", completion: "lorem ipsum ".repeat(90_000) + "\\boxed{7}", correct: true },
  { name: "1 MB completion, answer only at the start", gold: "7", completion: "\\boxed{7}" + "z".repeat(1_000_000), correct: false },
  { name: "unicode fullwidth digit, different value", gold: "7", completion: "\\boxed{５}", correct: false },
  { name: "unicode fullwidth digit, same value", gold: "5", completion: "\\boxed{５}", correct: true },
  { name: "Arabic-Indic digit is not read as a number", gold: "5", completion: "\\boxed{٥}", correct: false },
  { name: "nested braces depth 10k", gold: "7", completion: `\\boxed{${nestedBraces(10_000, "7")}}`, correct: false },
  { name: "nested parentheses depth 3k", gold: "7", completion: `\\boxed{${"(".repeat(3000)}7${")".repeat(3000)}}`, correct: false },
  { name: "nested sqrt depth 1k", gold: "7", completion: `\\boxed{${"\\sqrt{".repeat(1000)}7${"}".repeat(1000)}}`, correct: false },
  { name: "long exponent chain", gold: "7", completion: `\\boxed{${"2^".repeat(1000)}2}`, correct: false },
  { name: "1000-letter product", gold: "7", completion: `\\boxed{${"a".repeat(1000)}}`, correct: false },
  { name: "long cancelling sum", gold: "7", completion: `\\boxed{7${"+x-x".repeat(300)}}`, correct: false },
  { name: "equation that is 0 = 0 (Math-Verify #60)", gold: "7", completion: "\\boxed{x - x = 0}", correct: false },
  { name: "gold repeated many times", gold: "7", completion: `\\boxed{${"7,".repeat(2000)}7}`, correct: false },
  { name: "big symbolic sets (quadratic matching)", gold: `\\{${Array.from({ length: 256 }, (_, i) => `x+${i}`).join(",")}\\}`,
    completion: `\\boxed{\\{${Array.from({ length: 256 }, (_, i) => `${255 - i}+x`).join(",")}\\}}`, correct: true },
  { name: "lone backslashes", gold: "7", completion: "\\boxed{\\\\\\\\\\}", correct: false },
  { name: "unbalanced brackets", gold: "7", completion: "\\boxed{[(7}", correct: false },
  { name: "NUL and control characters", gold: "7", completion: "\\boxed{\u0000\u0001\u0007}", correct: false },
  { name: "lone surrogate", gold: "7", completion: "\\boxed{\ud800}", correct: false },
  { name: "RTL override around a digit", gold: "7", completion: "\\boxed{\u202e8}", correct: false },
];

describe("adversarial completions", () => {
  it.each(CASES)("$name", ({ gold, completion, correct }) => {
    const started = performance.now();
    const result = verifyMath(gold, completion);
    const raw = mathEqual(gold, completion);
    const elapsed = performance.now() - started;
    expect(result.correct).toBe(correct);
    expect(typeof result.reason).toBe("string");
    expect(result.reason).not.toMatch(/^internal-error/);
    if (!correct) expect(raw).toBe(false);
    expect(elapsed).toBeLessThan(HANG_GUARD_MS);
  });

  it("never reports a false correct across the whole set", () => {
    const falseCorrect = CASES.filter((c) => !c.correct && verifyMath(c.gold, c.completion).correct).map((c) => c.name);
    expect(falseCorrect).toEqual([]);
  });

  it("extraction never throws on hostile input", () => {
    for (const c of CASES) expect(() => extractMathAnswer(c.completion)).not.toThrow();
  });

  it("non-string input is 'not correct', not a crash", () => {
    expect(verifyMath("7", undefined as unknown as string).correct).toBe(false);
    expect(mathEqual(null as unknown as string, "7")).toBe(false);
  });
});
