// The natural-language phrasings of the Countdown priming traces (priming.ts), several per move so that a model
// primed on them learns the behavior rather than one sentence. Each phrasing is a template with {slot}s; its fixed
// text between the slots is what primingPhrases() lists (a phrase vocabulary for a tokenizer).
// Behaviors as defined by Gandhi et al. 2025, "Cognitive Behaviors that Enable Self-Improving Reasoners".

/** Slot values of one sentence. */
export type Slots = Record<string, string>;

/**
 * Subgoal setting ("breaks the problem into intermediate goals"): the plan stated before any arithmetic.
 * Slots: t (target).
 */
export const SUBGOAL_PLAN = [
  "Subgoal: first combine two of the numbers into an intermediate result, then use the remaining numbers to reach {t}.",
  "Let me break this into steps: step 1, make an intermediate number from two of the numbers; step 2, finish with the rest to get {t}.",
  "Plan: first get a useful intermediate value from a pair of numbers, then combine it with what is left to make {t}.",
] as const;

/** The first move of an attempt (neutral exploration). Slots: step ("12 + 7 = 19"), rest ("[19, 30]"). */
export const TRY_FIRST = [
  "Try {step}, leaving {rest}.",
  "Let me try {step}. Left: {rest}.",
  "What about {step}? Remaining: {rest}.",
] as const;

/** A further step of an attempt. Slots: step. */
export const TRY_NEXT = ["Then {step}.", "Next, {step}.", "And {step}."] as const;

/**
 * Verification ("explicitly checks the current result against the target") of a result that misses.
 * Slots: v (the result), t (target).
 */
export const VERIFY_MISS = [
  "{v} is not {t}.",
  "Check: {v} vs {t}, not a match.",
  "That gives {v}, which does not equal {t}.",
  "{v} != {t}, so no.",
] as const;

/** Backtracking ("realizes a path won't work and explicitly goes back"). No slots. */
export const BACKTRACK = [
  "This path won't work. Let me go back and try a different pair.",
  "Dead end, so I backtrack to the original numbers.",
  "That doesn't lead anywhere; going back to try another combination.",
  "Scratch that, back to the start with a different first step.",
] as const;

/**
 * Backward chaining ("starts from the target and works backwards") on the solution's last operation.
 * Slots: t, last ("x * 7", the last operation with the unknown), x (the needed value), rest (numbers for it).
 */
export const BACKWARD = [
  "Working backwards from {t}: {t} = {last}, so {rest} has to give {x}.",
  "Start from the target {t}. If {t} = {last}, the numbers {rest} must make {x}.",
  "Going backwards: {t} could be {last}; that means {rest} should give {x}.",
] as const;

/** Backward chaining when both operands of the last operation are intermediate results. Slots: t, last, x, xrest, y, yrest. */
export const BACKWARD_PAIR = [
  "Working backwards from {t}: {t} = {last}, so {xrest} has to give {x} and {yrest} has to give {y}.",
  "Start from the target {t}. If {t} = {last}, then {xrest} must make {x} and {yrest} must make {y}.",
] as const;

/** Subgoal setting on top of backward chaining: the needed value as a new goal. Slots: x, rest. */
export const SUBGOAL_NEED = ["New subgoal: make {x} from {rest}.", "So the intermediate goal is {x} using {rest}.", "Subgoal: reach {x} with {rest}."] as const;

/** A step of the solution. Slots: step. */
export const SOLVE_STEP = ["{step}.", "Compute {step}.", "{step}, good."] as const;

/** Verification of the final expression (a hit). Slots: expr, t. */
export const VERIFY_HIT = [
  "Let me verify: {expr} = {t}, which equals the target.",
  "Check: {expr} = {t}. It matches the target {t}.",
  "Double-checking: {expr} gives {t}, the target. Correct.",
] as const;

/** The solution announced without a check. Slots: expr. */
export const ANNOUNCE = ["So the answer is {expr}.", "The expression is {expr}.", "Final expression: {expr}."] as const;

/** Giving up with the closest wrong result (the incorrect-only traces). Slots: expr, v, t. */
export const GIVE_UP = [
  "I can't find an exact way to {t}; {expr} = {v} is the nearest, so I will answer that.",
  "None of these reach {t}. The closest I found is {expr} = {v}, I'll go with it.",
] as const;

/** Fills a phrasing's {slots}; a slot without a value is a programming error. */
export function fill(template: string, slots: Slots): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = slots[name];
    if (v === undefined) throw new Error(`priming phrase "${template}": no value for slot {${name}}`);
    return v;
  });
}

const ALL: readonly (readonly string[])[] = [
  SUBGOAL_PLAN, TRY_FIRST, TRY_NEXT, VERIFY_MISS, BACKTRACK, BACKWARD, BACKWARD_PAIR, SUBGOAL_NEED, SOLVE_STEP, VERIFY_HIT, ANNOUNCE, GIVE_UP,
];

/** Fixed text pieces of every phrasing (between slots, at least `minLength` characters), longest first. */
export function primingPhrases(minLength = 3): string[] {
  const pieces = new Set<string>();
  for (const group of ALL) for (const t of group) for (const p of t.split(/\{\w+\}/)) if (p.length >= minLength) pieces.add(p);
  return [...pieces].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}
