// Templates × their stop strings × their format rewards and scorers. A completion is decoded token by token through
// findStop, the function the Generator runs after every token, with the options generationStops(template) gives; the
// text it ends with must get the full format reward, parse to the answer, and (R1 + Countdown) score as correct.
import { describe, expect, it } from "vitest";
import { formatReward, tinyZeroCountdownReward, type RewardFn } from "../../src/rewards/index.js";
import { findStop } from "../../src/sampling/stop.js";
import { countdownTask } from "../../src/tasks/index.js";
import { generationStops, getTemplate, listTemplates, type Template } from "../../src/templates/index.js";

/**
 * The text a generation ends with when the model emits `script` in tokens of `tokenChars` characters: after each
 * token the decoded text is checked for stop strings, as Generator.generate does; without a match the sample ends
 * (eos) with the whole script.
 */
function decodeWithStops(script: string, template: Template, tokenChars: number, includeStop = generationStops(template).includeStopStrInOutput): string {
  const { stop } = generationStops(template);
  for (let end = tokenChars; end < script.length + tokenChars; end += tokenChars) {
    const hit = findStop(script.slice(0, end), stop, includeStop);
    if (hit) return hit.text;
  }
  return script;
}

const unit = { tokens: { response: 1 } };
const countdown = countdownTask.fromFields({ preset: "tinyzero", numbers: [3, 5, 2], target: 16 });

interface Pairing {
  template: string;
  openThink?: boolean;
  /** what the model writes, running on past the stop string (a stopped sample never sees the rest) */
  script: string;
  /** the generation's text: the script up to and including the stop string */
  text: string;
  answer: string;
  format?: RewardFn;
}

const PAIRINGS: Pairing[] = [
  {
    template: "r1",
    script: " <think> 3 + 5 = 8, 8 * 2 = 16 </think> <answer> (3 + 5) * 2 </answer> User: and now? Assistant: <think>",
    text: " <think> 3 + 5 = 8, 8 * 2 = 16 </think> <answer> (3 + 5) * 2 </answer>",
    answer: "(3 + 5) * 2",
    format: formatReward({ preset: "r1" }),
  },
  {
    template: "r1",
    openThink: true,
    script: " 3 + 5 = 8, 8 * 2 = 16 </think>\n<answer>(3 + 5) * 2</answer>\n\nUser:",
    text: " 3 + 5 = 8, 8 * 2 = 16 </think>\n<answer>(3 + 5) * 2</answer>",
    answer: "(3 + 5) * 2",
    format: formatReward({ preset: "r1", thinkPrefilled: true }),
  },
  {
    template: "qwen3",
    script: "<think>\n3 + 5 = 8\n</think>\n\n\\boxed{8}<|im_end|>\n<|im_start|>user\n",
    text: "<think>\n3 + 5 = 8\n</think>\n\n\\boxed{8}<|im_end|>",
    answer: "\\boxed{8}",
    format: formatReward({ preset: "trl-think" }),
  },
  {
    template: "s1",
    openThink: true,
    script: "\n3 + 5 = 8\n<|im_start|>answer\nAnswer: 8<|im_end|>\n<|im_start|>user",
    text: "\n3 + 5 = 8\n<|im_start|>answer\nAnswer: 8<|im_end|>",
    answer: "Answer: 8",
  },
  { template: "star", script: "<scratch>\n3 + 5 , 8\n</scratch>\n8\n", text: "<scratch>\n3 + 5 , 8\n</scratch>\n8\n", answer: "8" },
  { template: "l1-exact", script: "<think>3 + 5</think> so \\boxed{8}.", text: "<think>3 + 5</think> so \\boxed{8}.", answer: "8" },
  { template: "l1-max", script: "<think>3 + 5</think> so \\boxed{8}.", text: "<think>3 + 5</think> so \\boxed{8}.", answer: "8" },
  { template: "plain", script: "8", text: "8", answer: "8" },
];

describe("template stop strings compose with format rewards and scorers", () => {
  it("every registered template has a pairing", () => {
    expect(new Set(PAIRINGS.map((p) => p.template))).toEqual(new Set(listTemplates().map((t) => t.name)));
  });

  it("generationStops keeps the template's stop strings in the text", () => {
    expect(generationStops(getTemplate("r1"))).toEqual({ stop: ["</answer>"], includeStopStrInOutput: true });
    expect(generationStops(getTemplate("qwen3"))).toEqual({ stop: ["<|im_end|>"], includeStopStrInOutput: true });
    expect(generationStops(getTemplate("plain"))).toEqual({ stop: [], includeStopStrInOutput: true });
  });

  for (const p of PAIRINGS) {
    it(`${p.template}${p.openThink ? " (thinking opened by the prompt)" : ""}: full format reward and the answer parses`, () => {
      const t = getTemplate(p.template);
      for (const tokenChars of [1, 4]) {
        const text = decodeWithStops(p.script, t, tokenChars);
        expect(text, `tokens of ${tokenChars} characters`).toBe(p.text);
        expect(t.parse(text, { openThink: p.openThink }).answer).toBe(p.answer);
        if (p.format) expect(p.format({ completion: text, ...unit })).toBe(1);
      }
    });
  }

  it("r1 + Countdown (TinyZero): the stopped completion is correct and gets the full TinyZero reward", () => {
    const reward = tinyZeroCountdownReward();
    for (const p of PAIRINGS.filter((x) => x.template === "r1")) {
      const text = decodeWithStops(p.script, getTemplate("r1"), 1);
      const score = countdownTask.score(text, countdown);
      expect(score.correct, p.script).toBe(true);
      expect(score.reward).toBe(1);
      expect(reward({ completion: text, score, ...unit })).toBe(1);
    }
  });

  it("without keeping the stop string (OpenAI semantics) the same R1 completion scores 0: the check above is not vacuous", () => {
    const [p] = PAIRINGS;
    const text = decodeWithStops(p.script, getTemplate("r1"), 1, false);
    expect(text).toBe(" <think> 3 + 5 = 8, 8 * 2 = 16 </think> <answer> (3 + 5) * 2 ");
    expect(p.format!({ completion: text, ...unit })).toBe(0);
    expect(tinyZeroCountdownReward()({ completion: text, score: countdownTask.score(text, countdown), ...unit })).toBe(0);
  });
});
