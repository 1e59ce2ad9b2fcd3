// A scripted Backend for scheduler tests: each prompt (thread prompt + text so far) maps to the text the "model"
// would write next; one character = one token. Stop strings and max tokens behave as on a server (the stop string
// is kept when includeStopStrInOutput). A script that returns an Error makes the request throw.
import { ReplaySession } from "../../../src/backends/replay-session.js";
import type { Backend, CompletionRequest, CompletionResult, ContinuationSession, SessionOptions } from "../../../src/backends/types.js";
import type { Tokenizer } from "../../../src/model/tokenizer.js";

export type Script = (prompt: string) => string | Error;

export class ScriptedBackend implements Backend {
  readonly name = "scripted";
  readonly tokenCounting = "tokenizer" as const;
  /** every complete() call: its prompts and max tokens */
  readonly calls: { prompts: string[]; maxTokens: number }[] = [];

  /** with a tokenizer, sessions replay prompt + text through complete() (as a server's would) */
  constructor(
    private readonly script: Script,
    private readonly tokenizer?: Tokenizer,
  ) {}

  countTokens(text: string): number {
    return text.length;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const prompts = typeof req.prompt === "string" ? [req.prompt] : [...req.prompt];
    this.calls.push({ prompts, maxTokens: req.maxTokens });
    await Promise.resolve();
    const choices = prompts.map((p, promptIndex) => {
      const full = this.script(p);
      if (full instanceof Error) throw full;
      let text = full;
      let finishReason: "stop" | "length" = "stop";
      let stopReason: string | null = null;
      let cut = Number.POSITIVE_INFINITY;
      for (const s of req.stop ?? []) {
        const at = full.indexOf(s);
        if (at >= 0 && at + s.length < cut) {
          cut = at + s.length;
          stopReason = s;
          text = req.includeStopStrInOutput ? full.slice(0, at + s.length) : full.slice(0, at);
        }
      }
      if (text.length > req.maxTokens) {
        text = text.slice(0, req.maxTokens);
        finishReason = "length";
        stopReason = null;
      }
      return { promptIndex, sampleIndex: 0, text, tokens: text.length, finishReason, stopReason, logprobs: null };
    });
    return { choices, promptTokens: prompts.map((p) => p.length), tokenCounting: "tokenizer" };
  }

  async session(prompts: readonly string[], opts?: SessionOptions): Promise<ContinuationSession> {
    if (!this.tokenizer) throw new Error("scripted backend: no sessions");
    return new ReplaySession({ complete: (r) => this.complete(r), tokenizer: this.tokenizer }, prompts, opts);
  }

  async close(): Promise<void> {}
}
