// Incremental detokenization: the text of a growing id sequence without decoding the whole sequence per token,
// by the prefix/read-offset scheme of HF text-generation-inference. Each step decodes only a short window
// ids[prefix:] and keeps the part past ids[prefix:read]'s text. Decoding the window together with the previous
// chunk keeps decoders that treat the first token specially (a SentencePiece leading space) correct. A window whose
// text ends in U+FFFD (an incomplete UTF-8 sequence of byte tokens) is held back until later ids complete it.
// Cost per token: O(window) instead of O(length), so a completion costs O(length) instead of O(length²).

/** What incremental decoding needs of a tokenizer. */
export interface IdDecoder {
  decode(ids: readonly number[]): string;
}

const REPLACEMENT = "\uFFFD";

export class IncrementalText {
  /** ids[prefix:read] decoded to the last chunk appended to `value` */
  private prefix = 0;
  private read = 0;
  private value = "";

  constructor(private readonly tok: IdDecoder) {}

  /** The text so far (complete characters only). */
  get text(): string {
    return this.value;
  }

  /** Forgets the ids seen so far (after a rewind): the next sync decodes its ids from the start. */
  reset(): void {
    this.prefix = 0;
    this.read = 0;
    this.value = "";
  }

  /**
   * The text of `ids`, which extend the ids of the previous call (call reset() when they do not). Returns the text,
   * which may stop short of the last ids while they spell an incomplete character.
   */
  sync(ids: readonly number[]): string {
    if (ids.length < this.read) throw new Error(`IncrementalText.sync: ${ids.length} ids, fewer than the ${this.read} already decoded (call reset after a rewind)`);
    if (ids.length === this.read) return this.value;
    const before = this.tok.decode(ids.slice(this.prefix, this.read));
    const now = this.tok.decode(ids.slice(this.prefix));
    if (now.length > before.length && !now.endsWith(REPLACEMENT) && now.startsWith(before)) {
      this.value += now.slice(before.length);
      this.prefix = this.read;
      this.read = ids.length;
    } else if (!now.startsWith(before)) {
      // the decoder rewrote earlier text (a merge across the window's boundary): decode everything once
      this.value = this.tok.decode(ids);
      this.read = ids.length;
      this.prefix = Math.max(0, this.read - 1);
    }
    return this.value;
  }
}
