/**
 * Doubled backslashes: text that went through one escaping step too many (a JSON or Python string written with
 * `\\` for `\`) reads `\\frac{1}{2}` where `\frac{1}{2}` was meant. In TeX `\\` is a line break, and a line break
 * directly followed by the name of a math command (`\\frac`, `\\left`, `\\boxed`, `\\le`) is never what an answer
 * means, so such a pair is read as a single backslash. Only the commands listed below are recognised, so matrix row
 * breaks such as `a\\b` or `1 \\ 2` keep their meaning.
 */

const COMMANDS = [
  "boxed", "fbox", "frac", "dfrac", "tfrac", "cfrac", "left", "right", "sqrt", "le", "leq", "ge", "geq", "ne", "neq",
  "lt", "gt", "pi", "infty", "text", "textbf", "mathrm", "mathbf", "mbox", "cdot", "times", "div", "pm", "mp",
  "quad", "qquad", "approx", "in", "cup", "cap", "circ", "degree", "begin", "end", "binom", "dbinom", "log", "ln",
  "sin", "cos", "tan", "alpha", "beta", "gamma", "delta", "theta", "lambda", "mu", "sigma", "omega", "emptyset",
  "varnothing", "displaystyle", "overline", "vec", "mathbb", "operatorname",
];
const DOUBLED = new RegExp(String.raw`(?<!\\)\\\\(?=(?:${COMMANDS.join("|")})(?![a-zA-Z]))`, "g");

/** `\\frac{1}{2}` → `\frac{1}{2}` (see the header); text without such a pair is returned unchanged. */
export function undoubleBackslashes(text: string): string {
  if (!text.includes("\\\\")) return text;
  return text.replace(DOUBLED, "\\");
}
