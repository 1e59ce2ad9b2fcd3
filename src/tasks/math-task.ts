// The math task: examples come from dataset loaders (GSM8K, MATH, plain {question, answer}) or from a tiny built-in
// generator of arithmetic word problems; scoring delegates to the math grader (verifyMath).
import { z } from "zod";
import { verifyMath } from "./math/index.js";
import { parseWith, splitGenerateArgs } from "./options.js";
import { fieldsId, rngFor, type ExampleRng } from "./random.js";
import { MAX_COMPLETION_CHARS, failScore, safeScore } from "./safe-score.js";
import type { Example, Score, Task } from "./types.js";

/** Qwen2.5-Math's "qwen25-math-cot" instruction (docs/tasks.md, "Math"). */
export const MATH_COT_INSTRUCTION = "Please reason step by step, and put your final answer within \\boxed{}.";

const mathOptions = z
  .object({
    maxValue: z.number().int().min(2).max(1_000_000).default(50).describe("largest quantity in a generated word problem"),
    steps: z.number().int().min(1).max(4).default(2).describe("operations per generated word problem (1–4)"),
  })
  .strict();
export type MathOptions = z.infer<typeof mathOptions>;
const OPTION_NAMES = Object.keys(mathOptions.shape);

const NAMES = ["Ava", "Ben", "Chloe", "Diego", "Emma", "Farah", "Goro", "Hana"] as const;
const ITEMS = ["apples", "marbles", "stickers", "books", "coins", "shells"] as const;

interface Step {
  sentence: string;
  apply: (x: number) => number;
  explain: (x: number) => string;
}

function randomStep(rng: ExampleRng, value: number, maxValue: number, who: string, item: string): Step {
  const kind = rng.int(0, 2);
  if (kind === 0 || value < 2) {
    const k = rng.int(1, maxValue);
    return { sentence: `Then ${who} gets ${k} more ${item}.`, apply: (x) => x + k, explain: (x) => `${x} + ${k} = ${x + k}` };
  }
  if (kind === 1) {
    const k = rng.int(1, value - 1);
    return { sentence: `Then ${who} gives away ${k} ${item}.`, apply: (x) => x - k, explain: (x) => `${x} - ${k} = ${x - k}` };
  }
  const k = rng.int(2, 4);
  const times = k === 2 ? "doubles" : k === 3 ? "triples" : "quadruples";
  return { sentence: `Then ${who} ${times} the number of ${item}.`, apply: (x) => x * k, explain: (x) => `${x} × ${k} = ${x * k}` };
}

/** A word problem built from `steps` operations on a starting amount; the answer is always a whole number. */
function wordProblem(rng: ExampleRng, o: MathOptions): { question: string; answer: string; rationale: string } {
  const who = rng.choice(NAMES);
  const item = rng.choice(ITEMS);
  let value = rng.int(2, o.maxValue);
  const sentences = [`${who} has ${value} ${item}.`];
  const work: string[] = [];
  for (let s = 0; s < o.steps; s++) {
    const step = randomStep(rng, value, o.maxValue, who, item);
    sentences.push(step.sentence);
    work.push(step.explain(value));
    value = step.apply(value);
  }
  sentences.push(`How many ${item} does ${who} have now?`);
  return { question: sentences.join(" "), answer: String(value), rationale: `${work.join("\n")}\nThe answer is \\boxed{${value}}.` };
}

/** The score of an example that cannot be graded (no gold answer); null when it can. */
function precheck(example: Example): Score | null {
  return typeof example.answer !== "string" || example.answer.trim() === "" ? failScore(`example ${example.id} has no gold answer`) : null;
}

/**
 * The math task. Its score() runs the verifier on the calling thread with structural limits only (no time limit);
 * TaskScorer (scorer.ts) gives the same scores through a worker pool with a time limit per check.
 */
export const mathTask: Task<MathOptions> & { precheck(example: Example): Score | null } = {
  name: "math",
  description: "math word problems with a final answer (datasets via loaders; built-in arithmetic word problems)",
  options: mathOptions,

  generate(args) {
    const { seed, index, options } = splitGenerateArgs("math", args);
    const o = parseWith("math", mathOptions, options, OPTION_NAMES);
    const p = wordProblem(rngFor("math", seed, index), o);
    return { id: `math-${seed}-${index}`, question: p.question, answer: p.answer, metadata: { task: "math", rationale: p.rationale } };
  },

  prompt(example, template) {
    return template ? template.render(example.question) : `${example.question}\n${MATH_COT_INSTRUCTION}`;
  },

  precheck,

  score(completion, example) {
    const early = precheck(example);
    if (early !== null) return early;
    return safeScore(completion, MAX_COMPLETION_CHARS, (c) => {
      const v = verifyMath(example.answer, c);
      return { reward: v.correct ? 1 : 0, correct: v.correct, extracted: v.extracted, reason: v.reason };
    });
  },

  rationale(example) {
    const r = example.metadata.rationale;
    if (typeof r === "string" && r.trim() !== "") return r.includes("\\boxed") ? r : `${r.trimEnd()}\nThe answer is \\boxed{${example.answer}}.`;
    return `The answer is \\boxed{${example.answer}}.`;
  },

  fromFields(fields) {
    const { question = "", answer } = fields; // scoring needs only the gold answer
    if (typeof question !== "string") throw new Error(`math: field "question" must be a string`);
    if (typeof answer !== "string" && typeof answer !== "number") throw new Error(`math: field "answer" must be a string or a number`);
    // without an id, one from the whole question and answer: questions that start alike stay apart
    const id = typeof fields.id === "string" ? fields.id : fieldsId("math", question || String(answer), [question, String(answer)]);
    return { id, question, answer: String(answer), metadata: { task: "math" } };
  },
};
