// s1 (simplescaling/s1 README): Qwen ChatML prompt; thinking starts at "<|im_start|>think" and the answer at
// "<|im_start|>answer", ending at "<|im_end|>".
import { nonEmpty, parseDelimited, upTo } from "./parse.js";
import type { Template } from "./types.js";

export const S1_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
export const S1_THINK_START = "<|im_start|>think";
export const S1_ANSWER_START = "<|im_start|>answer";
export const IM_END = "<|im_end|>";

export const s1Template: Template = {
  name: "s1",
  description: "s1 ChatML: <|im_start|>think … <|im_start|>answer … <|im_end|>",
  thinkStart: S1_THINK_START,
  thinkEnd: S1_ANSWER_START,
  answerStart: S1_ANSWER_START,
  answerEnd: IM_END,
  stop: [IM_END],
  render: (question, opts) =>
    `<|im_start|>system\n${opts?.system ?? S1_SYSTEM}${IM_END}\n<|im_start|>user\n${question}${IM_END}\n<|im_start|>assistant\n${opts?.openThink ? S1_THINK_START : ""}`,
  parse: (completion, opts) =>
    parseDelimited(completion, { thinkStart: S1_THINK_START, thinkEnd: S1_ANSWER_START, answer: (t) => nonEmpty(upTo(t, IM_END)) }, opts),
};
