// The Countdown task: three rule-set presets (sos, tinyzero, reasoning-gym), one parser, one solver.
import { z } from "zod";
import { parseWith, splitGenerateArgs } from "../options.js";
import { rngFor } from "../random.js";
import { MAX_COMPLETION_CHARS, failScore, safeScore } from "../safe-score.js";
import type { Example, PromptTemplate, Task } from "../types.js";
import { explainExpression, generateProblem, goldSosTrace, type Generated } from "./generate.js";
import { COUNTDOWN_PRESETS, PRESET_RULES, SOS_MAX_NUMBERS, SOS_MIN_NUMBERS, pyIntList, sosHeader, type CountdownPreset, type PresetRules } from "./rules.js";
import { scoreCountdown } from "./score.js";
import { solveCountdown, type FoldStep } from "./solver.js";

/** SoS traces for 5 numbers can reach tens of thousands of nodes; examine up to 16 MiB for that preset. */
export const SOS_MAX_COMPLETION_CHARS = 1 << 24;
/** Largest operand count for the rational presets (keeps the exhaustive solver fast). */
export const RATIONAL_MAX_NUMBERS = 6;
const MAX_VALUE = 1_000_000;
/** SoS traces are built with JavaScript numbers: 1000^5 < 2^53 keeps every product of 5 numbers exact. */
const SOS_MAX_VALUE = 1000;
/** Solver budget when building an example from given fields. */
const FIELDS_SOLVER_BUDGET = 200_000;

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

export const countdownOptions = z
  .object({
    preset: z.enum(COUNTDOWN_PRESETS as [CountdownPreset, ...CountdownPreset[]]).default("tinyzero").describe("rule set: sos (Stream of Search traces), tinyzero (<answer> expression, 3–4 numbers), reasoning-gym (bare expression, 4–6 numbers, targets 100–999)"),
    minNumbers: int(2, RATIONAL_MAX_NUMBERS).optional().describe("fewest input numbers (default from the preset)"),
    maxNumbers: int(2, RATIONAL_MAX_NUMBERS).optional().describe("most input numbers (default from the preset)"),
    minValue: int(1, MAX_VALUE).optional().describe("smallest input number (default from the preset)"),
    maxValue: int(1, MAX_VALUE).optional().describe("largest input number (default from the preset)"),
    minTarget: int(1, MAX_VALUE).optional().describe("smallest target (default from the preset)"),
    maxTarget: int(1, MAX_VALUE).optional().describe("largest target (default from the preset)"),
    search: z.enum(["dfs", "bfs"]).default("dfs").describe("sos gold trace strategy: depth-first (pruned at heuristic > target) or beam search"),
    beamSize: int(1, 5).default(3).describe("sos BFS beam width (1–5, as in Stream of Search)"),
    heuristic: z.enum(["sum", "mult"]).default("sum").describe("sos search heuristic: sum (mean |n − target|) or mult (distance to factors of the target)"),
  })
  .strict()
  .superRefine((o, ctx) => {
    const r = resolveRules(o);
    const pairs: [keyof PresetRules, keyof PresetRules][] = [["minNumbers", "maxNumbers"], ["minValue", "maxValue"], ["minTarget", "maxTarget"]];
    for (const [lo, hi] of pairs) {
      if ((r[lo] as number) > (r[hi] as number)) ctx.addIssue({ code: "custom", path: [hi], message: `${hi} ${r[hi]} is below ${lo} ${r[lo]}` });
    }
    if (o.preset === "sos" && (r.minNumbers < SOS_MIN_NUMBERS || r.maxNumbers > SOS_MAX_NUMBERS)) {
      ctx.addIssue({ code: "custom", path: ["maxNumbers"], message: `the sos preset rates traces for ${SOS_MIN_NUMBERS}–${SOS_MAX_NUMBERS} numbers` });
    }
    if (o.preset === "sos" && r.maxValue > SOS_MAX_VALUE) {
      ctx.addIssue({ code: "custom", path: ["maxValue"], message: `the sos preset allows numbers up to ${SOS_MAX_VALUE} (its traces use exact JavaScript integers)` });
    }
  });

export type CountdownOptions = z.infer<typeof countdownOptions>;
const OPTION_NAMES = Object.keys(countdownOptions.shape);

export function resolveRules(o: Partial<CountdownOptions>): PresetRules {
  const base = PRESET_RULES[o.preset ?? "tinyzero"];
  return {
    minNumbers: o.minNumbers ?? base.minNumbers,
    maxNumbers: o.maxNumbers ?? base.maxNumbers,
    minValue: o.minValue ?? base.minValue,
    maxValue: o.maxValue ?? base.maxValue,
    minTarget: o.minTarget ?? base.minTarget,
    maxTarget: o.maxTarget ?? base.maxTarget,
    arithmetic: base.arithmetic,
  };
}

/** reasoning-gym QUESTION_FORMAT_TEMPLATE instructions. */
const RG_FORMAT =
  "Final answer format instructions:\n1. Provide your solution as a arithmetic expression (no '=' sign).\n2. Do not include the target number in the expression.\n3. Use '*' for multiplication.\n4. Use '/' for division.\n5. Do not include any other text or formatting.\n";

/** The question text of each preset. */
export function countdownQuestion(preset: CountdownPreset, numbers: readonly number[], target: number): string {
  switch (preset) {
    case "sos":
      return sosHeader(target, numbers); // SoS eval prompt: "Current State: {t}:{nums}, Operations: []"
    case "tinyzero": // TinyZero examples/data_preprocess/countdown.py make_prefix
      return `Using the numbers ${pyIntList(numbers)}, create an equation that equals ${target}. You can use basic arithmetic operations (+, -, *, /) and each number can only be used once. Show your work in <think> </think> tags. And return the final answer in <answer> </answer> tags, for example <answer> (1 + 2) / 3 </answer>.`;
    case "reasoning-gym": // reasoning-gym prompt, worded for "all numbers" since the scorer requires the full multiset
      return `Using all of the numbers ${numbers.join(", ")}, create an expression that equals ${target}.\nYou can only use each number once.\n${RG_FORMAT}`;
  }
}

/** TinyZero template_type "base": the prompt ends inside the think block. */
const tinyZeroPrompt = (question: string): string =>
  `A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer.\nUser: ${question}\nAssistant: Let me solve this step by step.\n<think>`;

interface CountdownFields {
  preset: CountdownPreset;
  numbers: number[];
  target: number;
}

function problemOf(example: Example): CountdownFields {
  const m = example.metadata;
  const preset = (COUNTDOWN_PRESETS as readonly unknown[]).includes(m.preset) ? (m.preset as CountdownPreset) : "tinyzero";
  const numbers = Array.isArray(m.numbers) && m.numbers.every((n) => Number.isSafeInteger(n)) ? (m.numbers as number[]) : null;
  const target = Number.isSafeInteger(m.target) ? (m.target as number) : null;
  if (!numbers || target === null) throw new Error(`example ${example.id} has no integer metadata.numbers / metadata.target`);
  return { preset, numbers, target };
}

function buildExample(id: string, preset: CountdownPreset, g: Generated, opts: CountdownOptions, seed: number, index: number): Example {
  const answer =
    preset === "sos" ? goldSosTrace(g.numbers, g.target, g.steps, { search: opts.search, beamSize: opts.beamSize, heuristic: opts.heuristic }, rngFor("countdown/sos-trace", seed, index)) : g.solution;
  return {
    id,
    question: countdownQuestion(preset, g.numbers, g.target),
    answer,
    metadata: { task: "countdown", preset, numbers: g.numbers, target: g.target, solution: g.solution, ...(preset === "sos" && g.steps ? { ops: g.steps.map((s: FoldStep) => s.text) } : {}) },
  };
}

export const countdownTask: Task<CountdownOptions> = {
  name: "countdown",
  description: "Countdown: combine the given numbers with + − × ÷ to reach the target (presets sos, tinyzero, reasoning-gym)",
  options: countdownOptions,

  generate(args) {
    const { seed, index, options } = splitGenerateArgs("countdown", args);
    const opts = parseWith("countdown", countdownOptions, options, OPTION_NAMES);
    const rules = resolveRules(opts);
    const g = generateProblem(opts.preset, rngFor(`countdown/${opts.preset}`, seed, index), rules);
    return buildExample(`countdown-${opts.preset}-${seed}-${index}`, opts.preset, g, opts, seed, index);
  },

  prompt(example: Example, template?: PromptTemplate) {
    if (template) return template.render(example.question);
    const p = problemOf(example);
    return p.preset === "tinyzero" ? tinyZeroPrompt(example.question) : example.question;
  },

  score(completion, example) {
    let p: CountdownFields;
    try {
      p = problemOf(example);
    } catch (e) {
      return failScore((e as Error).message);
    }
    return safeScore(completion, p.preset === "sos" ? SOS_MAX_COMPLETION_CHARS : MAX_COMPLETION_CHARS, (c) => scoreCountdown(p.preset, c, p));
  },

  rationale(example) {
    const p = problemOf(example);
    if (p.preset === "sos") {
      const header = sosHeader(p.target, p.numbers);
      return example.answer.startsWith(header) ? example.answer.slice(header.length) : example.answer;
    }
    const solution = typeof example.metadata.solution === "string" ? example.metadata.solution : example.answer;
    const steps = explainExpression(solution).join("\n");
    if (p.preset === "tinyzero") return `\n${steps}\n</think>\n<answer>${solution}</answer>`;
    return `${steps}\n<answer>${solution}</answer>`;
  },

  fromFields(fields) {
    const preset = fields.preset ?? "tinyzero";
    if (!(COUNTDOWN_PRESETS as readonly unknown[]).includes(preset)) throw new Error(`countdown: field "preset" must be one of ${COUNTDOWN_PRESETS.join(", ")}, got ${JSON.stringify(preset)}`);
    const numbers = fields.numbers ?? fields.nums;
    if (!Array.isArray(numbers) || numbers.length < 2 || !numbers.every((n) => Number.isSafeInteger(n) && n >= 0 && n <= MAX_VALUE)) {
      throw new Error(`countdown: field "numbers" must be an array of at least 2 integers in [0, ${MAX_VALUE}]`);
    }
    if (preset === "sos" && numbers.some((n) => n > SOS_MAX_VALUE)) throw new Error(`countdown: the sos preset allows numbers up to ${SOS_MAX_VALUE}`);
    if (preset === "sos" && numbers.length > SOS_MAX_NUMBERS) throw new Error(`countdown: the sos preset rates traces for at most ${SOS_MAX_NUMBERS} numbers, got ${numbers.length}`);
    if (numbers.length > RATIONAL_MAX_NUMBERS) throw new Error(`countdown: field "numbers" has ${numbers.length} numbers, at most ${RATIONAL_MAX_NUMBERS} are supported`);
    const target = fields.target;
    if (!Number.isSafeInteger(target)) throw new Error(`countdown: field "target" must be an integer`);
    const p = preset as CountdownPreset;
    const nums = numbers as number[];
    const t = target as number;
    const solved = solveCountdown(nums, t, PRESET_RULES[p].arithmetic, FIELDS_SOLVER_BUDGET);
    const g: Generated = { numbers: nums, target: t, solution: solved.status === "solved" ? solved.expression : "", steps: solved.status === "solved" ? solved.steps : null };
    const opts = countdownOptions.parse({ preset: p, minNumbers: 2, maxNumbers: p === "sos" ? SOS_MAX_NUMBERS : RATIONAL_MAX_NUMBERS });
    const id = typeof fields.id === "string" ? fields.id : `countdown-${p}-${t}-${nums.join("_")}`;
    const ex = solved.status === "solved" ? buildExample(id, p, g, opts, 0, 0) : { id, question: countdownQuestion(p, nums, t), answer: "", metadata: { task: "countdown", preset: p, numbers: nums, target: t, solution: "" } };
    ex.metadata.solver = solved.status;
    return ex;
  },
};
