// The LLM judge over a scripted fake backend: counts, parse failures and backend errors (each counted as 0 and
// reported), the concurrency limit, and the choice of prompt set.
import { describe, expect, it } from "vitest";
import type { Backend, ChatRequest, CompletionRequest, CompletionResult } from "../../src/backends/types.js";
import { autoPromptSet, judgePrompt, judgeTraces, parseJudgeCount } from "../../src/analysis/behaviors/index.js";
import { analyzeBehaviors, formatBehaviorReport } from "../../src/analysis/behaviors/report.js";

/** A backend whose answer to a prompt is `script(prompt)` (a string, or an Error to throw), after a tick. */
class ScriptedBackend implements Backend {
  readonly name = "scripted";
  readonly tokenCounting = "server-usage" as const;
  inFlight = 0;
  maxInFlight = 0;
  prompts: string[] = [];
  chats = 0;
  constructor(private readonly script: (prompt: string) => string | Error, withChat = true) {
    if (!withChat) this.chat = undefined;
  }
  private async answer(prompt: string, temperature: number | undefined): Promise<CompletionResult> {
    expect(temperature).toBe(0);
    this.prompts.push(prompt);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight--;
    const out = this.script(prompt);
    if (out instanceof Error) throw out;
    return { choices: [{ promptIndex: 0, sampleIndex: 0, text: out, tokens: null, finishReason: "stop", stopReason: null, logprobs: null }], promptTokens: [null], tokenCounting: "server-usage" };
  }
  async complete(req: CompletionRequest): Promise<CompletionResult> {
    return this.answer(String(req.prompt), req.temperature);
  }
  chat?: (req: ChatRequest) => Promise<CompletionResult> = async (req) => {
    this.chats++;
    return this.answer(req.messages[0].content, req.temperature);
  };
  countTokens(): number | null {
    return null;
  }
  session(): never {
    throw new Error("not used");
  }
  async close(): Promise<void> {}
}

/** Which behavior a judge prompt asks about (each prompt names its behavior's definition). */
function behaviorOf(prompt: string): string {
  if (prompt.includes("answer-verification")) return "verification";
  if (prompt.includes("backtracking")) return "backtracking";
  if (prompt.includes("subgoal")) return "subgoal_setting";
  return "backward_chaining";
}

describe("parseJudgeCount", () => {
  it("reads the last <count>N</count> and returns null without one", () => {
    expect(parseJudgeCount("<count>3</count>")).toBe(3);
    expect(parseJudgeCount("I see two checks. <count> 2 </count>")).toBe(2);
    expect(parseJudgeCount("first <count>1</count> then, on reflection, <COUNT>4</COUNT>")).toBe(4);
    expect(parseJudgeCount("there are 3 instances")).toBeNull();
    expect(parseJudgeCount("<count>three</count>")).toBeNull();
    expect(parseJudgeCount("<count>-1</count>")).toBeNull();
  });
});

describe("judge prompts", () => {
  it("countdown prompts name the numbers and target; generic ones the problem; all ask for <count>", () => {
    const cd = judgePrompt("verification", "62-15=47", "countdown", { numbers: [25, 37, 15], target: 47 });
    expect(cd).toContain("[25, 37, 15]");
    expect(cd).toContain("target number 47");
    expect(cd).toContain("explicitly checks the current result against the target");
    expect(cd).toContain("62-15=47");
    const gen = judgePrompt("backward_chaining", "so x = 6", "generic", { problem: "Solve 2^x = 64." });
    expect(gen).toContain("Solve 2^x = 64.");
    expect(gen).toContain("starts from the target and works backwards");
    for (const p of [cd, gen]) expect(p).toContain("<count>0</count>");
    expect(() => judgePrompt("verification", "t", "countdown", {})).toThrow(/numbers and target/);
    expect(autoPromptSet({ numbers: [1, 2], target: 3 })).toBe("countdown");
    expect(autoPromptSet({ problem: "p" })).toBe("generic");
  });
});

describe("judgeTraces", () => {
  it("asks four prompts per trace, keeps counts, counts parse and backend failures as 0 and reports them", async () => {
    const backend = new ScriptedBackend((prompt) => {
      const b = behaviorOf(prompt);
      if (prompt.includes("TRACE-A")) return { verification: "<count>2</count>", backtracking: "<count>1</count>", subgoal_setting: "none", backward_chaining: "<count>0</count>" }[b]!;
      if (b === "backtracking") return new Error("503 Service Unavailable");
      return "<count>1</count>";
    });
    const run = await judgeTraces([{ text: "TRACE-A", context: { numbers: [1, 2], target: 3 } }, { text: "TRACE-B" }], { backend, concurrency: 3 });
    expect(run.requests).toBe(8);
    expect(run.parseFailures).toBe(1);
    expect(run.backendFailures).toBe(1);
    expect(run.traces[0].counts).toEqual({ verification: 2, backtracking: 1, subgoal_setting: 0, backward_chaining: 0 });
    expect(run.traces[0].promptSet).toBe("countdown");
    expect(run.traces[0].failures).toEqual([{ behavior: "subgoal_setting", kind: "parse", message: "none" }]);
    expect(run.traces[1].counts).toEqual({ verification: 1, backtracking: 0, subgoal_setting: 1, backward_chaining: 1 });
    expect(run.traces[1].promptSet).toBe("generic");
    expect(run.traces[1].failures).toEqual([{ behavior: "backtracking", kind: "backend", message: "503 Service Unavailable" }]);
    expect(backend.maxInFlight).toBeLessThanOrEqual(3);
    expect(backend.maxInFlight).toBeGreaterThan(1);
    expect(backend.chats).toBe(8);
  });

  it("uses raw completions without a chat endpoint, and refuses forced countdown prompts without numbers", async () => {
    const backend = new ScriptedBackend(() => "<count>0</count>", false);
    const run = await judgeTraces([{ text: "t" }], { backend, concurrency: 1, behaviors: ["verification"] });
    expect(run.requests).toBe(1);
    expect(backend.prompts).toHaveLength(1);
    expect(backend.maxInFlight).toBe(1);
    await expect(judgeTraces([{ text: "t" }], { backend, prompts: "countdown" })).rejects.toThrow(/numbers and target/);
  });

  it("says why when every judge request failed, instead of showing zeros as measurements", async () => {
    const backend = new ScriptedBackend(() => new Error('CharTokenizer: character "H" is not in the alphabet'));
    const trace = { id: "line 1", line: 1, text: "Let me check: 3 + 4 = 7, which matches the target.", context: {} };
    const report = await analyzeBehaviors([trace], { judge: { backend, concurrency: 1 } });
    expect(report.judge).toEqual({ backend: "scripted", requests: 4, parseFailures: 0, backendFailures: 4 });
    const text = formatBehaviorReport(report);
    expect(text).toContain('First failure (verification, backend): CharTokenizer: character "H" is not in the alphabet');
    expect(text).toContain("Every judge request failed");
  });
});
