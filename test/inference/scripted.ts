// A scripted deterministic backend for the inference tests: one token per character (a code-point tokenizer), the
// "model" a function of the text so far; max_tokens, stop strings (OpenAI semantics, or kept) and finish reasons as
// a server applies them. Sessions are the generic ReplaySession, so budget forcing runs exactly as over a server.
import { ReplaySession } from "../../src/backends/replay-session.js";
import type { Backend, CompletionChoice, CompletionRequest, CompletionResult, ContinuationSession, SessionOptions, TokenCounting } from "../../src/backends/types.js";
import type { Tokenizer } from "../../src/model/tokenizer.js";

export const codePointTokenizer: Tokenizer = {
  vocabSize: 0x110000,
  specialIds: [],
  encode: (text) => [...text].map((c) => c.codePointAt(0)!),
  decode: (ids) => String.fromCodePoint(...ids),
  tokenToId: (t) => t.codePointAt(0),
  idToToken: (id) => String.fromCodePoint(id),
  toJSON: () => ({}),
  configJSON: () => ({}),
};

/** What the model would write next after `prompt` (the whole text so far); `sample` lets samples differ. */
export type Script = (prompt: string, sample: number, seed: number | undefined) => string;

export class ScriptedBackend implements Backend {
  readonly name = "scripted";
  get tokenCounting(): TokenCounting {
    return this.withTokenizer ? "tokenizer" : "server-usage";
  }

  /** every prompt sent, in order */
  readonly prompts: string[] = [];

  constructor(private readonly script: Script, private readonly withTokenizer = true) {}

  countTokens(text: string): number | null {
    return this.withTokenizer ? [...text].length : null;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const prompts = typeof req.prompt === "string" ? [req.prompt] : [...req.prompt];
    const choices: CompletionChoice[] = [];
    prompts.forEach((prompt, promptIndex) => {
      this.prompts.push(prompt);
      for (let sampleIndex = 0; sampleIndex < (req.n ?? 1); sampleIndex++) {
        const want = [...this.script(prompt, sampleIndex, req.seed)];
        let text = want.slice(0, req.maxTokens).join("");
        let finishReason: "stop" | "length" = want.length > req.maxTokens ? "length" : "stop";
        let stopReason: string | null = null;
        let best = -1;
        for (const s of req.stop ?? []) {
          const at = text.indexOf(s);
          if (at >= 0 && (best < 0 || at < best)) { best = at; stopReason = s; }
        }
        // a server generates up to the end of the stop string: those tokens count
        const tokens = best >= 0 ? [...text.slice(0, best + stopReason!.length)].length : [...text].length;
        if (best >= 0) {
          text = text.slice(0, req.includeStopStrInOutput ? best + stopReason!.length : best);
          finishReason = "stop";
        }
        choices.push({ promptIndex, sampleIndex, text, tokens: this.withTokenizer ? [...text].length : tokens, finishReason, stopReason, logprobs: req.logprobs ? [...text].map(() => -0.5) : null });
      }
    });
    return { choices, promptTokens: prompts.map((p) => [...p].length), tokenCounting: this.withTokenizer ? "tokenizer" : "server-usage" };
  }

  async session(prompts: readonly string[], opts: SessionOptions = {}): Promise<ContinuationSession> {
    return new ReplaySession({ complete: (r) => this.complete(r), tokenizer: this.withTokenizer ? codePointTokenizer : undefined }, prompts, opts);
  }

  async close(): Promise<void> {}
}
