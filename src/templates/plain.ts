// The question as is; the whole completion is the answer.
import { nonEmpty } from "./parse.js";
import type { Template } from "./types.js";

export const plainTemplate: Template = {
  name: "plain",
  description: "the question unchanged; the whole completion is the answer",
  render: (question) => question,
  parse: (completion) => ({ thinking: null, answer: typeof completion === "string" ? nonEmpty(completion) : null, thinkingClosed: false }),
};
