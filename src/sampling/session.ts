// A generation session: prompts prefilled once, then any number of continuations that reuse the key/value cache.
// Each row (prompt × sample) keeps its own sequence — prompt ids, then every id sampled or appended since — of which
// a prefix sits in the cache. A continuation appends ids (forced text such as budget forcing's "Wait") and samples
// from there: only the new ids go through the model, one decode step each, never the prompt again.
//
// Layout: row r's cache is contiguous; prompt position t of a prompt left-padded to Lp lives in slot pad + t, and the
// i-th id after the prompt in slot Lp + i (position id promptLength + i). Rows step together through the decode
// graph; a row with nothing to do in a step is fed a pad id whose keys/values are never written (slot −1), so
// every row is a function of its own ids alone. The cache grows on demand (a copy into a larger buffer).
//
// Invariant per row: `cached ≤ tokens.length`; `logits` (the next-token distribution after the whole sequence) is
// known exactly when cached = tokens.length. The last sampled id of a finished segment stays uncached until the next
// continuation feeds it, as plain generation never feeds its last token.
import type { CompiledGraph, NDArray } from "../engine/index.js";
import type { LlamaConfig } from "../model/config.js";
import type { Tokenizer } from "../model/tokenizer.js";
import { Rng } from "../util/rng.js";
import { keyName, prefillInputs, PRESENT, valueName } from "./graphs.js";
import { KvCache } from "./kv-cache.js";
import { DEFAULT_SAMPLING, logProbAt, sampleToken, validateSampling, type SamplingParams } from "./sampler.js";
import { IncrementalText } from "./detokenize.js";
import { findStop } from "./stop.js";

/** What a session needs from its Generator: the compiled graphs and the feeds every run takes. */
export interface SessionEngine {
  config: LlamaConfig;
  tokenizer: Tokenizer;
  prefill: CompiledGraph;
  decode: CompiledGraph;
  /** weights (unless baked into the graphs) and rotary caches */
  constants: Record<string, NDArray>;
}

export interface SessionOpenOptions {
  /** samples per prompt: rows = prompts × n, row r = prompt ⌊r/n⌋, sample r mod n (default 1) */
  n?: number;
  seed?: number;
  /** index of the first prompt in the RNG streams (as GenerateOptions.promptOffset) */
  promptOffset?: number;
  /** RNG stream index of each prompt (default promptOffset + i): a prompt samples alike in any batch */
  streams?: readonly number[];
  /** cache slots to reserve beyond the longest prompt (grows on demand anyway) */
  reserve?: number;
}

/** One row's continuation: ids appended first (forced), then up to maxTokens sampled ids. */
export interface SegmentRequest {
  row: number;
  /** ids appended to the row before sampling (forced text); they are fed, never sampled */
  append?: readonly number[];
  /** sampled ids at most (≥ 1) */
  maxTokens: number;
  /** stop strings, checked on this segment's sampled text (see stop.ts) */
  stop?: readonly string[];
  includeStopStrInOutput?: boolean;
}

export interface SegmentOptions extends Partial<SamplingParams> {
  /** stop on these ids (default: the tokenizer's eos) */
  stopTokenIds?: readonly number[];
  ignoreEos?: boolean;
  bannedTokenIds?: readonly number[];
  /** observes each logits row a token is drawn from; `position` counts the segment's sampled ids */
  onLogits?: (prompt: number, sample: number, position: number, logits: Float32Array) => void;
}

export type SegmentFinish = "stop" | "length";

export interface Segment {
  row: number;
  /** sampled ids (including a final stop id or the ids spelling a stop string) */
  tokenIds: number[];
  /** sampled text, cut at a stop string as stop.ts does (ids are not cut: see GenerationSession.truncate) */
  text: string;
  /** log π(id) under the model (temperature 1), one per sampled id */
  logprobs: number[];
  finishReason: SegmentFinish;
  stopReason: string | number | null;
}

interface RowState {
  prompt: number;
  sample: number;
  rng: Rng;
  promptIds: number[];
  /** ids after the prompt: sampled and appended, cached or pending */
  tokens: number[];
  /** how many of `tokens` are in the cache */
  cached: number;
  /** next-token logits after the whole sequence; null while ids are pending */
  logits: Float32Array | null;
  /** logits after the prompt (to rewind to an empty continuation) */
  promptLogits: Float32Array;
}

interface Active {
  row: RowState;
  index: number;
  req: SegmentRequest;
  ids: number[];
  logprobs: number[];
  done: boolean;
  finish: SegmentFinish;
  stopReason: string | number | null;
  text: string;
  stops: string[];
  /** the segment's text so far, decoded incrementally (stop strings are searched in what each token adds) */
  sampled: IncrementalText;
}

/** A cache that must grow grows to at least this factor of its size, so rounds do not copy it every time. */
const GROWTH = 1.25;

/**
 * Whether a stop string ends in the text the last id added (searched from the longest stop's length before it):
 * none occurred earlier, or the segment would have stopped there. A hit is confirmed on the full decode.
 */
function endsInStop(a: Active): boolean {
  const before = a.sampled.text.length;
  const text = a.sampled.sync(a.ids);
  if (text.length === before) return false;
  const longest = Math.max(...a.stops.map((x) => x.length));
  return findStop(text, a.stops, false, Math.max(0, before - longest + 1)) !== null;
}

function segmentOf(a: Active): Segment {
  return { row: a.index, tokenIds: a.ids, text: a.text, logprobs: a.logprobs, finishReason: a.finish, stopReason: a.stopReason };
}

export class GenerationSession {
  private cache: KvCache;
  private readonly state: RowState[] = [];

  private constructor(
    private readonly engine: SessionEngine,
    /** prefill length: the longest prompt; slot of the i-th id after the prompt is lp + i */
    private readonly lp: number,
    cache: KvCache,
  ) {
    this.cache = cache;
  }

  /** Prefills every distinct prompt once and replicates its cache for the n rows that share it. */
  static async open(engine: SessionEngine, promptIds: readonly (readonly number[])[], opts: SessionOpenOptions = {}): Promise<GenerationSession> {
    const n = opts.n ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new Error(`n must be an integer ≥ 1, got ${n}`);
    if (promptIds.length === 0) throw new Error("a session needs at least one prompt");
    const cfg = engine.config;
    promptIds.forEach((p, i) => {
      if (p.length === 0) throw new Error(`prompt ${i} is empty`);
      for (const id of p) if (!Number.isInteger(id) || id < 0 || id >= cfg.vocab_size) throw new Error(`prompt ${i}: token id ${id} is outside the vocabulary (0…${cfg.vocab_size - 1})`);
      if (p.length >= cfg.max_position_embeddings) throw new Error(`prompt ${i} has ${p.length} tokens; it leaves no room below max_position_embeddings ${cfg.max_position_embeddings}`);
    });
    const U = promptIds.length;
    const { feeds, length: Lp, padCount } = prefillInputs(promptIds, engine.tokenizer.padId ?? 0);
    const pre = await engine.prefill.run({ ...engine.constants, ...feeds });
    const { num_hidden_layers: layers, num_key_value_heads: Hkv, head_dim: hd, vocab_size: V } = cfg;
    const reserve = Math.max(0, Math.min(opts.reserve ?? 0, cfg.max_position_embeddings - Lp));
    const cache = new KvCache(layers, U * n, Hkv, Lp + reserve, hd);
    cache.fillFromPrefill(
      Array.from({ length: layers }, (_, l) => pre[keyName(l)].data as Float32Array),
      Array.from({ length: layers }, (_, l) => pre[valueName(l)].data as Float32Array),
      Lp, n, padCount,
    );
    const session = new GenerationSession(engine, Lp, cache);
    const logits = pre.logits.data as Float32Array;
    const seed = opts.seed ?? 0;
    const offset = opts.promptOffset ?? 0;
    if (opts.streams && opts.streams.length !== U) throw new Error(`${opts.streams.length} streams for ${U} prompts`);
    for (let r = 0; r < U * n; r++) {
      const u = Math.floor(r / n);
      const promptLogits = logits.subarray(u * V, (u + 1) * V);
      session.state.push({
        prompt: u, sample: r % n, rng: new Rng(`${seed}:${opts.streams?.[u] ?? offset + u}:${r % n}`), promptIds: [...promptIds[u]],
        tokens: [], cached: 0, logits: promptLogits, promptLogits,
      });
    }
    return session;
  }

  /** Number of rows (prompts × n). */
  get rows(): number {
    return this.state.length;
  }

  /** The prompt ids of a row. */
  promptIds(row: number): readonly number[] {
    return this.row(row).promptIds;
  }

  /** Every id of a row after its prompt: sampled and appended, in order. */
  tokens(row: number): readonly number[] {
    return this.row(row).tokens;
  }

  /** Positions a row may still grow by before max_position_embeddings. */
  room(row: number): number {
    const s = this.row(row);
    return this.engine.config.max_position_embeddings - s.promptIds.length - s.tokens.length;
  }

  /**
   * Rewinds a row to its first `keep` ids after the prompt (dropping a stop string, or thinking beyond a budget).
   * Cached ids beyond are forgotten; the last kept id is fed again on the next continuation to recover its logits.
   */
  truncate(row: number, keep: number): void {
    const s = this.row(row);
    if (!Number.isInteger(keep) || keep < 0 || keep > s.tokens.length) throw new Error(`truncate: row ${row} has ${s.tokens.length} ids, cannot keep ${keep}`);
    if (keep === s.tokens.length) return;
    s.tokens.length = keep;
    if (s.cached >= keep) {
      s.cached = Math.max(0, keep - 1);
      this.cache.forget(row, this.lp + s.cached);
      s.logits = keep === 0 ? s.promptLogits : null;
    }
  }

  /** Appends ids to a row without sampling (fed on its next continuation). */
  append(row: number, ids: readonly number[]): void {
    const s = this.row(row);
    const V = this.engine.config.vocab_size;
    for (const id of ids) if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`row ${row}: appended token id ${id} is outside the vocabulary (0…${V - 1})`);
    if (ids.length === 0) return;
    if (this.room(row) < ids.length) throw new Error(`row ${row}: appending ${ids.length} ids exceeds max_position_embeddings ${this.engine.config.max_position_embeddings}`);
    s.tokens.push(...ids);
    s.logits = null;
  }

  /**
   * Continues the requested rows together; results in request order. Rows not requested are left as they are.
   * With `next`, a row whose segment ends is handed to it at once: a returned request (same row) starts the row's
   * next segment in the same decoding loop, without waiting for the other rows (budget forcing's rounds); null
   * ends the row. The row may be truncated or appended to inside `next`. The results are then each row's last segment.
   */
  async generate(requests: readonly SegmentRequest[], opts: SegmentOptions & { next?: (segment: Segment) => SegmentRequest | null } = {}): Promise<Segment[]> {
    const cfg = this.engine.config;
    const tok = this.engine.tokenizer;
    const sp: SamplingParams = {
      temperature: opts.temperature ?? DEFAULT_SAMPLING.temperature,
      topP: opts.topP ?? DEFAULT_SAMPLING.topP,
      topK: opts.topK ?? DEFAULT_SAMPLING.topK,
    };
    validateSampling(sp);
    const stopIds = new Set(opts.ignoreEos ? [] : (opts.stopTokenIds ?? (tok.eosId !== undefined ? [tok.eosId] : [])));
    if (opts.ignoreEos && opts.stopTokenIds) for (const id of opts.stopTokenIds) if (id !== tok.eosId) stopIds.add(id);
    const banned = opts.bannedTokenIds?.length ? new Set(opts.bannedTokenIds) : undefined;
    const seen = new Set<number>();
    for (const req of requests) {
      this.row(req.row);
      if (seen.has(req.row)) throw new Error(`row ${req.row} is requested twice in one continuation`);
      seen.add(req.row);
    }
    const V = cfg.vocab_size;
    let feeds: Record<string, NDArray> = { ...this.engine.constants, ...this.cache.feeds() };
    /** Starts a segment on `a`'s row: checks the request, appends its ids, grows the cache if needed. */
    const start = (a: Active, req: SegmentRequest) => {
      const row = a.row;
      if (!Number.isInteger(req.maxTokens) || req.maxTokens < 1) throw new Error(`max tokens must be an integer ≥ 1, got ${req.maxTokens}`);
      const append = req.append ?? [];
      for (const id of append) if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`row ${req.row}: appended token id ${id} is outside the vocabulary (0…${V - 1})`);
      const length = row.promptIds.length + row.tokens.length + append.length + req.maxTokens;
      if (length > cfg.max_position_embeddings) {
        throw new Error(`row ${req.row}: ${row.promptIds.length + row.tokens.length + append.length} tokens so far; with max tokens ${req.maxTokens} it exceeds max_position_embeddings ${cfg.max_position_embeddings}`);
      }
      Object.assign(a, { req, ids: [], logprobs: [], done: false, finish: "length", stopReason: null, text: "", stops: (req.stop ?? []).filter((x) => x.length > 0), sampled: new IncrementalText(tok) });
      if (append.length > 0) {
        row.tokens.push(...append);
        row.logits = null;
      }
      // slots needed: every id but the segment's last sampled one
      const need = this.lp + row.tokens.length + req.maxTokens - 1;
      if (need > this.cache.slots) {
        this.cache = this.cache.grown(Math.min(Math.max(need, Math.ceil(this.cache.slots * GROWTH)), this.lp + cfg.max_position_embeddings));
        feeds = { ...this.engine.constants, ...this.cache.feeds() };
      }
    };
    const active: Active[] = requests.map((req) => ({ row: this.row(req.row), index: req.row, req, ids: [], logprobs: [], done: false, finish: "length", stopReason: null, text: "", stops: [], sampled: new IncrementalText(tok) }));
    for (const a of active) start(a, a.req);

    const finish = (a: Active) => {
      if (!opts.next) return;
      const seg = segmentOf(a);
      const req = opts.next(seg);
      if (req === null) return;
      if (req.row !== a.index) throw new Error(`next: a request for row ${req.row} after a segment of row ${a.index}`);
      start(a, req);
    };
    const choose = (a: Active, logits: Float32Array) => {
      opts.onLogits?.(a.row.prompt, a.row.sample, a.ids.length, logits);
      const id = sampleToken(logits, sp, a.row.rng, banned);
      a.ids.push(id);
      a.logprobs.push(logProbAt(logits, id));
      a.row.tokens.push(id);
      a.row.logits = null;
      if (stopIds.has(id)) {
        a.done = true; a.finish = "stop"; a.stopReason = id;
        a.text = tok.decode(a.ids.slice(0, -1));
        return finish(a);
      }
      if (a.stops.length > 0 && endsInStop(a)) {
        const hit = findStop(tok.decode(a.ids), a.stops, a.req.includeStopStrInOutput);
        if (hit) {
          a.done = true; a.finish = "stop"; a.stopReason = hit.stop; a.text = hit.text;
          return finish(a);
        }
      }
      if (a.ids.length >= a.req.maxTokens) {
        a.done = true;
        a.text = tok.decode(a.ids);
        return finish(a);
      }
    };

    const R = this.rows;
    const pad = BigInt(tok.padId ?? 0);
    const stepIds = new BigInt64Array(R);
    const stepPos = new BigInt64Array(R);
    const slots = new Int32Array(R);
    const fed: Active[] = [];
    for (;;) {
      for (const a of active) if (!a.done && a.row.logits !== null) choose(a, a.row.logits);
      fed.length = 0;
      for (const a of active) if (!a.done && a.row.cached < a.row.tokens.length) fed.push(a);
      if (fed.length === 0) break;
      stepIds.fill(pad);
      stepPos.fill(0n);
      slots.fill(-1);
      for (const a of fed) {
        const s = a.row;
        stepIds[a.index] = BigInt(s.tokens[s.cached]);
        stepPos[a.index] = BigInt(s.promptIds.length + s.cached);
        slots[a.index] = this.lp + s.cached;
      }
      feeds.input_ids = { dtype: "int64", shape: [R, 1], data: stepIds };
      feeds.position_ids = { dtype: "int64", shape: [R, 1], data: stepPos };
      const out = await this.engine.decode.run(feeds);
      this.cache.appendRows(out[PRESENT].data as Float32Array, slots);
      const logits = out.logits.data as Float32Array;
      for (const a of fed) {
        const s = a.row;
        s.cached++;
        if (s.cached === s.tokens.length) s.logits = logits.subarray(a.index * V, (a.index + 1) * V);
      }
    }
    return active.map(segmentOf);
  }

  private row(row: number): RowState {
    const s = this.state[row];
    if (!Number.isInteger(row) || s === undefined) throw new Error(`row ${row} is outside the session (0…${this.state.length - 1})`);
    return s;
  }
}
