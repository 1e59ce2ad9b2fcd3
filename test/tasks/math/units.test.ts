import { describe, expect, it } from "vitest";
import { parseExactNumber, parseShape, normalizeAnswer } from "../../../src/tasks/math/index.js";
import { parseLatexExpression } from "../../../src/tasks/math/latex-parse.js";
import { toMathjs } from "../../../src/tasks/math/latex-to-mathjs.js";
import { rational, relClose } from "../../../src/tasks/math/rational.js";
import { sampleValue } from "../../../src/tasks/math/symbolic.js";

const exact = (s: string): string | null => {
  const r = parseExactNumber(s);
  return r === null ? null : r.d === 1n ? `${r.n}` : `${r.n}/${r.d}`;
};

describe("parseExactNumber (fast path)", () => {
  it("reads integers, decimals, thousands, fractions, mixed numbers and scientific notation exactly", () => {
    expect(exact("42")).toBe("42");
    expect(exact("-0.125")).toBe("-1/8");
    expect(exact(".5")).toBe("1/2");
    expect(exact("1,234,567")).toBe("1234567");
    expect(exact("1.000")).toBe("1");
    expect(exact("\\frac{6}{8}")).toBe("3/4");
    expect(exact("\\frac12")).toBe("1/2");
    expect(exact("\\frac{-3}{4}")).toBe("-3/4");
    expect(exact("2\\frac{1}{3}")).toBe("7/3");
    expect(exact("2 1/3")).toBe("7/3");
    expect(exact("1.5e3")).toBe("1500");
    expect(exact("1.5\\times 10^{-3}")).toBe("3/2000");
    expect(exact("10^{6}")).toBe("1000000");
    expect(exact("(5)")).toBe("5");
  });

  it("leaves everything else to the CAS", () => {
    for (const s of ["x", "\\sqrt{2}", "2\\frac{5}{3}", "1/0", "\\frac{1}{0}", "1,2", "1,0000", "10^{99999}", "", "-"]) {
      expect(exact(s), s).toBeNull();
    }
  });
});

describe("relClose", () => {
  it("is exact for huge values and respects the tolerance", () => {
    const big = rational(10n ** 400n);
    expect(relClose(big, rational(10n ** 400n + 1n), 1e-6)).toBe(true);
    expect(relClose(big, rational(10n ** 401n), 1e-6)).toBe(false);
    expect(relClose(rational(1n, 3n), rational(333333n, 1000000n), 1e-6)).toBe(true);
    expect(relClose(rational(1n, 3n), rational(333333n, 1000000n), 1e-7)).toBe(false);
    expect(relClose(rational(2n), rational(-2n), 1e-6)).toBe(false);
    expect(relClose(rational(0n), rational(0n), 0)).toBe(true);
  });
});

describe("normalizeAnswer", () => {
  it("strips delimiters, layout, units and degrees, and reports percent", () => {
    expect(normalizeAnswer("$\\left( \\dfrac{1}{2} \\right)$")).toEqual({ text: "( \\frac{1}{2} )", percent: false });
    expect(normalizeAnswer("5\\text{ cm}^2")?.text).toBe("5");
    expect(normalizeAnswer("30^{\\circ}")?.text).toBe("30");
    expect(normalizeAnswer("12.5\\%")).toEqual({ text: "12.5", percent: true });
    expect(normalizeAnswer("1 \\text{ and } 2")?.text).toBe("1 , 2");
    expect(normalizeAnswer("")).toBeNull();
    expect(normalizeAnswer("1".repeat(5000))).toBeNull();
  });
});

describe("parseShape", () => {
  it("recognises tuples, intervals, sets, lists, unions, matrices and relations", () => {
    expect(parseShape("(1, 2)")).toMatchObject({ kind: "seq", open: "(", close: ")" });
    expect(parseShape("[0, \\infty)")).toMatchObject({ kind: "seq", open: "[", close: ")" });
    expect(parseShape("\\{1, 2\\}")).toMatchObject({ kind: "set" });
    expect(parseShape("1, 2")).toMatchObject({ kind: "list" });
    expect(parseShape("1,000")).toEqual({ kind: "scalar", text: "1,000" });
    expect(parseShape("(1,2) \\cup (3,4)")).toMatchObject({ kind: "union" });
    expect(parseShape("\\begin{pmatrix}1 & 2\\cr 3 & 4\\end{pmatrix}")).toMatchObject({ kind: "matrix" });
    expect(parseShape("1 < x \\le 3")).toEqual({ kind: "relation", parts: ["1", "x", "3"], ops: ["<", "\\le"] });
    expect(parseShape("x = 5")).toEqual({
      kind: "relation", parts: ["x", "5"], ops: ["="], assigned: { value: { kind: "scalar", text: "5" }, name: "x" },
    });
    expect(parseShape("x \\in [1,2)")).toEqual({ kind: "seq", open: "[", close: ")", items: [{ kind: "scalar", text: "1" }, { kind: "scalar", text: "2" }] });
    expect(parseShape("1 \\pm 2")).toMatchObject({ kind: "list", items: [{ text: "1 + 2" }, { text: "1 - 2" }] });
  });
});

describe("LaTeX parser → CAS text", () => {
  const mj = (s: string): string | null => {
    const n = parseLatexExpression(s);
    return n === null ? null : toMathjs(n);
  };

  it("follows TeX argument rules and implicit multiplication", () => {
    expect(mj("\\frac12")).toBe("((1)/(2))");
    expect(mj("\\frac{1}{2}x")).toBe("((((1)/(2)))*(v_x))");
    expect(mj("xy")).toBe("((v_x)*(v_y))");
    expect(mj("-x^2")).toBe("(-(((v_x)^(2))))");
    expect(mj("\\sin^2 x")).toBe("((sin(v_x))^(2))");
    expect(mj("\\log_2 8")).toBe("log(8,2)");
    expect(mj("\\sqrt[3]{8}")).toBe("nthRoot(8,3)");
    expect(mj("a/b*c")).toBe("((((v_a)/(v_b)))*(v_c))");
  });

  it("renames variables and emits only whitelisted functions", () => {
    expect(mj("\\gamma + e + \\pi")).toBe("((((v_gamma)+(e)))+(pi))");
    for (const hostile of ["\\constructor", "\\toString", "\\operatorname{constructor}(1)", "process.exit()", "__proto__", "\\text{x}", "a'b"]) {
      expect(mj(hostile), hostile).toBeNull();
    }
  });

  it("refuses nesting beyond the limit instead of recursing without bound", () => {
    expect(mj("(".repeat(500) + "1" + ")".repeat(500))).toBeNull();
    expect(mj("(".repeat(10) + "1" + ")".repeat(10))).toBe("1");
  });
});

describe("sample points", () => {
  it("depend only on the variable name and point, never hit integers or zero", () => {
    for (const name of ["x", "y", "theta", "x_1"]) {
      for (let p = 0; p < 6; p++) {
        const v = sampleValue(name, p);
        expect(v).toBe(sampleValue(name, p));
        expect(Math.abs(v)).toBeGreaterThanOrEqual(0.3);
        expect(Math.abs(v)).toBeLessThanOrEqual(3.1);
      }
    }
    expect(sampleValue("x", 0)).not.toBe(sampleValue("y", 0));
  });
});
