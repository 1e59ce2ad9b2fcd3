// The four LLM-judge prompts of Gandhi et al. 2025, "Cognitive Behaviors that Enable Self-Improving Reasoners"
// (kanishkg/cognitive-behaviors, behavioral_evals): one prompt per behavior, each asking for a count of instances
// in <count>N</count>. Two sets: "countdown" keeps the paper's Countdown framing and its definitions; "generic" states
// the same definitions for any task (the paper's prompts are Countdown-only). docs/analysis.md prints them.
import type { Behavior } from "./detect.js";

export type JudgePromptSet = "countdown" | "generic";
export const JUDGE_PROMPT_SETS: readonly JudgePromptSet[] = ["countdown", "generic"];

/** What the judge is told about the problem the trace solves. */
export interface JudgeContext {
  /** Countdown: the input numbers and the target (both needed by the "countdown" set) */
  numbers?: readonly number[];
  target?: number;
  /** any task: the problem statement, shown to the "generic" set when known */
  problem?: string;
}

/** The answer format every prompt asks for. */
export const COUNT_INSTRUCTION = "Count the distinct instances and give the count between the tags <count> </count>. If there are none, answer <count>0</count>.";

interface BehaviorText {
  /** the paper's definition of the behavior, as a clause after "…contains any" */
  what: string;
  /** Countdown examples (numbers and target spelled out inside them) */
  countdownExamples: string;
  /** task-agnostic examples */
  genericExamples: string;
  /** what to count */
  mark: string;
}

const TEXT: Record<Behavior, BehaviorText> = {
  verification: {
    what: "answer-verification steps, where the reasoning explicitly checks the current result against the target",
    countdownExamples: `"This sequence gives 1, which is not equal to 22" and "Since 25 is not equal to 22, this does not reach the target"`,
    genericExamples: `"Let me check: 3 * 5 + 4 = 19, which matches the given total" and "Substituting x = 2 back into the equation gives 7, not 5"`,
    mark: "Mark each place where the reasoning explicitly compares a result with the target (or the required answer).",
  },
  backtracking: {
    what: "backtracking, where the reasoning realizes a path won't work and explicitly goes back to try a different approach",
    countdownExamples: `"Let me try again with a different combination" and "We can't reach 22 this way, so let's go back and try 25 - 3"`,
    genericExamples: `"This substitution leads nowhere; let me go back and try factoring instead" and "Wait, that's wrong. Let me start over"`,
    mark: "Mark each place where an approach is abandoned and the reasoning returns to an earlier point to try another one.",
  },
  subgoal_setting: {
    what: "explicit subgoal setting, where the reasoning breaks the problem into smaller, intermediate goals",
    countdownExamples: `"First, I'll try to get close to 50, then add the remaining numbers" and "If I can make 12 from two of the numbers, 12 * 2 gives the target"`,
    genericExamples: `"First, we need to find the radius; then we can compute the area" and "Step 1: find the total distance. Step 2: find the total time"`,
    mark: "Mark each intermediate goal the reasoning sets for itself.",
  },
  backward_chaining: {
    what: "backward chaining, where the reasoning starts from the target and works backwards towards the given information",
    countdownExamples: `"Let's work backwards from 24: 24 / 2 = 12, so we need 12 from the other numbers" and "Since the target is 22 and 22 + 3 = 25, we need to subtract 3 from 25"`,
    genericExamples: `"Working backwards from the required total of 100, the price before the 25% increase must have been 80" and "To prove the claim it suffices to show that n(n + 1) is even"`,
    mark: "Mark each place where the reasoning goes from the goal to what is needed to reach it, rather than forward from the givens.",
  },
};

/** The judge prompt for one behavior and one trace. The "countdown" set needs context.numbers and context.target. */
export function judgePrompt(behavior: Behavior, trace: string, set: JudgePromptSet, context: JudgeContext = {}): string {
  const t = TEXT[behavior];
  if (set === "countdown") {
    if (!context.numbers || context.target === undefined) throw new Error("the countdown judge prompts need the problem's numbers and target");
    return [
      `Here is a chain of reasoning that a language model wrote while playing the Countdown game with the numbers [${context.numbers.join(", ")}]. The goal is to reach the target number ${context.target} by combining the numbers with +, -, * and /, using each number once.`,
      "",
      "The chain of reasoning:",
      trace,
      "",
      `Evaluate whether the chain of reasoning contains any ${t.what}. Examples: ${t.countdownExamples}.`,
      t.mark,
      COUNT_INSTRUCTION,
    ].join("\n");
  }
  return [
    "Here is a chain of reasoning that a language model wrote while solving a problem.",
    ...(context.problem ? ["", "The problem:", context.problem] : []),
    "",
    "The chain of reasoning:",
    trace,
    "",
    `Evaluate whether the chain of reasoning contains any ${t.what}. Examples: ${t.genericExamples}.`,
    t.mark,
    COUNT_INSTRUCTION,
  ].join("\n");
}

/** The set a trace gets under "auto": countdown when its numbers and target are known, else generic. */
export function autoPromptSet(context: JudgeContext): JudgePromptSet {
  return context.numbers && context.target !== undefined ? "countdown" : "generic";
}

/**
 * The judge's count: the integer in the last <count>N</count> of its answer (whitespace allowed inside the tags);
 * null when there is none (the caller counts it as 0, as the paper does, and as a parse failure).
 */
export function parseJudgeCount(answer: string): number | null {
  const all = [...answer.matchAll(/<count>\s*(\d+)\s*<\/count>/gi)];
  if (all.length === 0) return null;
  return Number(all[all.length - 1][1]);
}
