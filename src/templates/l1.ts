// L1 / LCPO length-controlled prompts (cmu-l3/l1 scripts/data/deepscaler_dataset.py): the question, a space, then
// "Let's think step by step and output the final answer within \boxed{}. Think for N tokens." (Exact) or
// "… Think for maximum N tokens." (Max). The answer is the last \boxed{} after </think>.
import { lastBoxed } from "../tasks/math/index.js";
import { nonEmpty, parseDelimited } from "./parse.js";
import type { RenderOptions, Template } from "./types.js";

export const L1_INSTRUCTION = "Let's think step by step and output the final answer within \\boxed{}.";

function budgetOf(name: string, opts?: RenderOptions): number {
  const n = opts?.budget;
  if (n === undefined || !Number.isInteger(n) || n <= 0) throw new Error(`template ${name}: render needs a positive integer budget (tokens), got ${String(n)}`);
  return n;
}

function l1Template(name: "l1-exact" | "l1-max"): Template {
  const phrase = name === "l1-exact" ? "Think for" : "Think for maximum";
  return {
    name,
    description: `L1 ${name === "l1-exact" ? "Exact" : "Max"}: "${L1_INSTRUCTION} ${phrase} N tokens."`,
    thinkStart: "<think>",
    thinkEnd: "</think>",
    answerStart: "\\boxed{",
    answerEnd: "}",
    render: (question, opts) => `${question} ${L1_INSTRUCTION} ${phrase} ${budgetOf(name, opts)} tokens.`,
    parse: (completion, opts) =>
      parseDelimited(
        completion,
        {
          thinkStart: "<think>",
          thinkEnd: "</think>",
          answer: (t) => {
            const b = lastBoxed(t);
            return b === null ? null : nonEmpty(b);
          },
        },
        opts,
      ),
  };
}

export const l1ExactTemplate = l1Template("l1-exact");
export const l1MaxTemplate = l1Template("l1-max");
