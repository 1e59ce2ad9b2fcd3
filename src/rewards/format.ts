// Format rewards for think/answer tags.
//
// "r1": 1 iff the completion is exactly one `<think>…</think>` followed by exactly one `<answer>…</answer>`.
// The R1 template ends with "Assistant:", so the completion starts right after it; whitespace (and only
// whitespace) is allowed before `<think>`, between `</think>` and `<answer>`, and after `</answer>`. Neither block
// may contain another think/answer tag. With `openThink` (templates that end with `<think>`, e.g. TinyZero's
// "Let me solve this step by step.\n<think>") the completion starts inside the think block: `…</think> <answer>…</answer>`.
//
// "trl-think": TRL's think_format_reward, regex `^<think>(?!.*<think>)(.*?)</think>.*$` with DOTALL, anchored at
// the start as Python's re.match is (trl/rewards/format_rewards.py); it does not check `<answer>`.
import { renamedOption, type RewardFn } from "./types.js";

const INNER = String.raw`(?:(?!<\/?think>|<\/?answer>)[\s\S])*`;
/** R1 format: one think block then one answer block, whitespace around and between. */
export const R1_FORMAT_REGEX = new RegExp(String.raw`^\s*<think>${INNER}<\/think>\s*<answer>${INNER}<\/answer>\s*$`);
/** R1 format when the template already opened `<think>`. */
export const R1_FORMAT_PREFILLED_REGEX = new RegExp(String.raw`^${INNER}<\/think>\s*<answer>${INNER}<\/answer>\s*$`);
/** TRL think_format_reward; `[\s\S]` stands for DOTALL `.`, and `^`/`$` without the m flag match re.match + `.*$`. */
export const TRL_THINK_FORMAT_REGEX = /^<think>(?![\s\S]*<think>)([\s\S]*?)<\/think>[\s\S]*$/;

export type FormatPreset = "r1" | "trl-think";

export interface FormatOptions {
  preset?: FormatPreset;
  /** r1 only: the prompt already ends with `<think>` (a template rendered with openThink). */
  openThink?: boolean;
  /** @deprecated The old name of openThink. */
  thinkPrefilled?: boolean;
}

export function formatReward(options: FormatOptions = {}): RewardFn {
  const preset = options.preset ?? "r1";
  const openThink = renamedOption(options.openThink, options.thinkPrefilled, { current: "openThink", old: "thinkPrefilled" }, "format");
  if (preset === "trl-think") {
    if (openThink) throw new Error(`format preset "trl-think" has no openThink variant`);
    return (x) => (TRL_THINK_FORMAT_REGEX.test(x.completion) ? 1 : 0);
  }
  const re = openThink ? R1_FORMAT_PREFILLED_REGEX : R1_FORMAT_REGEX;
  return (x) => (re.test(x.completion) ? 1 : 0);
}
