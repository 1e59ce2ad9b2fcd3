// Subgoal setting: "breaks the problem into intermediate goals" (Gandhi et al. 2025, the cognitive-behaviors judge
// prompts). The rules recognize an ordered plan step with a goal verb, numbered steps, an explicit breakdown, the
// words subgoal / intermediate, a conditional intermediate ("if we can get 50, …") and "once we have …".
import { APOS, regexRule, type BehaviorRule } from "./rules.js";

/** Verbs that name something to obtain (a goal), as opposed to "try" (an attempt). */
const GOAL_VERB = "(?:find|compute|calculate|determine|figure out|work out|get|make|reach|obtain|form|solve|simplify|express|isolate|count|evaluate|establish|show|prove|combine|create|build)";
/** Optional modal between the subject and the goal verb. */
const MODAL = `(?:${APOS}ll\\s+|\\s+(?:need to|needs to|have to|has to|must|should|will|want to|can|could|would like to|try to|aim to|are going to|am going to)\\s+|\\s+)`;

/** "First, we need to find …", "Next, let's compute …", "Then I'll get …", "Finally, we must show …". */
export const ORDERED_STEP = regexRule(
  "ordered_step",
  "an ordered step with a goal: first / firstly / to start / next / then / second(ly) / after that / finally, + we / I / let's + (modal) + a goal verb (find, compute, get, make, reach, …) not followed by a bare number or expression ('First, let me compute 9 * 6' is a step of arithmetic, not a goal)",
  `\\b(?:first(?:ly)?|to (?:start|begin)|as a first step|next|then|second(?:ly)?|third(?:ly)?|after that|finally)\\b,?\\s+(?:we|i|let${APOS}s|let me|let us)${MODAL}(?:first\\s+)?${GOAL_VERB}\\b(?!\\s*[\\d(])`,
);

/** "Step 1:", "step 2)", "the first step is", "the next step will be". */
export const NUMBERED_STEP = regexRule(
  "numbered_step",
  "a numbered or named step: 'Step N:' (or Case N:, Part N:), 'the first / next / second / last / final step is', 'by cases'",
  /\b(?:(?:step|case|part)\s+\d+\s*[:.)\-]|the\s+(?:first|next|second|third|last|final)\s+step\s+(?:is|will be|would be)|by cases\b)/,
);

/** "break it down", "break the problem into", "into smaller steps". */
export const BREAK_DOWN = regexRule(
  "break_down",
  "an explicit breakdown: break(ing) (it / this / the problem) down / into, into smaller (simpler) parts / steps / pieces / subproblems / cases, there are N things (parts, quantities) to find",
  /\b(?:break(?:ing|s)?\s+(?:it|this|that|the problem|the task|things|the expression|the question)?\s*(?:down|into)|broken\s+(?:down|into)|into\s+(?:smaller|simpler|two|three|several)\s+(?:parts|steps|pieces|sub-?problems|cases|stages|tasks)|(?:there are|we have)\s+(?:two|three|four|several|\d+)\s+(?:things|parts|quantities|pieces|steps|unknowns)\s+to\s+(?:find|compute|determine|do|work out))\b/,
);

/** "subgoal", "sub-problem", "intermediate goal / step / result / target". */
export const SUBGOAL_WORD = regexRule(
  "subgoal_word",
  "the words subgoal / sub-goal / subproblem / sub-problem, intermediate goal / step / target / result / value / number",
  /\b(?:sub-?goals?|sub-?problems?|intermediate\s+(?:goals?|steps?|targets?|results?|values?|numbers?))\b/,
);

/** "my plan is", "Plan:", "here's the approach", "strategy:". */
export const PLAN = regexRule(
  "plan",
  "a stated plan: my / our / the plan (is), 'Plan:' or 'Strategy:', here's my (the) plan / approach",
  `\\b(?:(?:my|our|the) plan\\b|plan\\s*:|strategy\\s*:|here${APOS}s (?:the|my|our) (?:plan|approach|strategy))`,
);

/** Countdown: "if we can get 50, …", "if I could make 12 from …" — an intermediate number to reach. */
export const CONDITIONAL_INTERMEDIATE = regexRule(
  "conditional_intermediate",
  "a conditional intermediate goal: if we / I can (could) get / make / reach / obtain / form …",
  /\bif (?:we|i) (?:can|could) (?:first\s+)?(?:get|make|reach|obtain|form|find|create)\b/,
);

/** "To do that, we first need f(2)", "to do so I must …": a prerequisite named for a goal. */
export const PREREQUISITE = regexRule(
  "prerequisite",
  "a prerequisite of the current goal: to do that (this, so), we / I (first) need / have to / must",
  /\bto do (?:that|this|so),?\s+(?:we|i)\s+(?:first\s+)?(?:need|have to|must|should)\b/,
);

/** "So I need 12 and 10", "we need to make 6 and 4" — two intermediate numbers to build. */
export const TWO_INTERMEDIATES = regexRule(
  "two_intermediates",
  "Countdown: two intermediate numbers to build: need (to make / get) N and M",
  /\bneed\s+(?:to\s+(?:make|get|form|build)\s+)?(?:a\s+|an\s+)?\d+\s+and\s+(?:a\s+|an\s+)?\d+\b/,
);

/** "so I need 9", "then we would have to form 12" — an intermediate number derived as the next thing to build. */
export const DERIVED_INTERMEDIATE = regexRule(
  "derived_intermediate",
  "an intermediate number derived as the next goal: so / then / thus / hence + I / we + (would) need (to make / get / form / build) N, or have to make / get / form / build N",
  /\b(?:so|then|thus|hence)\s+(?:i|we)\s+(?:would\s+|will\s+)?(?:need(?:\s+to\s+(?:make|get|form|build))?|have to\s+(?:make|get|form|build))\s+(?:an?\s+|another\s+)?\d+\b/,
);

/** "Once we have the area, …", "once I know x". */
export const ONCE_WE_HAVE = regexRule(
  "once_we_have",
  "a result announced as a stepping stone: once we / I have / know / find / get / compute …",
  /\bonce (?:we|i) (?:have|know|find|get|compute|calculate|determine)\b/,
);

/** "Let's get close to 50 first", "try to get a number near 100". */
export const APPROACH_NUMBER = regexRule(
  "approach_number",
  "Countdown: an intermediate number to reach: get / make / reach (a number) close to / near N, aim (go) for N, make N first, build (make) another N",
  /\b(?:(?:get|make|reach|form|obtain|aim for)\s+(?:a number\s+|something\s+|a value\s+)?(?:close to|near|around)\s+\d+|(?:aim|go|shoot)\s+for\s+(?:an?\s+)?\d+|(?:get|make|reach|form|build)\s+(?:an?\s+)?\d+\s+first\b|(?:build|make|get|form|create)\s+(?:another|a second)\s+\d+)/,
);

export const SUBGOAL_SETTING_RULES: readonly BehaviorRule[] = [
  ORDERED_STEP, NUMBERED_STEP, BREAK_DOWN, SUBGOAL_WORD, PLAN, CONDITIONAL_INTERMEDIATE, PREREQUISITE, TWO_INTERMEDIATES, DERIVED_INTERMEDIATE, ONCE_WE_HAVE, APPROACH_NUMBER,
];
