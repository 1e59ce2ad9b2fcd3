// n-digit addition with the scratchpad of STaR (Zelikman et al. 2022, after Nye et al. 2021 "Show your work"):
//   Input:
//   6 2 4 + 2 5 9
//   Target:
//   <scratch>
//   6 2 4 + 2 5 9 , C: 0        ← both operands, no result digits yet, carry 0
//   2 + 5 , 3 C: 1              ← 4 + 9 + 0 = 13: digit 3 prepended to the result, carry 1; next pair is 2 + 5
//   6 + 2 , 8 3 C: 0            ← 2 + 5 + 1 = 8; next pair 6 + 2
//   , 8 8 3 C: 0                ← 6 + 2 + 0 = 8; no pair left
//   0 8 8 3                     ← final carry, then the result digits
//   </scratch>
//   8 8 3                       ← the sum (a leading carry of 1 is kept, a carry of 0 is dropped)
// Rule: each step adds the least-significant remaining pair plus the carry, prepends the digit to the result and
// names the NEXT pair. Operands of different lengths: the shorter one is left-padded with 0 in the pair lines
// only ("0 + 1"); the first scratch line shows the operands as given.
import { z } from "zod";
import { parseWith, splitGenerateArgs } from "./options.js";
import { rngFor } from "./random.js";
import { MAX_COMPLETION_CHARS, failScore, safeScore } from "./safe-score.js";
import type { Example, PromptTemplate, Rationalization, Task } from "./types.js";

export const ADDITION_MAX_DIGITS = 10;
const SCRATCH_OPEN = "<scratch>";
const SCRATCH_CLOSE = "</scratch>";
/** Longest answer line read (digits and spaces). */
const MAX_ANSWER_CHARS = 64;
/** STaR rationalization hint: a line with the gold answer just before "Target:". */
export const ADDITION_HINT_PREFIX = "Answer: ";

export const additionOptions = z
  .object({
    minDigits: z.number().int().min(1).max(ADDITION_MAX_DIGITS).default(1).describe("fewest digits per operand (1–10)"),
    maxDigits: z.number().int().min(1).max(ADDITION_MAX_DIGITS).default(5).describe("most digits per operand (1–10)"),
    equalDigits: z.boolean().default(false).describe("give both operands the same number of digits (else each is drawn independently)"),
  })
  .strict()
  .refine((o) => o.minDigits <= o.maxDigits, { message: "maxDigits must be ≥ minDigits", path: ["maxDigits"] });

export type AdditionOptions = z.infer<typeof additionOptions>;
const OPTION_NAMES = Object.keys(additionOptions.shape);

const digitsOf = (n: number): string[] => String(n).split("");
const spaced = (n: number): string => digitsOf(n).join(" ");

/** The question line: "6 2 4 + 2 5 9". */
export function additionQuestion(a: number, b: number): string {
  return `${spaced(a)} + ${spaced(b)}`;
}

/** The sum written as the final answer: digits separated by spaces. */
export function additionAnswer(a: number, b: number): string {
  return spaced(a + b);
}

/** The gold scratchpad (from <scratch> to the answer line, no trailing newline). */
export function additionScratchpad(a: number, b: number): string {
  const da = digitsOf(a).reverse(); // least-significant first
  const db = digitsOf(b).reverse();
  const steps = Math.max(da.length, db.length);
  const digitAt = (d: string[], k: number): number => (k < d.length ? Number(d[k]) : 0);
  const lines = [SCRATCH_OPEN, `${additionQuestion(a, b)} , C: 0`];
  const result: number[] = [];
  let carry = 0;
  for (let k = 0; k < steps; k++) {
    const s = digitAt(da, k) + digitAt(db, k) + carry;
    result.unshift(s % 10);
    carry = Math.floor(s / 10);
    const next = k + 1 < steps ? `${digitAt(da, k + 1)} + ${digitAt(db, k + 1)} ` : "";
    lines.push(`${next}, ${result.join(" ")} C: ${carry}`);
  }
  lines.push(`${carry} ${result.join(" ")}`);
  lines.push(SCRATCH_CLOSE);
  lines.push(additionAnswer(a, b));
  return lines.join("\n");
}

/** The native prompt (the STaR scratchpad prompt): "Input:\n{question}\nTarget:\n". */
const starPrompt = (question: string): string => `Input:\n${question}\nTarget:\n`;

function randomOperand(rng: ReturnType<typeof rngFor>, digits: number): number {
  return digits === 1 ? rng.int(0, 9) : rng.int(10 ** (digits - 1), 10 ** digits - 1);
}

function operandsOf(example: Example): { a: number; b: number } {
  const { a, b } = example.metadata;
  if (!isOperand(a) || !isOperand(b)) throw new Error(`example ${example.id} has no integer metadata.a / metadata.b`);
  return { a, b };
}

function isOperand(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) < 10 ** ADDITION_MAX_DIGITS;
}

/** The first non-empty line after </scratch>, or null. */
export function extractAdditionAnswer(completion: string): string | null {
  const at = completion.indexOf(SCRATCH_CLOSE);
  if (at < 0) return null;
  const rest = completion.slice(at + SCRATCH_CLOSE.length);
  let from = 0;
  while (from <= rest.length) {
    const nl = rest.indexOf("\n", from);
    const line = rest.slice(from, nl < 0 ? rest.length : nl).trim();
    if (line !== "") return line.length > MAX_ANSWER_CHARS ? line.slice(0, MAX_ANSWER_CHARS) : line;
    if (nl < 0) break;
    from = nl + 1;
  }
  return null;
}

function makeExample(id: string, a: number, b: number): Example {
  return {
    id,
    question: additionQuestion(a, b),
    answer: additionAnswer(a, b),
    metadata: { task: "addition", a, b, sum: a + b, digitsA: String(a).length, digitsB: String(b).length },
  };
}

const HINT_LINE = new RegExp(`^${ADDITION_HINT_PREFIX}[0-9 ]*\\n`, "gm");

export const additionRationalization: Rationalization = {
  prompt(example: Example, template?: PromptTemplate): string {
    // The hint line goes right before "Target:" (STaR shows the answer in the prompt, then strips it).
    const question = `${example.question}\n${ADDITION_HINT_PREFIX}${example.answer}`;
    return template ? template.render(question) : starPrompt(question);
  },
  strip(text: string): string {
    return text.replace(HINT_LINE, "");
  },
};

export const additionTask: Task<AdditionOptions> = {
  name: "addition",
  description: "n-digit addition with the STaR scratchpad (digits separated by spaces, carries from the right)",
  options: additionOptions,

  generate(args) {
    const { seed, index, options } = splitGenerateArgs("addition", args);
    const o = parseWith("addition", additionOptions, options, OPTION_NAMES);
    const rng = rngFor("addition", seed, index);
    const da = rng.int(o.minDigits, o.maxDigits);
    const db = o.equalDigits ? da : rng.int(o.minDigits, o.maxDigits);
    return makeExample(`addition-${seed}-${index}`, randomOperand(rng, da), randomOperand(rng, db));
  },

  prompt(example, template) {
    return template ? template.render(example.question) : starPrompt(example.question);
  },

  score(completion, example) {
    let ab: { a: number; b: number };
    try {
      ab = operandsOf(example);
    } catch (e) {
      return failScore((e as Error).message);
    }
    return safeScore(completion, MAX_COMPLETION_CHARS, (c) => {
      const extracted = extractAdditionAnswer(c);
      if (extracted === null) return failScore("no answer line after </scratch>");
      if (!/^[0-9 ]+$/.test(extracted)) return failScore("answer line has characters other than digits 0-9 and spaces", extracted);
      const digits = extracted.replace(/ /g, "").replace(/^0+(?=\d)/, "");
      const gold = String(ab.a + ab.b);
      return digits === gold
        ? { reward: 1, correct: true, extracted, reason: `equals ${gold}` }
        : failScore(`${digits} ≠ ${ab.a} + ${ab.b} = ${gold}`, extracted);
    });
  },

  rationale(example) {
    const { a, b } = operandsOf(example);
    return additionScratchpad(a, b);
  },

  fromFields(fields) {
    const { a, b } = fields;
    if (!isOperand(a)) throw new Error(`addition: field "a" must be an integer in [0, 10^${ADDITION_MAX_DIGITS})`);
    if (!isOperand(b)) throw new Error(`addition: field "b" must be an integer in [0, 10^${ADDITION_MAX_DIGITS})`);
    return makeExample(typeof fields.id === "string" ? fields.id : `addition-${a}-${b}`, a, b);
  },

  rationalization: additionRationalization,
};
