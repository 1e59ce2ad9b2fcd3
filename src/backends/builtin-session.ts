// Text rounds over a GenerationSession (sampling/session.ts): forced text is encoded and fed through the cache, a
// stop string that ends a round is removed from the row's ids (so the next round continues from the text before it,
// exactly as a server continuing prompt + text would), and a round never runs past the model's context: its
// max tokens shrink to the room left, and a row with no room left ends the round at once with finish "length".
// Log-probabilities come with every round (the engine computes them anyway).
import type { Tokenizer } from "../model/tokenizer.js";
import type { GenerationSession, Segment, SegmentRequest } from "../sampling/session.js";
import type { ContinuationSession, ContinueRequest, ContinueResult, SessionOptions } from "./types.js";

export class BuiltinSession implements ContinuationSession {
  readonly tokenCounting = "tokenizer" as const;
  readonly reusesCache = true;
  private readonly texts: string[];

  constructor(
    private readonly session: GenerationSession,
    private readonly tokenizer: Tokenizer,
    private readonly opts: SessionOptions,
  ) {
    this.texts = Array.from({ length: session.rows }, () => "");
  }

  get rows(): number {
    return this.session.rows;
  }

  text(row: number): string {
    this.check(row);
    return this.texts[row];
  }

  tokenCount(row: number): number {
    return this.session.tokens(row).length;
  }

  async continue(requests: readonly ContinueRequest[]): Promise<ContinueResult[]> {
    const results = new Map<number, ContinueResult>();
    const work: { req: ContinueRequest; seg: SegmentRequest }[] = [];
    for (const req of requests) {
      const p = this.prepare(req);
      if ("result" in p) results.set(req.row, p.result);
      else work.push({ req, seg: p.seg });
    }
    if (work.length > 0) {
      const segments = await this.session.generate(work.map((w) => w.seg), { temperature: this.opts.temperature, topP: this.opts.topP });
      segments.forEach((seg, i) => results.set(work[i].req.row, this.finish(work[i].req, seg)));
    }
    return requests.map((r) => results.get(r.row)!);
  }

  /** Rows in one decoding loop; a row whose round ends starts its next one at once (GenerationSession's `next`). */
  async run(requests: readonly ContinueRequest[], next: (result: ContinueResult) => ContinueRequest | null): Promise<void> {
    const current = new Map<number, ContinueRequest>();
    const launch = (req: ContinueRequest | null): SegmentRequest | null => {
      while (req !== null) {
        const p = this.prepare(req);
        if ("seg" in p) {
          current.set(req.row, req);
          return p.seg;
        }
        req = next(p.result);
      }
      return null;
    };
    const first = requests.map((r) => launch(r)).filter((r): r is SegmentRequest => r !== null);
    if (first.length === 0) return;
    await this.session.generate(first, {
      temperature: this.opts.temperature, topP: this.opts.topP,
      next: (seg) => {
        const req = next(this.finish(current.get(seg.row)!, seg));
        if (req !== null && req.row !== seg.row) throw new Error(`next: a request for row ${req.row} after a round of row ${seg.row}`);
        return launch(req);
      },
    });
  }

  truncateTokens(row: number, tokens: number): void {
    this.session.truncate(row, tokens);
    this.texts[row] = this.tokenizer.decode(this.session.tokens(row));
  }

  /** A request as a segment request, or its result at once when the row has no room left to sample. */
  private prepare(req: ContinueRequest): { seg: SegmentRequest } | { result: ContinueResult } {
    this.check(req.row);
    const append = req.append ? this.tokenizer.encode(req.append) : [];
    if (req.append) this.texts[req.row] += req.append;
    const room = this.session.room(req.row) - append.length;
    if (room < 1) {
      // no room for a single sampled token: keep what fits of the forced text, sample nothing
      this.session.append(req.row, append.slice(0, Math.max(0, this.session.room(req.row))));
      this.texts[req.row] = this.tokenizer.decode(this.session.tokens(req.row));
      return { result: { row: req.row, text: "", tokens: 0, finishReason: "length", stopReason: null, logprobs: [] } };
    }
    return { seg: { row: req.row, append, maxTokens: Math.min(req.maxTokens, room), stop: req.stop, includeStopStrInOutput: req.includeStopStrInOutput } };
  }

  /** A finished segment as a round's result: a stop id or (unless kept) a stop string removed from the row. */
  private finish(req: ContinueRequest, seg: Segment): ContinueResult {
    let kept = seg.tokenIds.length;
    if (seg.finishReason === "stop" && typeof seg.stopReason === "number") {
      kept -= 1; // a stop id (eos) ends the row; it is not part of its text
      this.rewind(req.row, seg.tokenIds.length, kept, "");
    } else if (seg.finishReason === "stop" && !req.includeStopStrInOutput) {
      kept = this.stripStop(req.row, seg.tokenIds, seg.text);
    }
    this.texts[req.row] += seg.text;
    return { row: req.row, text: seg.text, tokens: kept, finishReason: seg.finishReason, stopReason: seg.stopReason, logprobs: seg.logprobs };
  }

  async close(): Promise<void> {}

  /**
   * Removes the stop string from a row whose round ended on one: drops the fewest trailing ids so the rest decodes
   * to a prefix of `text` (the text before the stop string), then re-encodes what those ids held before the stop.
   * Returns the round's token count as the row keeps it.
   */
  private stripStop(row: number, ids: readonly number[], text: string): number {
    let k = ids.length;
    while (k > 0 && !text.startsWith(this.tokenizer.decode(ids.slice(0, k)))) k--;
    const tail = text.slice(this.tokenizer.decode(ids.slice(0, k)).length);
    return this.rewind(row, ids.length, k, tail);
  }

  /** Keeps the first `keep` of the round's `sampled` ids, then appends the ids of `tail`; the round's kept count. */
  private rewind(row: number, sampled: number, keep: number, tail: string): number {
    const before = this.session.tokens(row).length - sampled;
    this.session.truncate(row, before + keep);
    const tailIds = tail ? this.tokenizer.encode(tail) : [];
    this.session.append(row, tailIds);
    return keep + tailIds.length;
  }

  private check(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.session.rows) throw new Error(`row ${row} is outside the session (0…${this.session.rows - 1})`);
  }
}
