// DeepSeek-R1 template (DeepSeek-AI 2025, "DeepSeek-R1", Table 1), verbatim; "prompt" is replaced by the question.
import { lastTagContent } from "../tasks/safe-score.js";
import { nonEmpty, parseDelimited } from "./parse.js";
import type { Template } from "./types.js";

export const R1_TEMPLATE_TEXT =
  "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: {prompt}. Assistant:";

export const r1Template: Template = {
  name: "r1",
  description: "DeepSeek-R1 Table 1: <think> … </think> <answer> … </answer>",
  thinkStart: "<think>",
  thinkEnd: "</think>",
  answerStart: "<answer>",
  answerEnd: "</answer>",
  stop: ["</answer>"],
  render(question, opts) {
    // Replace only the placeholder, literally (a "$" in the question must not be read as a replacement pattern).
    const at = R1_TEMPLATE_TEXT.indexOf("{prompt}");
    const text = R1_TEMPLATE_TEXT.slice(0, at) + question + R1_TEMPLATE_TEXT.slice(at + "{prompt}".length);
    return opts?.openThink ? `${text} <think>` : text;
  },
  parse(completion, opts) {
    return parseDelimited(
      completion,
      {
        thinkStart: "<think>",
        thinkEnd: "</think>",
        answer: (t) => {
          const c = lastTagContent(t, "answer");
          return c === null ? null : nonEmpty(c);
        },
      },
      opts,
    );
  },
};
