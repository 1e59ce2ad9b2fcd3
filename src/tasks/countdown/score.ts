// Countdown scorers for the three presets. All share one expression parser (../expression.ts) and the rule that
// the answer uses exactly the given numbers as a multiset (no foreign numbers, none left out, none repeated).
import { evaluateExpression, parseExpression, sameMultiset } from "../expression.js";
import { fromInt, isClose, toString as ratToString, withinTolerance } from "../rational.js";
import { failScore, lastTagContent } from "../safe-score.js";
import type { Score } from "../types.js";
import {
  REASONING_GYM_CLOSE,
  REASONING_GYM_REWARD,
  TINYZERO_ALLOWED,
  TINYZERO_REWARD,
  TINYZERO_TOLERANCE,
  type CountdownPreset,
} from "./rules.js";
import { checkSosTrace, fullTrace } from "./sos-check.js";

export interface CountdownProblem {
  numbers: number[];
  target: number;
}

type Checked = { ok: true; value: string } | { ok: false; error: string; parsed: boolean };

/** Parses, checks the multiset of numbers, evaluates exactly and compares with `close`. */
function checkExpression(expr: string, p: CountdownProblem, close: (v: ReturnType<typeof fromInt>) => boolean): Checked {
  const parsed = parseExpression(expr);
  if (!parsed.ok) return { ok: false, error: `cannot parse "${expr.slice(0, 80)}": ${parsed.error}`, parsed: false };
  const given = p.numbers.map((n) => BigInt(n));
  if (!sameMultiset(parsed.numbers, given)) {
    return { ok: false, error: `uses [${parsed.numbers.join(", ")}], not exactly the numbers [${p.numbers.join(", ")}]`, parsed: true };
  }
  const v = evaluateExpression(parsed.expr);
  if (!v.ok) return { ok: false, error: v.error, parsed: true };
  if (!close(v.value)) return { ok: false, error: `evaluates to ${ratToString(v.value)}, not ${p.target}`, parsed: true };
  return { ok: true, value: ratToString(v.value) };
}

/**
 * TinyZero (verl/utils/reward_score/countdown.py): the text after the first "Assistant:" (or
 * "<|im_start|>assistant") if present, its last line (trailing whitespace ignored), the last <answer>…</answer>
 * there. 0 without a tag; 0.1 for characters outside ^[\d+\-*\/().\s]+$, a parse error, wrong numbers or value;
 * 1.0 if |v − target| < 1e-5.
 */
export function scoreTinyZero(completion: string, p: CountdownProblem): Score {
  let text = completion;
  for (const marker of ["Assistant:", "<|im_start|>assistant"]) {
    const at = text.indexOf(marker);
    if (at >= 0) {
      text = text.slice(at + marker.length);
      break;
    }
  }
  text = text.trimEnd();
  const lastLine = text.slice(text.lastIndexOf("\n") + 1);
  const content = lastTagContent(lastLine, "answer");
  if (content === null) return failScore("no <answer>…</answer> on the last line", null, TINYZERO_REWARD.none);
  const expr = content.trim();
  if (!TINYZERO_ALLOWED.test(expr)) return failScore("answer has characters outside digits, + - * / ( ) . and spaces", expr, TINYZERO_REWARD.format);
  const goal = fromInt(p.target);
  const r = checkExpression(expr, p, (v) => withinTolerance(v, goal, TINYZERO_TOLERANCE.num, TINYZERO_TOLERANCE.den, true));
  if (!r.ok) return failScore(r.error, expr, TINYZERO_REWARD.format);
  return { reward: TINYZERO_REWARD.correct, correct: true, extracted: expr, reason: `equals ${r.value}` };
}

/** reasoning-gym answer extraction: the last <answer> tag, else the last non-empty line of the completion. */
export function extractBareExpression(completion: string): string | null {
  const tagged = lastTagContent(completion, "answer");
  if (tagged !== null) return tagged.trim();
  const lines = completion.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim();
    if (l !== "") return l;
  }
  return null;
}

/**
 * reasoning-gym games/countdown.py score_answer: 1.0 if the expression uses exactly the given numbers and
 * isclose(value, target, abs_tol=1e-6); 0.05 for wrong numbers or value; 0.01 if it cannot be parsed; 0 without
 * an answer.
 */
export function scoreReasoningGym(completion: string, p: CountdownProblem): Score {
  const expr = extractBareExpression(completion);
  if (expr === null) return failScore("no answer", null, REASONING_GYM_REWARD.none);
  const goal = fromInt(p.target);
  const r = checkExpression(expr, p, (v) => isClose(v, goal, REASONING_GYM_CLOSE.relExp, REASONING_GYM_CLOSE.absExp));
  if (!r.ok) return failScore(r.error, expr, r.parsed ? REASONING_GYM_REWARD.wrong : REASONING_GYM_REWARD.unparseable);
  return { reward: REASONING_GYM_REWARD.correct, correct: true, extracted: expr, reason: `equals ${r.value}` };
}

/** Stream of Search: reward = rating of the search trace, correct iff rating > 0. */
export function scoreSos(completion: string, p: CountdownProblem): Score {
  const check = checkSosTrace(fullTrace(completion, p.target, p.numbers), p.target, p.numbers);
  const extracted = check.path ? check.path.join(", ") : null;
  if (!check.valid) return failScore(check.reason, extracted);
  const correct = check.rating > 0;
  return { reward: check.rating, correct, extracted, reason: correct ? `valid path, rating ${check.rating.toFixed(4)}` : "valid path but rating 0 (too many nodes explored)" };
}

export function scoreCountdown(preset: CountdownPreset, completion: string, p: CountdownProblem): Score {
  switch (preset) {
    case "sos":
      return scoreSos(completion, p);
    case "tinyzero":
      return scoreTinyZero(completion, p);
    case "reasoning-gym":
      return scoreReasoningGym(completion, p);
  }
}
