/**
 * A small expression tree for the LaTeX subset that appears in final answers: numbers, variables, constants,
 * + − × ÷, powers, factorials and a whitelist of functions. Parsed by latex-parse.ts, printed for the CAS by
 * latex-to-mathjs.ts. Only whitelisted names can ever reach the CAS, so no user text is interpreted by it.
 */

/** Functions the parser knows; the value is the CAS (mathjs) function name. */
export const FUNCTIONS = {
  sin: "sin",
  cos: "cos",
  tan: "tan",
  sec: "sec",
  csc: "csc",
  cot: "cot",
  arcsin: "asin",
  arccos: "acos",
  arctan: "atan",
  sinh: "sinh",
  cosh: "cosh",
  tanh: "tanh",
  ln: "log",
  log: "log",
  exp: "exp",
  sqrt: "sqrt",
  abs: "abs",
  floor: "floor",
  ceil: "ceil",
} as const;

export type FunctionName = keyof typeof FUNCTIONS;

export type MathNode =
  | { readonly kind: "num"; readonly value: string }
  | { readonly kind: "sym"; readonly name: string }
  | { readonly kind: "const"; readonly name: "pi" | "e" | "i" | "infty" }
  | { readonly kind: "neg"; readonly arg: MathNode }
  | { readonly kind: "bin"; readonly op: "+" | "-" | "*" | "/" | "^"; readonly left: MathNode; readonly right: MathNode }
  | { readonly kind: "fn"; readonly name: FunctionName; readonly args: readonly MathNode[] }
  | { readonly kind: "root"; readonly index: MathNode; readonly arg: MathNode }
  | { readonly kind: "logb"; readonly base: MathNode; readonly arg: MathNode }
  | { readonly kind: "binom"; readonly n: MathNode; readonly k: MathNode }
  | { readonly kind: "fact"; readonly arg: MathNode };

/** Free variable names in a tree (constants excluded). */
export function freeSymbols(node: MathNode, into: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case "sym":
      into.add(node.name);
      break;
    case "neg":
    case "fact":
      freeSymbols(node.arg, into);
      break;
    case "bin":
      freeSymbols(node.left, into);
      freeSymbols(node.right, into);
      break;
    case "fn":
      for (const a of node.args) freeSymbols(a, into);
      break;
    case "root":
      freeSymbols(node.index, into);
      freeSymbols(node.arg, into);
      break;
    case "logb":
      freeSymbols(node.base, into);
      freeSymbols(node.arg, into);
      break;
    case "binom":
      freeSymbols(node.n, into);
      freeSymbols(node.k, into);
      break;
    default:
      break;
  }
  return into;
}
