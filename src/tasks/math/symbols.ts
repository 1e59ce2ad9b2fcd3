/**
 * Two textual tests on one side of a relation, used to read `lhs = value` as an assignment:
 *
 *  - onlySymbols: the side names something and computes nothing — letters (with subscripts and primes), Greek
 *    letters, and the punctuation of a name: `x`, `AB`, `x_1`, `f(x)`, `(p,q)`, `|AB|`, `A:B`, `\frac{NO}{BO}`,
 *    `S_{MBCN}:S`. No digits outside subscripts, no `+ - ^ *`, no function commands: `2x`, `a+3z`, `a^2+b`,
 *    `\sin x` are not names.
 *  - variableFree: the side has no letter outside a command name (`\frac{1}{2}`, `5+5+1`, `\sqrt{2}\pi`).
 */

const SUBSCRIPT = /_\s*(?:\{[^{}]*\}|[a-zA-Z0-9])/g;
const NAME_COMMANDS = /\\(?:frac|dfrac|tfrac|left|right|overline|vec|mathrm|mathit|mathbf|text|operatorname)(?![a-zA-Z])/g;
const GREEK = /\\(?:alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Sigma|Phi|Psi|Omega)(?![a-zA-Z])/g;
const NAME_CHARS = /^[a-zA-Z\s'|:/(),{}]*$/;
const COMMAND = /\\[a-zA-Z]+/g;
const LETTER = /[a-zA-Z]/;

/** True when `text` is a name (see the header): the left side of an assignment. */
export function onlySymbols(text: string): boolean {
  const s = text.replace(SUBSCRIPT, "").replace(NAME_COMMANDS, "").replace(GREEK, "v");
  return LETTER.test(s) && NAME_CHARS.test(s);
}

/** True when `text` has no variable: no letter outside a command name. */
export function variableFree(text: string): boolean {
  return !LETTER.test(text.replace(COMMAND, ""));
}
