// Rule-based detection of the four cognitive behaviors of Gandhi et al. 2025, "Cognitive Behaviors that Enable
// Self-Improving Reasoners" (kanishkg/cognitive-behaviors): character spans per behavior, and counts. The paper
// counts behaviors with an LLM judge (judge.ts); these rules are the lexical baseline, one file per behavior.
import { BACKTRACKING_RULES } from "./backtracking.js";
import { BACKWARD_CHAINING_RULES } from "./backward-chaining.js";
import type { BehaviorRule, RuleMatch } from "./rules.js";
import { SUBGOAL_SETTING_RULES } from "./subgoal-setting.js";
import { VERIFICATION_RULES } from "./verification.js";

export type Behavior = "verification" | "backtracking" | "subgoal_setting" | "backward_chaining";

export const BEHAVIORS: readonly Behavior[] = ["verification", "backtracking", "subgoal_setting", "backward_chaining"];

export interface BehaviorSpan {
  behavior: Behavior;
  /** character offsets [start, end) into the analysed text */
  start: number;
  end: number;
  /** text.slice(start, end) */
  text: string;
  /** the rule (or rules joined with "+", when matches of one behavior in one sentence merge) that found it */
  rule: string;
}

/** The rules of each behavior (docs/analysis.md lists every rule with its description). */
export const BEHAVIOR_RULES: Readonly<Record<Behavior, readonly BehaviorRule[]>> = {
  verification: VERIFICATION_RULES,
  backtracking: BACKTRACKING_RULES,
  subgoal_setting: SUBGOAL_SETTING_RULES,
  backward_chaining: BACKWARD_CHAINING_RULES,
};

/**
 * One instance of a behavior per sentence: matches of the same behavior merge when they overlap or when no
 * sentence boundary (". ", "! ", "? ", a line break) lies between them. So "Let me check: 62-15=47, which equals the
 * target." is one verification, and "Let me check. 62-15=47 equals the target." is two.
 */
const SENTENCE_BOUNDARY = /[.!?](?=\s)|\n/;

function mergeBehavior(text: string, behavior: Behavior, found: { match: RuleMatch; rule: string }[]): BehaviorSpan[] {
  found.sort((a, b) => a.match.start - b.match.start || b.match.end - a.match.end);
  const out: BehaviorSpan[] = [];
  let cur: { start: number; end: number; rules: string[] } | undefined;
  const flush = () => {
    if (cur) out.push({ behavior, start: cur.start, end: cur.end, text: text.slice(cur.start, cur.end), rule: cur.rules.join("+") });
  };
  for (const { match, rule } of found) {
    if (cur && (match.start < cur.end || !SENTENCE_BOUNDARY.test(text.slice(cur.end, match.start)))) {
      cur.end = Math.max(cur.end, match.end);
      if (!cur.rules.includes(rule)) cur.rules.push(rule);
      continue;
    }
    flush();
    cur = { start: match.start, end: match.end, rules: [rule] };
  }
  flush();
  return out;
}

/** Every behavior instance the rules find, as character spans sorted by start (then by behavior order). */
export function detectBehaviors(text: string): BehaviorSpan[] {
  const spans: BehaviorSpan[] = [];
  for (const behavior of BEHAVIORS) {
    const found = BEHAVIOR_RULES[behavior].flatMap((rule) => rule.find(text).map((match) => ({ match, rule: rule.name })));
    spans.push(...mergeBehavior(text, behavior, found));
  }
  return spans.sort((a, b) => a.start - b.start || BEHAVIORS.indexOf(a.behavior) - BEHAVIORS.indexOf(b.behavior));
}

/** Instances per behavior (the number of spans detectBehaviors finds for each). */
export function countBehaviors(text: string): Record<Behavior, number> {
  return countSpans(detectBehaviors(text));
}

/** Spans counted per behavior (every behavior present, 0 when none). */
export function countSpans(spans: readonly BehaviorSpan[]): Record<Behavior, number> {
  const counts = emptyCounts();
  for (const s of spans) counts[s.behavior]++;
  return counts;
}

export function emptyCounts(): Record<Behavior, number> {
  return { verification: 0, backtracking: 0, subgoal_setting: 0, backward_chaining: 0 };
}
