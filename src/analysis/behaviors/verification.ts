// Verification: "explicitly checks the current result against the target" (Gandhi et al. 2025, the cognitive-
// behaviors judge prompts). The rules below recognize an announced check, a comparison of a result with the target
// (hit or miss), a substitution back into the problem, and Stream-of-Search's goal test lines.
import { APOS, regexRule, type BehaviorRule } from "./rules.js";

/** "Let me check", "let's verify", "now double-check", "to confirm", "I should make sure". */
export const ANNOUNCED_CHECK = regexRule(
  "announced_check",
  "an announced check: let me / let's / we can / now / to + check, verify, confirm, double-check, make sure",
  `\\b(?:let me|let${APOS}s|let us|i${APOS}ll|i will|i should|we should|we can|i can|now|to)\\s+(?:quickly\\s+|also\\s+|just\\s+|first\\s+)?(?:double[- ]?check|check|verify|confirm|make sure)\\b`,
);

/** "Verification:", "double-checking", "sanity check", "Check: …", "checking:". */
export const CHECK_WORD = regexRule(
  "check_word",
  "a checking word: double-check(ing), verify/verifying/verification (not 'verify your …', an instruction to the reader), sanity check, cross-check, checking, or 'Check:' as a heading",
  /\b(?:double[- ]?check(?:s|ing|ed)?|verif(?:y(?!\s+your\b)|ies|ying|ied|ication)|sanity[- ]check(?:ing)?|cross[- ]?check(?:ing)?|checking|check\s*:)/,
);

/** "…, which equals the target", "that matches our target", "= the target", "this is exactly the target". */
export const TARGET_HIT = regexRule(
  "target_hit",
  "a result compared with the target and found equal: equals / matches / gives / hits / reached / is exactly (N,) the target (goal)",
  `(?:\\b(?:equals?|matches|is equal to|gives?(?: us)?|gets? us|hits?|reach(?:es|ed)|(?:which|that|this|it)(?:${APOS}s| is)(?: exactly| indeed| precisely)?)|=)\\s*(?:exactly\\s+)?(?:-?\\d+(?:\\.\\d+)?,?\\s+(?:which is\\s+)?)?(?:the|our|my)\\s+(?:target|goal)\\b`,
);

/** "that's not 47", "isn't the target", "doesn't equal 24", "not equal to 10", "62 ≠ 47". */
export const TARGET_MISS = regexRule(
  "target_miss",
  "a result compared with the target (or a number) and found different: not / isn't / doesn't equal / not equal to N, a ≠ b",
  `(?:\\b(?:not(?: equal to)?|isn${APOS}t|is not|doesn${APOS}t (?:equal|give|match|reach)|does not (?:equal|give|match|reach)|never reaches)\\s+(?:the target|our target|the goal|\\d+(?:\\.\\d+)?\\b(?![-+*/×÷]|\\s*(?:numbers|times|of)\\b)))|\\d\\s*(?:≠|!=)\\s*\\d`,
);

/** "62 is too high", "too small", "overshoots", "3 short of the target". */
export const OFF_TARGET = regexRule(
  "off_target",
  "a result judged against the target by size: too high / low / big / small / large / much, overshoot(s), N short (of) / away from, off by N, not quite, is (still, way) bigger / smaller / above / below (than) N (the target), far / way over (under, from, off)",
  /\b(?:(?:way\s+|far\s+|much\s+)?too\s+(?:high|low|big|small|large|much|little)|overshoots?|undershoots?|overshot|\d+\s+(?:short(?: of)?|away from|off from)|off by (?:one|\d+)|not quite|(?:is|are|was|['\u2019]s)\s+(?:already\s+|still\s+|way\s+|much\s+|far\s+)?(?:bigger|larger|greater|smaller|less|more|higher|lower|above|below)\s+(?:than\s+)?(?:the target|\d+)|(?:far|way)\s+(?:from|off|over|under|above|below)(?:\s+(?:the target|\d+))?)\b/,
);

/** "that works", "that's correct", "is that right?", "does this give 24?", "✓". */
export const CONFIRMATION = regexRule(
  "confirmation",
  "a result confirmed or questioned: that/this/it works, that's (is) correct/right, that's it, is that right?, is it the number we want, does that (N) work / give / satisfy, to be sure, both methods agree, a sentence 'Correct.' / 'Yes!' / 'Nope.', '= 28, no', ✓",
  `\\b(?:(?:that|this|it|which)(?:${APOS}s| is| does)?\\s+(?:works?|correct|right)\\b|that${APOS}s it\\b|is (?:that|this|it) (?:right|correct)|does (?:that|this|it|-?\\d+) (?:work|give|equal|match|add up|satisfy|fit)|to be sure\\b|is (?:it|this|that) (?:the (?:number|answer|result|value|target)|what) (?:we|i) (?:want|need|are looking for|were looking for)|(?:both|the two|all three) (?:methods|answers|results|approaches|ways) agree)|(?:^|(?<=[.!?:]\\s+))(?:correct|yes|right|good|nope)\\s*[.!]|=\\s*-?\\d+(?:\\.\\d+)?\\s*[,;:\u2013\u2014-]?\\s*(?:no|nope)\\b|[✓✔]`,
);

/** "7 * 8 is actually 56", "that should be 42" — a result re-checked and corrected. */
export const CORRECTION = regexRule(
  "correction",
  "a result re-checked and corrected: is (was, equals, gives) actually N, actually is (equals) N, should have been N",
  /\b(?:(?:is|was|equals|gives|makes)\s+actually\s+-?\d+|actually\s+(?:is|equals|gives|makes)\s+-?\d+|should have been\s+-?\d+)/,
);

/** "I used 5 twice", "every number is used once" — the result checked against the rules. */
export const CONSTRAINT_CHECK = regexRule(
  "constraint_check",
  "a result checked against the problem's rules: used N (it) twice, each (every) number is (are) used (exactly) once",
  `\\b(?:(?:used|using|uses)\\s+(?:\\d+|it|that|a number|the \\d+)\\s+twice|(?:each|every|all)\\s+(?:number|numbers|of the numbers)\\s+(?:is|are|was|were)\\s+used\\s+(?:exactly\\s+)?once)\\b`,
);

/** "plug x = 3 back in", "substituting back into the equation", "checking the answer". */
export const SUBSTITUTE_BACK = regexRule(
  "substitute_back",
  "a solution substituted back into the problem: plug / substitute / put … back (in, into)",
  /\b(?:plug(?:ging|ged)?|substitut(?:e|ing|ed)|put(?:ting)?)\s+(?:[^\s.!?]+\s+){0,5}?back\b/,
);

/** Stream-of-Search goal test: "46,55 unequal: No Solution" / "55,55 equal: Goal Reached". */
export const SOS_GOAL_TEST = regexRule(
  "sos_goal_test",
  "Stream-of-Search's goal test line 'a,t unequal: No Solution' or 't,t equal: Goal Reached' (the result against the target)",
  /^[ \t]*-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)? (?:unequal: No Solution|equal: Goal Reached)/m,
  "m",
);

export const VERIFICATION_RULES: readonly BehaviorRule[] = [
  ANNOUNCED_CHECK, CHECK_WORD, TARGET_HIT, TARGET_MISS, OFF_TARGET, CONFIRMATION, CORRECTION, CONSTRAINT_CHECK, SUBSTITUTE_BACK, SOS_GOAL_TEST,
];
