// Multiple choice in the CommonsenseQA style used by STaR: a question with choices labeled A–E, a gold label, and
// an extractor that reads the chosen label from free text. STaR rationalization marks the gold choice with
// "(CORRECT)" in the prompt (STaR prompts_answer_key.txt) and strips the mark afterwards.
import { z } from "zod";
import { parseWith, splitGenerateArgs } from "./options.js";
import { fieldsId, rngFor } from "./random.js";
import { MAX_COMPLETION_CHARS, failScore, safeScore } from "./safe-score.js";
import type { Example, PromptTemplate, Rationalization, Task } from "./types.js";

export interface Choice {
  label: string;
  text: string;
}

export const MC_LABELS = ["A", "B", "C", "D", "E"] as const;
export const CORRECT_MARK = " (CORRECT)";
/** Option texts longer than this are not matched as free text. */
const MAX_OPTION_TEXT = 200;

/** Renders "stem\nAnswer Choices:\n(A) …\n(B) …" (STaR's CommonsenseQA layout, labels upper-case). */
export function renderChoices(stem: string, choices: readonly Choice[], markCorrect?: string): string {
  const lines = choices.map((c) => `(${c.label}) ${c.text}${markCorrect === c.label ? CORRECT_MARK : ""}`);
  return `${stem}\nAnswer Choices:\n${lines.join("\n")}`;
}

/** Validates {label, text} choices; labels must be single letters A–Z, unique. */
export function parseChoices(raw: unknown, where: string): Choice[] {
  if (!Array.isArray(raw) || raw.length < 2) throw new Error(`${where}: expected an array of at least 2 choices`);
  const seen = new Set<string>();
  return raw.map((c, i) => {
    if (typeof c === "string") {
      const label = String.fromCharCode(65 + i);
      if (i >= 26) throw new Error(`${where}: more than 26 choices`);
      seen.add(label);
      return { label, text: c };
    }
    const label = (c as { label?: unknown })?.label;
    const text = (c as { text?: unknown })?.text;
    if (typeof label !== "string" || !/^[A-Z]$/.test(label.toUpperCase())) throw new Error(`${where}: choice ${i} has no single-letter "label"`);
    if (typeof text !== "string") throw new Error(`${where}: choice ${i} has no string "text"`);
    const up = label.toUpperCase();
    if (seen.has(up)) throw new Error(`${where}: duplicate label ${up}`);
    seen.add(up);
    return { label: up, text };
  });
}

export function multipleChoiceExample(id: string, stem: string, choices: Choice[], answerKey: string, extra: Record<string, unknown> = {}): Example {
  const key = answerKey.trim().toUpperCase();
  if (!choices.some((c) => c.label === key)) throw new Error(`example ${id}: answer key "${answerKey}" is not one of the labels ${choices.map((c) => c.label).join(", ")}`);
  return { id, question: renderChoices(stem, choices), answer: key, metadata: { task: "multiple-choice", ...extra, stem, choices, answerKey: key } };
}

export type Extraction = { label: string | null; how: string };

/** \boxed{B}, \boxed{(B)}, \boxed{\text{B}}; bounded quantifiers only (no backtracking blow-up). */
const BOXED_LETTER = /\\boxed\{ {0,4}(?:\\text(?:bf)?\{ {0,4})?\(?([A-Za-z])\)? {0,4}\}/g;

/** Distinct labels among the matches; null if none, "ambiguous" if several. */
function single(labels: string[]): string | null | "ambiguous" {
  const set = new Set(labels);
  if (set.size === 0) return null;
  return set.size === 1 ? labels[0] : "ambiguous";
}

/**
 * Reads the chosen label. Order: the last <answer>…</answer>; \boxed{…} (all boxes must agree); the last
 * "answer is …" / "answer: …" phrase; the last "(X)"; a standalone capital letter on the last non-empty line; the
 * option text last mentioned. A region naming several labels is ambiguous and yields no answer (no hedging).
 */
export function extractChoice(completion: string, choices: readonly Choice[]): Extraction {
  const labels = choices.map((c) => c.label);
  const labelClass = `[${labels.join("")}]`;
  // A capital label standing alone. Inside an answer region any such letter counts; on a free-text last line the
  // article "A" before a lower-case word ("A blotter absorbs ink") does not.
  const labelRe = new RegExp(`(?<![A-Za-z0-9])(${labelClass})(?![A-Za-z0-9])`, "g");
  const standaloneRe = new RegExp(`(?<![A-Za-z0-9])(${labelClass})(?![A-Za-z0-9])(?! [a-z])`, "g");
  const inRegion = (region: string): string | null | "ambiguous" => {
    const t = region.trim();
    const bare = new RegExp(`^\\(?(${labelClass})\\)?[.:)]?$`, "i").exec(t);
    if (bare) return bare[1].toUpperCase();
    const paren = [...t.matchAll(new RegExp(`\\((${labelClass})\\)`, "gi"))].map((m) => m[1].toUpperCase());
    if (paren.length) return single(paren);
    const standalone = [...t.matchAll(labelRe)].map((m) => m[1]);
    if (standalone.length) return single(standalone);
    return optionText(t);
  };
  const optionText = (region: string): string | null | "ambiguous" => {
    const lower = region.toLowerCase();
    let best: { label: string; at: number; len: number } | null = null;
    for (const c of choices) {
      const text = c.text.trim().toLowerCase();
      if (text === "" || text.length > MAX_OPTION_TEXT) continue;
      const at = lower.lastIndexOf(text);
      if (at < 0) continue;
      // Whole words only: "ink" must not match inside "inkwell".
      const before = lower[at - 1];
      const after = lower[at + text.length];
      if ((before && /[a-z0-9]/.test(before)) || (after && /[a-z0-9]/.test(after))) continue;
      if (!best || at > best.at || (at === best.at && text.length > best.len)) best = { label: c.label, at, len: text.length };
    }
    return best ? best.label : null;
  };
  const settle = (r: string | null | "ambiguous", how: string): Extraction | null => {
    if (r === null) return null;
    return r === "ambiguous" ? { label: null, how: `${how}: names several choices` } : { label: r, how };
  };

  const close = completion.lastIndexOf("</answer>");
  if (close >= 0) {
    const open = completion.lastIndexOf("<answer>", close);
    if (open >= 0) {
      const r = settle(inRegion(completion.slice(open + 8, close)), "<answer> tag");
      if (r) return r;
    }
  }
  const boxed = [...completion.matchAll(BOXED_LETTER)].map((m) => m[1].toUpperCase());
  if (boxed.length) {
    const foreign = boxed.find((l) => !labels.includes(l));
    if (foreign) return { label: null, how: `\\boxed{${foreign}} is not a choice label` };
    const r = settle(single(boxed), "\\boxed");
    if (r) return r;
  }
  const phrase = [...completion.matchAll(/answer(?: is|:)\s*([^\n]{0,200})/gi)];
  if (phrase.length) {
    const r = settle(inRegion(phrase[phrase.length - 1][1].replace(/[.\s]+$/, "")), "\"answer is\" phrase");
    if (r) return r;
  }
  const parens = [...completion.matchAll(new RegExp(`\\((${labelClass})\\)`, "g"))];
  if (parens.length) return { label: parens[parens.length - 1][1], how: "last (X)" };
  const lines = completion.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].trim() === "") continue;
    const standalone = [...lines[i].matchAll(standaloneRe)].map((m) => m[1]);
    const r = settle(single(standalone), "last line letter");
    if (r) return r;
    break;
  }
  const text = settle(optionText(completion), "option text");
  return text ?? { label: null, how: "no choice found" };
}

function choicesOf(example: Example): Choice[] {
  return parseChoices(example.metadata.choices, `example ${example.id} metadata.choices`);
}

export const multipleChoiceRationalization: Rationalization = {
  prompt(example: Example, template?: PromptTemplate): string {
    const stem = typeof example.metadata.stem === "string" ? example.metadata.stem : example.question;
    const q = renderChoices(stem, choicesOf(example), example.answer);
    return template ? template.render(q) : q;
  },
  strip(text: string): string {
    return text.split(CORRECT_MARK).join("");
  },
};

// A tiny built-in generator (for tests and smoke runs): "Which number is the largest?" style questions.
const mcOptions = z
  .object({
    numChoices: z.number().int().min(2).max(MC_LABELS.length).default(5).describe("choices per question (2–5, labeled A–E)"),
    maxValue: z.number().int().min(10).max(1_000_000).default(100).describe("largest number that appears in a choice"),
  })
  .strict()
  .refine((o) => o.maxValue + 1 >= o.numChoices, { message: "maxValue must allow distinct choices", path: ["maxValue"] });
export type MultipleChoiceOptions = z.infer<typeof mcOptions>;
const OPTION_NAMES = Object.keys(mcOptions.shape);

export const multipleChoiceTask: Task<MultipleChoiceOptions> = {
  name: "multiple-choice",
  description: "multiple choice with labels A–E (CommonsenseQA style); built-in generator asks for the largest number",
  options: mcOptions,

  generate(args) {
    const { seed, index, options } = splitGenerateArgs("multiple-choice", args);
    const o = parseWith("multiple-choice", mcOptions, options, OPTION_NAMES);
    const rng = rngFor("multiple-choice", seed, index);
    const values = new Set<number>();
    while (values.size < o.numChoices) values.add(rng.int(0, o.maxValue));
    const list = rng.shuffle([...values]);
    const choices = list.map((v, i) => ({ label: MC_LABELS[i], text: String(v) }));
    const best = choices[list.indexOf(Math.max(...list))].label;
    return multipleChoiceExample(`multiple-choice-${seed}-${index}`, "Which number is the largest?", choices, best);
  },

  prompt(example, template) {
    return template ? template.render(example.question) : `Q: ${example.question}\nA:`;
  },

  score(completion, example) {
    let choices: Choice[];
    try {
      choices = choicesOf(example);
    } catch (e) {
      return failScore((e as Error).message);
    }
    return safeScore(completion, MAX_COMPLETION_CHARS, (c) => {
      const { label, how } = extractChoice(c, choices);
      if (label === null) return failScore(how);
      const gold = example.answer.trim().toUpperCase();
      return label === gold ? { reward: 1, correct: true, extracted: label, reason: `chose ${label} (${how})` } : failScore(`chose ${label}, gold ${gold} (${how})`, label);
    });
  },

  rationale(example) {
    const choices = choicesOf(example);
    const gold = choices.find((c) => c.label === example.answer);
    return ` The answer is ${gold ? `${gold.text} ` : ""}(${example.answer}).`;
  },

  fromFields(fields) {
    const stem = fields.question ?? fields.stem ?? ""; // scoring needs only the choices and the key
    if (typeof stem !== "string") throw new Error(`multiple-choice: field "question" must be a string`);
    const choices = parseChoices(fields.choices, "multiple-choice: field \"choices\"");
    const key = fields.answer ?? fields.answerKey;
    if (typeof key !== "string") throw new Error(`multiple-choice: field "answer" must be a choice label`);
    if (!choices.some((c) => c.label === key.trim().toUpperCase())) {
      throw new Error(`multiple-choice: field "answer": answer key "${key}" is not one of the labels ${choices.map((c) => c.label).join(", ")}`);
    }
    // without an id, one from the whole problem: questions that share a stem (or have none) stay apart
    const id = typeof fields.id === "string" ? fields.id : fieldsId("multiple-choice", stem, [stem, choices.map((c) => c.text), key.trim().toUpperCase()]);
    return multipleChoiceExample(id, stem, choices, key);
  },

  rationalization: multipleChoiceRationalization,
};
