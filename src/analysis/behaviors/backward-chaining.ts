// Backward chaining: "starts from the target and works backwards" (Gandhi et al. 2025, the cognitive-behaviors judge
// prompts). The rules recognize the words, a start from the target, "to get T we need …", a decomposition of the
// target written target-first ("47 = 50 - 3"), "what … gives T", what the remaining numbers must make, the last step
// reasoned first, factors of the target, and "it suffices to show".
import { APOS, regexRule, type BehaviorRule } from "./rules.js";

/** "working backwards", "work backward from 24", "reason backwards". */
export const WORK_BACKWARDS = regexRule(
  "work_backwards",
  "the words: work(ing) / reason(ing) / think(ing) backward(s), backward(s) from, backward chaining",
  /\b(?:(?:work(?:ing|ed|s)?|reason(?:ing|ed)?|think(?:ing)?|go(?:ing)?)\s+backwards?\b|backwards?\s+from\b|backward[- ]chaining\b|in reverse\b)/,
);

/** "start from the target", "starting with the answer", "begin at the goal". */
export const FROM_TARGET = regexRule(
  "from_target",
  "a start from the end: start(ing) / begin(ning) from / with / at the target / goal / answer / end / desired result; suppose (assume) the (final) answer is …; going back through (the conditions)",
  /\b(?:(?:start(?:ing|s)?|begin(?:ning|s)?)\s+(?:from|with|at)\s+(?:the\s+)?(?:target|goal|answer|end|desired|final (?:result|answer))\b|(?:suppose|assume|let)\s+(?:that\s+)?the\s+(?:final\s+)?(?:answer|result)\s+(?:is|be)\b|going back through\b)/,
);

/** "To get 47, we need …", "to reach the target I would need", "for the product to be 24, we must …". */
export const NEED_FOR_TARGET = regexRule(
  "need_for_target",
  "what a target requires: to get / reach / make / obtain / end up with / arrive at N (the target), or to do that (this, so), we / I (would) need / must / have to",
  `\\b(?:(?:to (?:get|reach|make|obtain|end up with|end with|arrive at|hit)|for (?:the )?(?:result|total|answer|sum|product|difference) to be)\\s+(?:the target\\s*)?(?:\\(?-?\\d+(?:\\.\\d+)?\\)?|it|that|this|the target)|to do (?:that|this|so))\\s*,?\\s+(?:we|i)(?:${APOS}d|\\s+would|\\s+will|${APOS}ll)?\\s*(?:first\\s+)?(?:need|have to|must|should|require)\\b`,
);

/** "47 = 50 - 3", "24 = 4 * 6" — the target decomposed, written target-first. */
export const TARGET_DECOMPOSITION = regexRule(
  "target_decomposition",
  "the target decomposed: a number written first and equated to an operation on two numbers (N = a op b), not itself the result of an operation on its left; N (the target) can be written (expressed, made) as",
  /(?:(?<![\d.)\]+\-*/×÷=]\s*)(?<![\d.])\d+(?:\.\d+)?\s*=\s*\(?\d+(?:\.\d+)?\s*[-+*/×x÷−]\s*\(?\d+|\b(?:the target|\d+)\s+(?:can|could)\s+be\s+(?:written|expressed|made|obtained|seen|formed)\s+as\b)/,
);

/** "what number times 6 gives 24?", "what do we need to add to 30 to get 47". */
export const WHAT_GIVES_TARGET = regexRule(
  "what_gives_target",
  "a question from the target back: what (number / value / times / plus / …) … gives / makes / equals / to get / to reach N (the target)",
  /\bwhat\s+(?:(?:number|value)\s+)?(?:number|value|do (?:we|i) need|would|could|can|should|must|times|plus|minus|multiplied by|divided by|added to)\b[^.?!\n]{0,60}?\b(?:gives?|makes?|equals?|to get|to reach|to make|yields?)\s+(?:us\s+)?(?:the target|\d+)/,
);

/** "what pairs multiply to 45?", "which two numbers add up to 30" — the target's possible last operations. */
export const COMBINE_TO_TARGET = regexRule(
  "combine_to_target",
  "the target's possible last operations: what (which) pair(s) / (two) numbers multiply / add (up) / sum / combine to N (the target)",
  /\b(?:what|which)\s+(?:two\s+)?(?:pairs?|numbers?|factors?)(?:\s+of\s+\w+)?\s+(?:could\s+|can\s+|would\s+)?(?:multiply|add|sum|combine|divide|subtract)(?:\s+up)?\s+to\s+(?:get\s+|give\s+|make\s+)?(?:the target|\d+)/,
);

/** "before the second doubling it was 800" — a quantity undone step by step from its final value. */
export const UNDO_STEPS = regexRule(
  "undo_steps",
  "a quantity traced back from its final value: before the (last / final / second / …) <step>, it (there, the <thing>) was (were, had, must have) …",
  /\bbefore (?:the|that|this) (?:(?:last|final|first|second|third|previous)\s+)?\w+,?\s+(?:it|there|the \w+|we|i)\s+(?:was|were|had|must have)\b/,
);

/** "we need 3 from the remaining numbers", "the remaining numbers must make 12". */
export const REMAINING_MUST_MAKE = regexRule(
  "remaining_must_make",
  "what the rest must produce: need (to make / get) N (and M) from (out of, with, using) the remaining / other numbers, or from given numbers; need N more; the remaining (other) numbers need to / must make …",
  /\b(?:need\s+(?:to\s+(?:make|get|form)\s+)?(?:a\s+|another\s+)?\d+(?:\s+and\s+\d+)?\s+(?:(?:from|out of|with|using)\s+(?:the\s+)?(?:remaining|other|rest)|from\s+\d+)|need\s+(?:another\s+|just\s+)?\d+\s+more\b|(?:remaining|other)\s+(?:numbers?|ones?|two|three)\s+(?:need to|must|have to|should)\s+(?:make|give|equal|produce|be))/,
);

/** "the last step must be a multiplication", "the final operation should give …". */
export const LAST_STEP_FIRST = regexRule(
  "last_step_first",
  "the last step reasoned first: the last / final step (operation) must / should / could / would / has to …",
  /\b(?:the\s+)?(?:last|final)\s+(?:step|operation)\s+(?:must|should|could|would|has to|might)\b/,
);

/** "factors of 24", "24 is a multiple of 6", "what divides the target". */
export const FACTORS_OF_TARGET = regexRule(
  "factors_of_target",
  "the target's structure: factors (divisors) of N / the target, the target is a multiple of (divisible by) …",
  /\b(?:(?:factors?|divisors?|factorizations?)\s+of\s+(?:the target|\d+)|the target(?:\s+\d+)?\s+(?:is|=)\s+(?:a multiple of|divisible by))/,
);

/** "the starting amount must have been 80", "x would have to be 5" — a cause inferred from the result. */
export const MUST_HAVE_BEEN = regexRule(
  "must_have_been",
  "a cause inferred from the given result: must have been (had, started), would have (had) to be",
  /\b(?:must have (?:been|had|started|begun)|would have (?:had )?to be)\b/,
);

/** "it suffices to show", "it is enough to prove" — the goal reduced from the end. */
export const SUFFICES = regexRule(
  "suffices",
  "a goal reduced from its end: it suffices / it is enough / it's enough to show / prove / find",
  `\\b(?:it\\s+)?(?:suffices|is enough|${APOS}s enough)\\s+to\\s+(?:show|prove|find|check)\\b`,
);

export const BACKWARD_CHAINING_RULES: readonly BehaviorRule[] = [
  WORK_BACKWARDS, FROM_TARGET, NEED_FOR_TARGET, TARGET_DECOMPOSITION, WHAT_GIVES_TARGET, COMBINE_TO_TARGET, UNDO_STEPS, REMAINING_MUST_MAKE, LAST_STEP_FIRST, FACTORS_OF_TARGET, MUST_HAVE_BEEN, SUFFICES,
];
