import fc from "fast-check";
import { describe, it } from "vitest";
import { extractMathAnswer, mathEqual, parseExactNumber, verifyMath } from "../../../src/tasks/math/index.js";

const SEED = 20240601;
const latexish = fc.string({
  unit: fc.constantFrom("\\boxed{", "\\fbox", "{", "}", "$", "\\frac", "1", "7", "-", ".", ",", " ", "\n", "x", "^",
    "\\sqrt", "(", ")", "[", "]", "\\{", "\\}", "=", "<", "\\%", "e", "the answer is ", "<answer>", "</answer>",
    "final answer is $", "$. I hope", "\\text{", "\\left(", "\\right)", "\\pm", "\\cup", "!", "\\\\", "&"),
  maxLength: 60,
});

describe("properties", () => {
  it("extraction never throws and returns a string or null", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), latexish), (s) => {
        const r = extractMathAnswer(s);
        return r === null || typeof r === "string";
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("verifyMath never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(latexish, fc.string()), fc.oneof(latexish, fc.string()), (gold, pred) => {
        const r = verifyMath(gold, pred);
        return typeof r.correct === "boolean" && typeof r.reason === "string" && !r.reason.startsWith("internal-error");
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("mathEqual(x, x) for generated numbers, decimals, fractions and mixed numbers, through the parser", () => {
    const integer = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => n.toString());
    const decimal = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).map((d) => String(d));
    const fraction = fc
      .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 1000 }))
      .map(([a, b]) => `\\frac{${a}}{${b}}`);
    // Rewritten forms, so the check goes through the exact parser or the CAS and not the exact-string shortcut.
    const rewrites = [(x: string) => `{${x}}\\cdot 1`, (x: string) => `1\\times\\left(${x}\\right)`, (x: string) => `${x}+0`];
    fc.assert(
      fc.property(fc.oneof(integer, decimal, fraction), fc.nat(rewrites.length - 1), (x, k) => {
        const r = verifyMath(x, rewrites[k](x), { extract: false });
        return mathEqual(x, x) && mathEqual(x, `$${x}$`) && r.correct && r.reason !== "exact-string";
      }),
      { seed: SEED, numRuns: 1000 },
    );
    const mixedParts = fc
      .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 2, max: 50 }))
      .chain(([w, q]) => fc.integer({ min: 1, max: q - 1 }).map((p) => [w, p, q] as const));
    // A mixed number is one only as a whole answer (inside an expression `2\frac{1}{3}` is a product).
    fc.assert(
      fc.property(mixedParts, ([w, p, q]) => {
        const x = `${w}\\frac{${p}}{${q}}`;
        return mathEqual(x, x) && mathEqual(x, `$${x}$`) && verifyMath(x, `\\frac{${w * q + p}}{${q}}`, { extract: false }).reason === "numeric-equal";
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("a polynomial equals its terms in another order, and not with one coefficient changed (the CAS path)", () => {
    const term = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 4 })).map(([c, k]) => (k === 0 ? `${c}` : `${c}x^{${k}}`));
    fc.assert(
      fc.property(fc.array(term, { minLength: 2, maxLength: 5 }), (terms) => {
        const gold = terms.join(" + ");
        const same = verifyMath(gold, `0+${[...terms].reverse().join("+")}`, { extract: false });
        const changed = verifyMath(gold, [...terms.slice(1), `${terms[0]}+1`].join(" + "), { extract: false });
        return same.correct && same.reason !== "exact-string" && !changed.correct;
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("a fraction equals its decimal and reduced forms", () => {
    fc.assert(
      fc.property(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 9 }), (a, b, k) => {
        const exactDecimal = b === 1 || b === 2 || b === 4 || b === 8 || b === 16 || b === 32 || b === 64;
        const ok = mathEqual(`\\frac{${a}}{${b}}`, `\\frac{${a * k}}{${b * k}}`) && mathEqual(`${a * k}/${b * k}`, `\\dfrac{${a}}{${b}}`);
        return ok && (!exactDecimal || mathEqual(`\\frac{${a}}{${b}}`, String(a / b)));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("distinct integers are never equal, and a sign flip is never equal", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        return !mathEqual(n.toString(), (n + d).toString()) && (n === 0n || !mathEqual(n.toString(), (-n).toString()));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("the exact parser reads what it prints", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (a, b) => {
        const r = parseExactNumber(`${a}/${b}`);
        return r !== null && r.n * BigInt(b) === BigInt(a) * r.d;
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
