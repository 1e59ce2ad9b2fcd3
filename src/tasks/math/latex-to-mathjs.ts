/**
 * Print a parsed answer (latex-ast.ts) as a mathjs expression string.
 *
 * Every node is fully parenthesised, free variables are renamed `v_<name>` so they can never collide with a
 * mathjs constant or function (`e`, `pi`, `gamma`, `phi`, …), and only whitelisted function names are emitted:
 * the CAS never sees user text.
 */
import { FUNCTIONS, type MathNode } from "./latex-ast.js";

export const VARIABLE_PREFIX = "v_";

const CONSTANTS = { pi: "pi", e: "e", i: "i", infty: "Infinity" } as const;

/**
 * An exponent p/q with integers p, q and q odd (`x^{2/3}`, `x^{-1/3}`): printed as the real q-th root raised to p,
 * as school algebra reads it (∛x is real for x < 0). mathjs's `^` takes the principal complex root instead, so
 * `x^{2/3}` and `\sqrt[3]{x}^2` would differ at negative x.
 */
function oddRootExponent(e: MathNode): { p: string; q: string } | null {
  const negative = e.kind === "neg";
  const f = e.kind === "neg" ? e.arg : e;
  if (f.kind !== "bin" || f.op !== "/" || f.left.kind !== "num" || f.right.kind !== "num") return null;
  const [p, q] = [f.left.value, f.right.value];
  if (!/^\d+$/.test(p) || !/^\d*[13579]$/.test(q)) return null;
  return { p: negative ? `-${p}` : p, q };
}

export function toMathjs(node: MathNode): string {
  switch (node.kind) {
    case "num":
      return node.value.startsWith(".") ? `0${node.value}` : node.value;
    case "sym":
      return VARIABLE_PREFIX + node.name;
    case "const":
      return CONSTANTS[node.name];
    case "neg":
      return `(-(${toMathjs(node.arg)}))`;
    case "bin": {
      const root = node.op === "^" ? oddRootExponent(node.right) : null;
      if (root !== null) return `((nthRoot(${toMathjs(node.left)},${root.q}))^(${root.p}))`;
      return `((${toMathjs(node.left)})${node.op}(${toMathjs(node.right)}))`;
    }
    case "fn":
      return `${FUNCTIONS[node.name]}(${node.args.map(toMathjs).join(",")})`;
    case "root":
      if (node.index.kind === "num" && /^\d+$/.test(node.index.value)) {
        return `nthRoot(${toMathjs(node.arg)},${node.index.value})`;
      }
      return `((${toMathjs(node.arg)})^(1/(${toMathjs(node.index)})))`;
    case "logb":
      return `log(${toMathjs(node.arg)},${toMathjs(node.base)})`;
    case "binom": {
      // n!/(k!(n−k)!) through factorial/gamma: O(1) for any n, where mathjs `combinations` loops k times
      // (a hang for \binom{10^9}{5 \cdot 10^8}). Large n overflows to Infinity/NaN, which the caller treats as unknown.
      const n = toMathjs(node.n);
      const k = toMathjs(node.k);
      return `(factorial(${n})/(factorial(${k})*factorial((${n})-(${k}))))`;
    }
    case "fact":
      return `factorial(${toMathjs(node.arg)})`;
  }
}
