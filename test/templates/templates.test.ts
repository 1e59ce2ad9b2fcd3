import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { getTemplate, listTemplates } from "../../src/templates/index.js";
import { additionTask } from "../../src/tasks/addition.js";

describe("templates", () => {
  it("registry lists the templates and rejects unknown names", () => {
    expect(listTemplates().map((t) => t.name)).toEqual(["r1", "plain", "star", "l1-exact", "l1-max", "s1", "qwen3"]);
    expect(() => getTemplate("chatgpt")).toThrow('unknown template "chatgpt" (expected one of: r1, plain, star, l1-exact, l1-max, s1, qwen3)');
  });

  it("r1 renders DeepSeek-R1 Table 1 verbatim", () => {
    const r1 = getTemplate("r1");
    expect(r1.render("What is 2+2")).toBe(
      "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: What is 2+2. Assistant:",
    );
    expect(r1.render("cost $& $1?")).toContain("User: cost $& $1?. Assistant:");
    expect(r1.render("q", { openThink: true }).endsWith("Assistant: <think>")).toBe(true);
    expect(r1.parse(" <think> 2 and 2 </think> <answer> 4 </answer>")).toEqual({ thinking: " 2 and 2 ", answer: "4", thinkingClosed: true });
    expect(r1.parse(" 2 and 2 </think> <answer>4</answer>", { openThink: true })).toEqual({ thinking: " 2 and 2 ", answer: "4", thinkingClosed: true });
    expect(r1.parse("<think> still going <answer>4</answer>")).toEqual({ thinking: " still going <answer>4</answer>", answer: null, thinkingClosed: false });
    expect(r1.parse("<answer>4</answer>")).toEqual({ thinking: null, answer: "4", thinkingClosed: false });
    expect(r1.parse("<think>a</think> no tags")).toEqual({ thinking: "a", answer: null, thinkingClosed: true });
    expect(r1.stop).toEqual(["</answer>"]);
  });

  it("plain and star", () => {
    expect(getTemplate("plain").render("q?")).toBe("q?");
    expect(getTemplate("plain").parse("  42 \n")).toEqual({ thinking: null, answer: "42", thinkingClosed: false });
    const star = getTemplate("star");
    const ex = additionTask.fromFields({ a: 624, b: 259 });
    expect(star.render(ex.question)).toBe(additionTask.prompt(ex));
    expect(additionTask.prompt(ex, star)).toBe("Input:\n6 2 4 + 2 5 9\nTarget:\n");
    expect(star.parse(additionTask.rationale!(ex))).toEqual({
      thinking: "\n6 2 4 + 2 5 9 , C: 0\n2 + 5 , 3 C: 1\n6 + 2 , 8 3 C: 0\n, 8 8 3 C: 0\n0 8 8 3\n",
      answer: "8 8 3",
      thinkingClosed: true,
    });
  });

  it("l1-exact / l1-max append the L1 instruction with the budget", () => {
    expect(getTemplate("l1-exact").render("Find x.", { budget: 512 })).toBe("Find x. Let's think step by step and output the final answer within \\boxed{}. Think for 512 tokens.");
    expect(getTemplate("l1-max").render("Find x.", { budget: 1024 })).toBe("Find x. Let's think step by step and output the final answer within \\boxed{}. Think for maximum 1024 tokens.");
    expect(getTemplate("l1-exact", { budget: 100 }).render("q")).toMatch(/Think for 100 tokens\.$/);
    expect(() => getTemplate("l1-exact").render("q")).toThrow(/budget/);
    expect(getTemplate("l1-max").parse("hmm \\boxed{1} no</think>so \\boxed{\\frac{1}{2}}.")).toEqual({ thinking: "hmm \\boxed{1} no", answer: "\\frac{1}{2}", thinkingClosed: true });
  });

  it("s1 uses ChatML with think/answer markers", () => {
    const s1 = getTemplate("s1");
    expect(s1.render("How many r in raspberry", { openThink: true })).toBe(
      "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHow many r in raspberry<|im_end|>\n<|im_start|>assistant\n<|im_start|>think",
    );
    expect(s1.parse("\nr-a-s-p… Wait, three.\n<|im_start|>answer\nAnswer: 3<|im_end|>", { openThink: true })).toEqual({
      thinking: "\nr-a-s-p… Wait, three.\n",
      answer: "Answer: 3",
      thinkingClosed: true,
    });
    expect(s1.parse("<|im_start|>think\nstill thinking")).toEqual({ thinking: "\nstill thinking", answer: null, thinkingClosed: false });
  });

  it("qwen3 uses <think> inside ChatML", () => {
    const q = getTemplate("qwen3");
    expect(q.render("hi", { openThink: true })).toBe("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n");
    expect(q.render("hi", { system: "S" })).toBe("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
    expect(q.parse("<think>\nok\n</think>\n\nHello!<|im_end|>")).toEqual({ thinking: "\nok\n", answer: "Hello!", thinkingClosed: true });
    expect(q.parse("\nok\n</think>\n\nHello!")).toEqual({ thinking: "\nok\n", answer: "Hello!", thinkingClosed: true });
    expect(q.parse("<think>\nok\n</think>\n\nHello!", { openThink: true })).toEqual({ thinking: "\nok\n", answer: "Hello!", thinkingClosed: true });
  });

  it("every template renders and parses arbitrary text without throwing (property)", () => {
    const templates = listTemplates();
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), fc.boolean(), (question, completion, openThink) => {
        for (const t of templates) {
          const prompt = t.render(question, { budget: 256, openThink: openThink });
          if (!prompt.includes(question)) return false;
          const p = t.parse(completion, { openThink });
          if (p.answer !== null && typeof p.answer !== "string") return false;
          if (p.thinkingClosed && p.thinking === null) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
    for (const t of templates) expect(t.parse("<think>".repeat(200_000) + "</think>".repeat(100_000)).thinkingClosed).toBe(Boolean(t.thinkEnd === "</think>"));
  });
});
