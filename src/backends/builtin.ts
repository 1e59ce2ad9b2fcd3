// The builtin backend: the Ratio engine on a checkpoint. Frozen weights for evaluation (BuiltinBackend.load), or any
// Generator — a live one sees a trainer's updated weights (RL). Token counts are exact (the engine's own ids).
// Sessions reuse the key/value cache of the prompt across rounds (sampling/session.ts).
import { loadCheckpoint } from "../model/checkpoint.js";
import { Generator } from "../sampling/generate.js";
import { BuiltinSession } from "./builtin-session.js";
import type { Backend, CompletionRequest, CompletionResult, ContinuationSession, SessionOptions } from "./types.js";

export interface BuiltinBackendOptions {
  /** shown in reports (default "builtin") */
  name?: string;
  /** sequences decoded together in `complete` (bounds memory; results do not depend on it) */
  maxBatch?: number;
}

export class BuiltinBackend implements Backend {
  readonly name: string;
  readonly tokenCounting = "tokenizer" as const;

  constructor(
    readonly generator: Generator,
    private readonly opts: BuiltinBackendOptions = {},
  ) {
    this.name = opts.name ?? "builtin";
  }

  /** A checkpoint directory with frozen weights (evaluation). */
  static async load(dir: string, opts: BuiltinBackendOptions & { threads?: number } = {}): Promise<BuiltinBackend> {
    const ck = await loadCheckpoint(dir);
    const generator = await Generator.create({ config: ck.config, params: ck.params, tokenizer: ck.tokenizer, frozen: true, threads: opts.threads });
    return new BuiltinBackend(generator, { ...opts, name: opts.name ?? `builtin:${dir}` });
  }

  countTokens(text: string): number {
    return this.generator.tokenizer.encode(text).length;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const prompts = typeof req.prompt === "string" ? [req.prompt] : [...req.prompt];
    const out = await this.generator.generate(prompts, {
      n: req.n, temperature: req.temperature, topP: req.topP, maxTokens: req.maxTokens, stop: req.stop,
      includeStopStrInOutput: req.includeStopStrInOutput, seed: req.seed, maxBatch: this.opts.maxBatch,
    });
    const promptTokens = prompts.map(() => null as number | null);
    for (const c of out) promptTokens[c.promptIndex] = c.promptIds.length;
    return {
      tokenCounting: "tokenizer",
      promptTokens,
      choices: out.map((c) => ({
        promptIndex: c.promptIndex, sampleIndex: c.sampleIndex, text: c.text, tokens: c.tokenIds.length, finishReason: c.finishReason,
        stopReason: c.stopReason, logprobs: req.logprobs ? c.logprobs : null,
      })),
    };
  }

  async session(prompts: readonly string[], opts: SessionOptions = {}): Promise<ContinuationSession> {
    const n = opts.n ?? 1;
    const session = await this.generator.session(prompts, { n, seed: opts.seed, streams: opts.streams });
    return new BuiltinSession(session, this.generator.tokenizer, opts);
  }

  async close(): Promise<void> {}
}
