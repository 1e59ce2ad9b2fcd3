// SimpleRL-Zoo reward (hkust-nlp/simpleRL-reason verl/utils/reward_score/simplelr_math.py):
//   mode "mix" (default):  +1 correct, −0.5 wrong, and FORMAT_PENALTY_VALUE (−1) when there is no \boxed{}
//                          (the missing box wins even over a correct answer);
//   mode "independent":    correct & boxed 1, correct & unboxed 0.5, wrong & boxed −0.5, wrong & unboxed −1.
// The mode is read from the misspelt env var REWORD_FUNCTION_TYPE there; here it is an option. The box test is
// the source's `extract_last_boxed` regex (braces nested two deep) on the completion cut at the first stop word.
import { requireCorrect, type RewardFn } from "./types.js";

export const SIMPLERL_CORRECT = 1.0;
export const SIMPLERL_WRONG = -0.5;
export const SIMPLERL_CORRECT_UNBOXED = 0.5;
/** FORMAT_PENALTY_VALUE default. */
export const SIMPLERL_FORMAT_PENALTY = -1.0;

const BOXED = /\\boxed\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}/;
const STOP_WORDS = ["</s>", "<|im_end|>", "<|endoftext|>"];

/** True when the completion (cut at the first stop word) holds a `\boxed{…}` as simplelr_math.py detects it. */
export function hasBoxed(completion: string): boolean {
  let text = completion;
  for (const stop of STOP_WORDS) if (text.includes(stop)) text = text.split(stop)[0].trim();
  return BOXED.test(text);
}

export type SimpleRlMode = "mix" | "independent";

export interface SimpleRlOptions {
  mode?: SimpleRlMode;
  formatPenalty?: number;
}

export function simpleRlValue(correct: boolean, boxed: boolean, mode: SimpleRlMode = "mix", formatPenalty = SIMPLERL_FORMAT_PENALTY): number {
  if (mode === "mix") return boxed ? (correct ? SIMPLERL_CORRECT : SIMPLERL_WRONG) : formatPenalty;
  if (correct) return boxed ? SIMPLERL_CORRECT : SIMPLERL_CORRECT_UNBOXED;
  return boxed ? SIMPLERL_WRONG : formatPenalty;
}

export function simpleRlReward(options: SimpleRlOptions = {}): RewardFn {
  const mode = options.mode ?? "mix";
  const penalty = options.formatPenalty ?? SIMPLERL_FORMAT_PENALTY;
  return (x) => simpleRlValue(requireCorrect(x, "simplerl"), hasBoxed(x.completion), mode, penalty);
}
