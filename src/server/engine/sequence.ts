// One sample being generated: its tokens, log-probabilities, text, stop rules and streaming position. The
// scheduler feeds the model one token per step (`nextInput`) and hands back the next-token logits (`step`); the
// sequence samples from its own RNG stream, keyed (seed, prompt index, sample index) as in the Generator, so a
// request gives the same tokens alone or batched with others. A controller (thinking budgets) may cut the
// completion back and append forced text; forced tokens are fed like prompt tokens, never sampled.
import type { Tokenizer } from "../../model/tokenizer.js";
import { logProbAt, sampleToken, type SamplingParams } from "../../sampling/sampler.js";
import { IncrementalText } from "../../sampling/detokenize.js";
import { findStop } from "../../sampling/stop.js";
import { Rng } from "../../util/rng.js";
import { topLogprobs, type TokenLogprob } from "./top-logprobs.js";

export type FinishReason = "stop" | "length";

/** What would end the sequence after the token just sampled. */
export type EndEvent = { kind: "eos"; id: number } | { kind: "stop"; stop: string } | null;

/** Cut the completion to its first `keep` tokens, then append `text` as forced tokens. */
export interface ForceAction {
  keep: number;
  text: string;
}

export interface SequenceController {
  /** Called after each sampled token (`event` is what would end the sequence); null lets it go on as usual. */
  afterToken(seq: Sequence, event: EndEvent): ForceAction | null;
  /** Strings a streamed text must not end with a prefix of yet (the controller may still cut them). */
  holdBack(): readonly string[];
}

export interface SequenceSpec {
  promptIds: readonly number[];
  sampling: SamplingParams;
  seed: number;
  promptIndex: number;
  sampleIndex: number;
  /** completion tokens at most, forced ones included */
  maxTokens: number;
  stop: readonly string[];
  includeStopStrInOutput: boolean;
  /** stop strings that stay in the text even without includeStopStrInOutput (a template's closing tag) */
  keptStops?: ReadonlySet<string>;
  stopTokenIds: ReadonlySet<number>;
  /** alternatives per token to record (0: none) */
  topLogprobs: number;
  controller?: SequenceController;
}

/** A forced segment: completion tokens [start, end) that the server appended, not the model. */
export interface ForcedSegment {
  start: number;
  end: number;
  text: string;
}

export class Sequence {
  /** completion ids: sampled and forced, including a final stop token id */
  readonly ids: number[] = [];
  /** log π of each id (temperature 1); NaN for a forced token until its position is reached */
  readonly logprobs: number[] = [];
  readonly top: TokenLogprob[][] = [];
  readonly forced: ForcedSegment[] = [];
  /** prompt + completion tokens written into the KV cache */
  fed: number;
  /** KV pool row while running, −1 otherwise */
  row = -1;
  finish: FinishReason | null = null;
  stopReason: string | number | null = null;
  aborted = false;
  /** set when `fed` moved back: the scheduler hides the stale cache slots */
  rewound = false;
  /** characters of `text` already streamed */
  emitted = 0;
  /** tokens whose log-probabilities were already streamed */
  emittedTokens = 0;
  private readonly rng: Rng;
  /** stop strings are searched from this character of the text (forced text never stops a sequence) */
  private searchFrom = 0;
  /** decoded `ids` (without a final stop id), null when stale */
  private decoded: string | null = null;
  /** the text cut at the stop string that ended the sequence */
  private cut: string | null = null;
  private readonly incremental: IncrementalText;
  /** the longest stop string's length: a new stop string starts at most this far before the new text */
  private readonly longestStop: number;

  /** The completion text: cut at a stop string, without a final eos (decoded when asked for). */
  get text(): string {
    if (this.cut !== null) return this.cut;
    if (this.decoded === null) {
      const n = this.ids.length;
      const ids = n > 0 && this.spec.stopTokenIds.has(this.ids[n - 1]) ? this.ids.slice(0, -1) : this.ids;
      // while running, decoded incrementally (O(1) amortized per token); once finished, decoded whole, once
      this.decoded = this.finish === null ? this.incremental.sync(ids) : this.tokenizer.decode(ids);
    }
    return this.decoded;
  }

  /** Where the text after the last forced segment starts (stop strings are searched from there). */
  get stopSearchFrom(): number {
    return this.searchFrom;
  }

  constructor(readonly spec: SequenceSpec, private readonly tokenizer: Tokenizer) {
    this.rng = new Rng(`${spec.seed}:${spec.promptIndex}:${spec.sampleIndex}`);
    this.fed = 0;
    this.incremental = new IncrementalText(tokenizer);
    this.longestStop = Math.max(0, ...spec.stop.map((x) => x.length));
  }

  get promptLength(): number {
    return this.spec.promptIds.length;
  }

  get done(): boolean {
    return this.finish !== null || this.aborted;
  }

  /** The token to feed at position `fed`. */
  nextInput(): number {
    const p = this.promptLength;
    return this.fed < p ? this.spec.promptIds[this.fed] : this.ids[this.fed - p];
  }

  /** Takes the next-token logits at position `fed` (the prompt and completion before it are in the cache). */
  step(logits: Float32Array): void {
    const k = this.fed - this.promptLength;
    if (k < this.ids.length) {
      this.logprobs[k] = logProbAt(logits, this.ids[k]);
      if (this.spec.topLogprobs > 0) this.top[k] = topLogprobs(logits, this.spec.topLogprobs);
      if (k === this.ids.length - 1 && this.ids.length >= this.spec.maxTokens) this.finish = "length";
      return;
    }
    const tok = sampleToken(logits, this.spec.sampling, this.rng);
    this.ids.push(tok);
    this.decoded = null;
    this.logprobs.push(logProbAt(logits, tok));
    if (this.spec.topLogprobs > 0) this.top.push(topLogprobs(logits, this.spec.topLogprobs));
    let event: EndEvent = null;
    let cut: string | null = null;
    if (this.spec.stopTokenIds.has(tok)) {
      event = { kind: "eos", id: tok };
    } else {
      if (this.spec.stop.length > 0) {
        const before = this.incremental.text.length;
        const text = this.text;
        const from = Math.max(this.searchFrom, before - this.longestStop + 1);
        const hit = text.length > before ? findStop(text, this.spec.stop, this.spec.includeStopStrInOutput, from) : null;
        if (hit) {
          event = { kind: "stop", stop: hit.stop };
          const keep = !this.spec.includeStopStrInOutput && this.spec.keptStops?.has(hit.stop) ? hit.stop : "";
          cut = hit.text + keep;
        }
      }
    }
    const action = this.spec.controller?.afterToken(this, event) ?? null;
    if (action) return this.force(action);
    if (event) {
      this.finish = "stop";
      this.stopReason = event.kind === "eos" ? event.id : event.stop;
      if (cut !== null) this.cut = cut;
    } else if (this.ids.length >= this.spec.maxTokens) {
      this.finish = "length";
    }
    if (this.finish !== null) this.decoded = null;
  }

  /** Cuts the completion back to `keep` tokens and appends `text` as forced tokens (as many as max tokens allow). */
  private force(action: ForceAction): void {
    const keep = Math.max(0, Math.min(action.keep, this.ids.length));
    this.ids.length = keep;
    this.logprobs.length = keep;
    this.top.length = Math.min(this.top.length, keep);
    while (this.forced.length > 0 && this.forced[this.forced.length - 1].end > keep) this.forced.pop();
    const ids = this.tokenizer.encode(action.text).slice(0, this.spec.maxTokens - keep);
    this.decoded = null;
    this.incremental.reset();
    if (ids.length === 0) {
      this.finish = "length";
      return;
    }
    for (const id of ids) { this.ids.push(id); this.logprobs.push(Number.NaN); }
    this.forced.push({ start: keep, end: this.ids.length, text: this.tokenizer.decode(ids) });
    // re-feed the last kept token: its logits give the first forced token's log-probability
    const fed = this.promptLength + keep - 1;
    if (fed < this.fed) this.rewound = true;
    this.fed = Math.min(this.fed, fed);
    this.decoded = null;
    this.searchFrom = this.text.length;
    if (this.emitted > this.text.length) this.emitted = this.text.length;
  }

  /** Text not streamed yet that is safe to send: held back while it may still turn out to be cut. */
  takeDelta(): string {
    let end = this.text.length;
    if (!this.done) {
      end -= heldSuffix(this.text, [...this.spec.stop, ...(this.spec.controller?.holdBack() ?? [])]);
      while (end > this.emitted && this.text.charCodeAt(end - 1) === 0xfffd) end--; // an incomplete UTF-8 sequence
    }
    if (end <= this.emitted) return "";
    const delta = this.text.slice(this.emitted, end);
    this.emitted = end;
    return delta;
  }

  /** Number of completion tokens that make up `text` (without a final eos or tokens after a stop string). */
  textTokenCount(): number {
    let n = this.ids.length;
    if (this.finish === "stop" && typeof this.stopReason === "number") n--;
    if (this.finish === "stop" && typeof this.stopReason === "string") {
      let len = 0;
      for (let i = 0; i < n; i++) {
        if (len >= this.text.length) return i;
        len += this.tokenizer.decode([this.ids[i]]).length;
      }
    }
    return n;
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `strings`. */
export function heldSuffix(text: string, strings: readonly string[]): number {
  let held = 0;
  for (const s of strings) {
    for (let n = Math.min(s.length - 1, text.length); n > held; n--) {
      if (text.endsWith(s.slice(0, n))) { held = n; break; }
    }
  }
  return held;
}
