import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluateExpression as evaluate, formatExpression, parseExpression, MAX_EXPRESSION_CHARS, type Expr } from "../../src/tasks/expression.js";
import { fromInt, isClose, rational, toString, withinTolerance } from "../../src/tasks/rational.js";

const value = (text: string): string => {
  const p = parseExpression(text);
  if (!p.ok) return `error: ${p.error}`;
  const v = evaluate(p.expr);
  return v.ok ? toString(v.value) : `error: ${v.error}`;
};

describe("parseExpression / evaluate", () => {
  it("evaluates exactly in rationals", () => {
    expect(value("(1 + 2) / 3")).toBe("1");
    expect(value("1 / 3 * 3")).toBe("1");
    expect(value("1 / 3")).toBe("1/3");
    expect(value("10 - 2 - 3")).toBe("5");
    expect(value("2 * 3 + 4 * 5")).toBe("26");
    expect(value("8 / 4 / 2")).toBe("1");
    expect(value("7 × 6 ÷ 3 − 4")).toBe("10");
    expect(value("((((5))))")).toBe("5");
  });

  it("reports numbers as written", () => {
    const p = parseExpression("(44 + 19) + 35");
    expect(p.ok && p.numbers).toEqual([44n, 19n, 35n]);
  });

  it("rejects what Countdown does not allow", () => {
    for (const bad of ["", "1 +", "-3 + 5", "+3", "2 ** 3", "2 ^ 3", "7 // 2", "1.5 * 2", "07 + 1", "(1 + 2", "1 + 2)", "2(3)", "x + 1", "１ + 2", "1e3", "Infinity", "process.exit()", "constructor"]) {
      const p = parseExpression(bad);
      expect(p.ok, bad).toBe(false);
    }
    expect(value("1 / (2 - 2)")).toBe("error: division by zero");
  });

  it("bounds the work structurally", () => {
    expect(parseExpression("1+".repeat(MAX_EXPRESSION_CHARS)).ok).toBe(false);
    expect(parseExpression("9".repeat(13)).ok).toBe(false);
    const deep = "(".repeat(40) + "1" + ")".repeat(40);
    const p = parseExpression(deep);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.error).toMatch(/nested/);
    expect(parseExpression(Array.from({ length: 40 }, () => "1").join("+")).ok).toBe(false);
  });

  it("formatExpression round-trips to the same value", () => {
    const leaf = fc.integer({ min: 0, max: 99 }).map((n): Expr => ({ kind: "num", value: BigInt(n) }));
    const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
      e: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.record({ kind: fc.constant("bin" as const), op: fc.constantFrom("+", "-", "*", "/" as const), left: tie("e"), right: tie("e") }) as fc.Arbitrary<Expr>),
    })).e;
    fc.assert(
      fc.property(expr, (e) => {
        const direct = evaluate(e);
        const text = formatExpression(e);
        const p = parseExpression(text);
        if (!p.ok) return text.length > MAX_EXPRESSION_CHARS || /nested|more than/.test(p.error);
        const again = evaluate(p.expr);
        return direct.ok === again.ok && (!direct.ok || (again.ok && toString(direct.value) === toString(again.value)));
      }),
      { numRuns: 300 },
    );
  });
});

describe("rational tolerances", () => {
  it("TinyZero |v − t| < 1e-5 and math.isclose(abs_tol=1e-6)", () => {
    expect(withinTolerance(rational(1000001n, 1000000n), fromInt(1), 1n, 100000n, true)).toBe(true);
    expect(withinTolerance(rational(100001n, 100000n), fromInt(1), 1n, 100000n, true)).toBe(false);
    expect(isClose(rational(24000001n, 1000000n), fromInt(24), 9, 6)).toBe(true);
    expect(isClose(rational(2400001n, 100000n), fromInt(24), 9, 6)).toBe(false);
    expect(isClose(rational(10n ** 12n + 1n), fromInt(10 ** 12), 9, 6)).toBe(true); // rel_tol 1e-9
  });
});
