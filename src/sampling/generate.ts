// Batched generation with a key/value cache: prefill each distinct prompt once, replicate its cache for the n
// samples, then decode one token per step for every sequence (a GenerationSession, session.ts, which also serves
// continuations that reuse the cache). Each sample draws from its own RNG stream seeded by
// (seed, prompt index, sample index), so results do not depend on batch composition.
import { compile, type CompiledGraph, type NDArray, type RuntimeOptions } from "../engine/index.js";
import type { LlamaConfig } from "../model/config.js";
import type { ParamStore } from "../model/params.js";
import type { Tokenizer } from "../model/tokenizer.js";
import { buildDecodeGraph, buildPrefillGraph, generationWeights, rotaryFeeds } from "./graphs.js";
import { validateSampling, DEFAULT_SAMPLING, type SamplingParams } from "./sampler.js";
import { GenerationSession, type SessionEngine, type SessionOpenOptions } from "./session.js";

export interface GenerateOptions extends Partial<SamplingParams> {
  /** samples per prompt (default 1) */
  n?: number;
  /** new tokens at most (default 64) */
  maxTokens?: number;
  /** stop when the completion text contains one of these; the text is cut before it (OpenAI semantics, see stop.ts) */
  stop?: readonly string[];
  /**
   * keep the stop string that ended a sample at the end of `text` (vLLM's include_stop_str_in_output); default false.
   * Generating with a prompt template: spread `generationStops(template)` (src/templates), which sets it.
   */
  includeStopStrInOutput?: boolean;
  /** stop on these token ids (default: the tokenizer's eos); the id is kept in tokenIds, not in text */
  stopTokenIds?: readonly number[];
  /** never stop on eos (s1 budget forcing, length tests) */
  ignoreEos?: boolean;
  /** token ids that may never be sampled */
  bannedTokenIds?: readonly number[];
  seed?: number;
  /**
   * sequences decoded together (prompts × n), default 64: larger batches are split into chunks of whole prompts,
   * which bounds the KV cache's memory; results do not depend on it (each sample has its own RNG stream)
   */
  maxBatch?: number;
  /** index of the first prompt in the RNG streams (to reproduce prompt k of a batch on its own, pass k) */
  promptOffset?: number;
  /** prepend the tokenizer's bos to text prompts (default: when it has one) */
  addBos?: boolean;
  /**
   * Observes the logits row each token is drawn from (before temperature, bans and truncation); `position` is the
   * index of the token in the completion. The row is a view, valid only during the call (tests, analysis).
   */
  onLogits?: (promptIndex: number, sampleIndex: number, position: number, logits: Float32Array) => void;
}

/** Sequences decoded together by default (see GenerateOptions.maxBatch). */
export const DEFAULT_MAX_BATCH = 64;

export type FinishReason = "stop" | "length";

export interface Completion {
  promptIndex: number;
  sampleIndex: number;
  /** generated ids (including a final stop token id, if one ended the sample) */
  tokenIds: number[];
  text: string;
  /** log π(token) under the model (temperature 1, before truncation), one per generated id */
  logprobs: number[];
  finishReason: FinishReason;
  /** the stop string or stop token id that ended the sample; null on length */
  stopReason: string | number | null;
  /** prompt ids as fed to the model */
  promptIds: number[];
}

export class Generator {
  /** RotaryEmbedding caches for every position the model allows */
  private readonly rotary: Record<string, NDArray>;

  private constructor(
    readonly config: LlamaConfig,
    readonly params: ParamStore,
    readonly tokenizer: Tokenizer,
    private readonly prefill: CompiledGraph,
    private readonly decode: CompiledGraph,
    /** weights baked into the graphs at creation */
    readonly frozen = false,
  ) {
    this.rotary = rotaryFeeds(config);
  }

  /**
   * `frozen: true` bakes the current weights into the graphs (inference: `ratio sample`, evaluation, benchmarks):
   * faster decoding, but later changes to `params` are not seen — create a new Generator after training.
   */
  static async create(opts: {
    config: LlamaConfig; params: ParamStore; tokenizer: Tokenizer; threads?: number; runtime?: RuntimeOptions; frozen?: boolean;
  }): Promise<Generator> {
    const runtime = { ...opts.runtime, threads: opts.threads ?? opts.runtime?.threads };
    const frozen = opts.frozen ? generationWeights(opts.config, opts.params) : undefined;
    const prefill = await compile(buildPrefillGraph(opts.config, frozen), { ...runtime, cache: !frozen });
    const decode = await compile(buildDecodeGraph(opts.config, frozen), { ...runtime, cache: !frozen });
    return new Generator(opts.config, opts.params, opts.tokenizer, prefill, decode, frozen !== undefined);
  }

  /** Token ids of a prompt as the model sees it. */
  encodePrompt(prompt: string | readonly number[], addBos?: boolean): number[] {
    if (typeof prompt !== "string") return [...prompt];
    const ids = this.tokenizer.encode(prompt);
    const bos = this.tokenizer.bosId;
    return (addBos ?? bos !== undefined) && bos !== undefined ? [bos, ...ids] : ids;
  }

  /** Samples `n` completions of every prompt; see GenerateOptions. Completions come back prompt by prompt. */
  async generate(prompts: readonly (string | readonly number[])[], opts: GenerateOptions = {}): Promise<Completion[]> {
    const n = opts.n ?? 1;
    const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`max batch must be an integer ≥ 1, got ${maxBatch}`);
    const perChunk = Math.max(1, Math.floor(maxBatch / n));
    const offset = opts.promptOffset ?? 0;
    const out: Completion[] = [];
    for (let start = 0; start < prompts.length; start += perChunk) {
      const chunk = await this.generateBatch(prompts.slice(start, start + perChunk), opts, start, offset + start);
      for (const c of chunk) out.push({ ...c, promptIndex: c.promptIndex + start });
    }
    return out;
  }

  /**
   * A continuation session over `prompts` × n rows: the prompts are prefilled once, and every later
   * `session.generate` reuses the key/value cache (appended ids are fed one decode step each). See session.ts.
   */
  async session(prompts: readonly (string | readonly number[])[], opts: SessionOpenOptions & { addBos?: boolean } = {}): Promise<GenerationSession> {
    return GenerationSession.open(this.engine(), prompts.map((p) => this.encodePrompt(p, opts.addBos)), opts);
  }

  private engine(): SessionEngine {
    const weights = this.frozen ? {} : generationWeights(this.config, this.params);
    return { config: this.config, tokenizer: this.tokenizer, prefill: this.prefill, decode: this.decode, constants: { ...weights, ...this.rotary } };
  }

  /** One batch: every prompt × n sequences decoded together. `promptIndex` in the results is local to the batch. */
  private async generateBatch(prompts: readonly (string | readonly number[])[], opts: GenerateOptions, start: number, promptOffset: number): Promise<Completion[]> {
    const n = opts.n ?? 1;
    const maxTokens = opts.maxTokens ?? 64;
    validateSampling({ temperature: opts.temperature ?? DEFAULT_SAMPLING.temperature, topP: opts.topP ?? DEFAULT_SAMPLING.topP, topK: opts.topK ?? DEFAULT_SAMPLING.topK });
    if (!Number.isInteger(n) || n < 1) throw new Error(`n must be an integer ≥ 1, got ${n}`);
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new Error(`max tokens must be an integer ≥ 1, got ${maxTokens}`);
    if (prompts.length === 0) return [];
    const cfg = this.config;
    const promptIds = prompts.map((p, i) => {
      const ids = this.encodePrompt(p, opts.addBos);
      if (ids.length === 0) throw new Error(`prompt ${start + i} is empty`);
      for (const id of ids) if (!Number.isInteger(id) || id < 0 || id >= cfg.vocab_size) throw new Error(`prompt ${start + i}: token id ${id} is outside the vocabulary (0…${cfg.vocab_size - 1})`);
      if (ids.length + maxTokens > cfg.max_position_embeddings) {
        throw new Error(`prompt ${start + i} has ${ids.length} tokens; with max tokens ${maxTokens} it exceeds max_position_embeddings ${cfg.max_position_embeddings}`);
      }
      return ids;
    });
    // cache slots: prompt (left-padded) + every generated token but the last
    const session = await GenerationSession.open(this.engine(), promptIds, { n, seed: opts.seed, promptOffset, reserve: maxTokens - 1 });
    const stop = opts.stop ?? [];
    const rows = Array.from({ length: session.rows }, (_, row) => ({ row, maxTokens, stop, includeStopStrInOutput: opts.includeStopStrInOutput }));
    const onLogits = opts.onLogits;
    const segments = await session.generate(rows, {
      temperature: opts.temperature, topP: opts.topP, topK: opts.topK, stopTokenIds: opts.stopTokenIds, ignoreEos: opts.ignoreEos,
      bannedTokenIds: opts.bannedTokenIds, onLogits: onLogits ? (p, s, pos, logits) => onLogits(start + p, s, pos, logits) : undefined,
    });
    return segments.map((seg) => ({
      promptIndex: Math.floor(seg.row / n), sampleIndex: seg.row % n, tokenIds: seg.tokenIds, text: seg.text, logprobs: seg.logprobs,
      finishReason: seg.finishReason, stopReason: seg.stopReason, promptIds: promptIds[Math.floor(seg.row / n)],
    }));
  }
}
