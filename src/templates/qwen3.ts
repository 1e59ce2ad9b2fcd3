// Qwen3 chat template with thinking: "<|im_start|>assistant\n<think>\n … \n</think>\n\n answer <|im_end|>".
import { IM_END } from "./s1.js";
import { nonEmpty, parseDelimited, upTo } from "./parse.js";
import type { Template } from "./types.js";

export const qwen3Template: Template = {
  name: "qwen3",
  description: "Qwen3 ChatML with <think> … </think>; the answer follows until <|im_end|>",
  thinkStart: "<think>",
  thinkEnd: "</think>",
  answerEnd: IM_END,
  stop: [IM_END],
  render: (question, opts) =>
    `${opts?.system !== undefined ? `<|im_start|>system\n${opts.system}${IM_END}\n` : ""}<|im_start|>user\n${question}${IM_END}\n<|im_start|>assistant\n${opts?.openThink ? "<think>\n" : ""}`,
  parse: (completion, opts) => parseDelimited(completion, { thinkStart: "<think>", thinkEnd: "</think>", answer: (t) => nonEmpty(upTo(t, IM_END)) }, opts),
};
