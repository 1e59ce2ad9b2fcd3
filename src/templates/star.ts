// STaR scratchpad (Zelikman et al. 2022; Nye et al. 2021): "Input:\n{question}\nTarget:\n", then
// <scratch> … </scratch> and the answer on the next line.
import { parseDelimited } from "./parse.js";
import type { Template } from "./types.js";

/** First non-empty line, trimmed. */
function firstLine(text: string): string | null {
  let from = 0;
  while (from <= text.length) {
    const nl = text.indexOf("\n", from);
    const line = text.slice(from, nl < 0 ? text.length : nl).trim();
    if (line !== "") return line;
    if (nl < 0) return null;
    from = nl + 1;
  }
  return null;
}

export const starTemplate: Template = {
  name: "star",
  description: "STaR scratchpad: Input:/Target:, <scratch> … </scratch>, answer on the next line",
  thinkStart: "<scratch>",
  thinkEnd: "</scratch>",
  render: (question, opts) => `Input:\n${question}\nTarget:\n${opts?.openThink ? "<scratch>\n" : ""}`,
  parse: (completion, opts) => parseDelimited(completion, { thinkStart: "<scratch>", thinkEnd: "</scratch>", answer: firstLine }, opts),
};
