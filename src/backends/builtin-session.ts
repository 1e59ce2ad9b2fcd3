// Text rounds over a GenerationSession (sampling/session.ts): forced text is encoded and fed through the cache, a
// stop string that ends a round is removed from the row's ids (so the next round continues from the text before it,
// exactly as a server continuing prompt + text would), and a round never runs past the model's context: its
// max tokens shrink to the room left, and a row with no room left ends the round at once with finish "length".
import type { Tokenizer } from "../model/tokenizer.js";
import type { GenerationSession } from "../sampling/session.js";
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
    const work: { req: ContinueRequest; append: number[]; maxTokens: number }[] = [];
    for (const req of requests) {
      this.check(req.row);
      const append = req.append ? this.tokenizer.encode(req.append) : [];
      if (req.append) this.texts[req.row] += req.append;
      const room = this.session.room(req.row) - append.length;
      if (room < 1) {
        // no room for a single sampled token: keep what fits of the forced text, sample nothing
        this.session.append(req.row, append.slice(0, Math.max(0, this.session.room(req.row))));
        this.texts[req.row] = this.tokenizer.decode(this.session.tokens(req.row));
        results.set(req.row, { row: req.row, text: "", tokens: 0, finishReason: "length", stopReason: null, logprobs: this.opts.logprobs ? [] : null });
        continue;
      }
      work.push({ req, append, maxTokens: Math.min(req.maxTokens, room) });
    }
    if (work.length > 0) {
      const segments = await this.session.generate(
        work.map((w) => ({ row: w.req.row, append: w.append, maxTokens: w.maxTokens, stop: w.req.stop, includeStopStrInOutput: w.req.includeStopStrInOutput })),
        { temperature: this.opts.temperature, topP: this.opts.topP },
      );
      segments.forEach((seg, i) => {
        const req = work[i].req;
        let kept = seg.tokenIds.length;
        if (seg.finishReason === "stop" && typeof seg.stopReason === "number") {
          kept -= 1; // a stop id (eos) ends the row; it is not part of its text
          this.rewind(req.row, seg.tokenIds.length, kept, "");
        } else if (seg.finishReason === "stop" && !req.includeStopStrInOutput) {
          kept = this.stripStop(req.row, seg.tokenIds, seg.text);
        }
        this.texts[req.row] += seg.text;
        results.set(req.row, {
          row: req.row, text: seg.text, tokens: kept, finishReason: seg.finishReason, stopReason: seg.stopReason,
          logprobs: this.opts.logprobs ? seg.logprobs : null,
        });
      });
    }
    return requests.map((r) => results.get(r.row)!);
  }

  async truncateTokens(row: number, tokens: number): Promise<void> {
    this.session.truncate(row, tokens);
    this.texts[row] = this.tokenizer.decode(this.session.tokens(row));
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
