// Batched generation with a key/value cache: prefill each distinct prompt once, replicate its cache for the n
// samples, then decode one token per step for every sequence. Each sample draws from its own RNG stream seeded by
// (seed, prompt index, sample index), so results do not depend on batch composition.
import { compile, type CompiledGraph, type NDArray, type RuntimeOptions } from "../engine/index.js";
import type { LlamaConfig } from "../model/config.js";
import { MASK_NEG, ropeHalfTables } from "../model/llama.js";
import type { ParamStore } from "../model/params.js";
import type { Tokenizer } from "../model/tokenizer.js";
import { Rng } from "../util/rng.js";
import { buildDecodeGraph, buildPrefillGraph, generationWeights, keyName, PRESENT, valueName } from "./graphs.js";
import { KvCache } from "./kv-cache.js";
import { logProbAt, sampleToken, validateSampling, DEFAULT_SAMPLING, type SamplingParams } from "./sampler.js";
import { findStop } from "./stop.js";

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

interface Row {
  prompt: number;
  sample: number;
  rng: Rng;
  ids: number[];
  logprobs: number[];
  done: boolean;
  finish: FinishReason;
  stopReason: string | number | null;
  text: string;
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
    const n = config.max_position_embeddings;
    // RotaryEmbedding caches for positions 0…n−1, [n, hd/2]; the q pair also carries the 1/√hd attention scale
    const positions = Array.from({ length: n }, (_, i) => i);
    const shape = [n, config.head_dim / 2];
    const plain = ropeHalfTables(config, positions);
    const q = ropeHalfTables(config, positions, 1 / Math.sqrt(config.head_dim));
    this.rotary = {
      cos_cache: { dtype: "float32", shape, data: plain.cos },
      sin_cache: { dtype: "float32", shape, data: plain.sin },
      cos_cache_q: { dtype: "float32", shape, data: q.cos },
      sin_cache_q: { dtype: "float32", shape, data: q.sin },
    };
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

  /** One batch: every prompt × n sequences decoded together. `promptIndex` in the results is local to the batch. */
  private async generateBatch(prompts: readonly (string | readonly number[])[], opts: GenerateOptions, start: number, promptOffset: number): Promise<Completion[]> {
    const sp: SamplingParams = {
      temperature: opts.temperature ?? DEFAULT_SAMPLING.temperature,
      topP: opts.topP ?? DEFAULT_SAMPLING.topP,
      topK: opts.topK ?? DEFAULT_SAMPLING.topK,
    };
    validateSampling(sp);
    const n = opts.n ?? 1;
    const maxTokens = opts.maxTokens ?? 64;
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
    const stopIds = new Set(opts.ignoreEos ? [] : (opts.stopTokenIds ?? (this.tokenizer.eosId !== undefined ? [this.tokenizer.eosId] : [])));
    if (opts.ignoreEos && opts.stopTokenIds) for (const id of opts.stopTokenIds) if (id !== this.tokenizer.eosId) stopIds.add(id);
    const banned = opts.bannedTokenIds?.length ? new Set(opts.bannedTokenIds) : undefined;
    const stops = (opts.stop ?? []).filter((s) => s.length > 0);
    const seed = opts.seed ?? 0;

    const Lp = Math.max(...promptIds.map((p) => p.length));
    const P = Lp + maxTokens - 1; // cache slots: prompt (left-padded) + every generated token but the last
    const R = prompts.length * n;
    const { num_hidden_layers: layers, num_key_value_heads: Hkv, head_dim: hd, vocab_size: V } = cfg;
    const params = this.frozen ? {} : generationWeights(cfg, this.params);

    // prefill distinct prompts, left-padded to Lp
    const U = prompts.length;
    const pad = this.tokenizer.padId ?? 0;
    const ids = new BigInt64Array(U * Lp).fill(BigInt(pad));
    const positions = new BigInt64Array(U * Lp);
    const mask = new Float32Array(U * Lp * Lp).fill(MASK_NEG);
    const padCount = promptIds.map((p) => Lp - p.length);
    promptIds.forEach((p, u) => {
      const off = padCount[u];
      p.forEach((id, t) => { ids[u * Lp + off + t] = BigInt(id); positions[u * Lp + off + t] = BigInt(t); });
      for (let q = 0; q < Lp; q++) {
        for (let k = 0; k <= q; k++) if (k >= off || k === q) mask[(u * Lp + q) * Lp + k] = 0;
      }
    });
    const pre = await this.prefill.run({
      ...params, ...this.rotary,
      input_ids: { dtype: "int64", shape: [U, Lp], data: ids },
      position_ids: { dtype: "int64", shape: [U, Lp], data: positions },
      attn_mask: { dtype: "float32", shape: [U, 1, Lp, Lp], data: mask },
    });

    // caches [R, Hkv, P, hd]; row r = prompt ⌊r/n⌋, sample r mod n
    const cache = new KvCache(layers, R, Hkv, P, hd);
    cache.fillFromPrefill(
      Array.from({ length: layers }, (_, l) => pre[keyName(l)].data as Float32Array),
      Array.from({ length: layers }, (_, l) => pre[valueName(l)].data as Float32Array),
      Lp, n, padCount,
    );

    const rows: Row[] = [];
    for (let r = 0; r < R; r++) {
      rows.push({
        prompt: Math.floor(r / n), sample: r % n, rng: new Rng(`${seed}:${promptOffset + Math.floor(r / n)}:${r % n}`),
        ids: [], logprobs: [], done: false, finish: "length", stopReason: null, text: "",
      });
    }
    const preLogits = pre.logits.data as Float32Array;
    const choose = (row: Row, logits: Float32Array) => {
      opts.onLogits?.(start + row.prompt, row.sample, row.ids.length, logits);
      const tok = sampleToken(logits, sp, row.rng, banned);
      row.ids.push(tok);
      row.logprobs.push(logProbAt(logits, tok));
      if (stopIds.has(tok)) {
        row.done = true; row.finish = "stop"; row.stopReason = tok;
        row.text = this.tokenizer.decode(row.ids.slice(0, -1));
        return;
      }
      if (stops.length > 0) {
        // decode only when stop strings need the text; otherwise once at the end
        const hit = findStop(this.tokenizer.decode(row.ids), stops, opts.includeStopStrInOutput);
        if (hit) {
          row.done = true; row.finish = "stop"; row.stopReason = hit.stop; row.text = hit.text;
          return;
        }
      }
      if (row.ids.length >= maxTokens) {
        row.done = true;
        row.text = this.tokenizer.decode(row.ids);
      }
    };
    for (const row of rows) choose(row, preLogits.subarray(row.prompt * V, (row.prompt + 1) * V));

    const stepIds = new BigInt64Array(R);
    const stepPos = new BigInt64Array(R);
    const feeds: Record<string, NDArray> = { ...params, ...this.rotary, ...cache.feeds() };
    for (let step = 0; step < maxTokens - 1 && rows.some((r) => !r.done); step++) {
      const slot = Lp + step; // cache slot this step's token will occupy
      for (let r = 0; r < R; r++) {
        const row = rows[r];
        stepIds[r] = BigInt(row.ids[row.ids.length - 1] ?? pad);
        stepPos[r] = BigInt(promptIds[row.prompt].length + step);
      }
      feeds.input_ids = { dtype: "int64", shape: [R, 1], data: stepIds };
      feeds.position_ids = { dtype: "int64", shape: [R, 1], data: stepPos };
      const out = await this.decode.run(feeds);
      cache.append(out[PRESENT].data as Float32Array, slot);
      const logits = out.logits.data as Float32Array;
      rows.forEach((row, r) => { if (!row.done) choose(row, logits.subarray(r * V, (r + 1) * V)); });
    }
    return rows.map((row) => ({
      promptIndex: row.prompt, sampleIndex: row.sample, tokenIds: row.ids, text: row.text, logprobs: row.logprobs,
      finishReason: row.finish, stopReason: row.stopReason, promptIds: promptIds[row.prompt],
    }));
  }
}
