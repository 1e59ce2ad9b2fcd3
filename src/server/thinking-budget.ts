// Thinking budgets for `ratio serve` (the request extras min_thinking_tokens, max_thinking_tokens,
// thinking_extension): s1's budget forcing (Muennighoff et al. 2025) as a controller of one sequence, over the
// server's KV cache — a cut-back or an appended string never re-runs the prompt.
// - Thinking opens after the template's thinking-start delimiter (or at once when the prompt ends with it) and
//   closes at its thinking-end delimiter. Thinking tokens are the completion tokens in between, forced ones included.
// - minimum: when thinking closes (the end delimiter, or eos) before `min` thinking tokens, the delimiter (or eos) is
//   cut off and the extension ("Wait" by default) appended, as often as needed.
// - maximum: at `max` thinking tokens the server appends "\n" (unless the text ends with one), the end delimiter,
//   "\n" and the answer prefix ("Final Answer:"), and the model writes the answer from there.
// A stop string of the request ends the sequence as usual, thinking or not.
import type { EndEvent, ForceAction, Sequence, SequenceController } from "./engine/sequence.js";
import type { Tokenizer } from "../model/tokenizer.js";

export const DEFAULT_THINKING_EXTENSION = "Wait";
export const DEFAULT_ANSWER_PREFIX = "Final Answer:";

export interface ThinkingBudget {
  /** thinking tokens at least (extend while fewer) */
  min?: number;
  /** thinking tokens at most (then force the end of thinking) */
  max?: number;
  /** appended when thinking closes too early */
  extension: string;
  thinkStart: string;
  thinkEnd: string;
  /** written after the forced end of thinking */
  answerPrefix: string;
  /** the prompt already opened the thinking block */
  open: boolean;
}

type Phase = "before" | "thinking" | "answer";

export class ThinkingBudgetController implements SequenceController {
  private phase: Phase;
  /** completion token index where thinking starts */
  private startToken = 0;
  /** character of the completion text where thinking starts */
  private startChar = 0;
  /** completion token index where thinking ended (null while open) */
  private endToken: number | null = null;
  /** extensions appended so far */
  extensions = 0;
  /** whether the end of thinking was forced at the maximum */
  capped = false;

  constructor(private readonly budget: ThinkingBudget, private readonly tokenizer: Tokenizer) {
    this.phase = budget.open ? "thinking" : "before";
  }

  holdBack(): readonly string[] {
    if (this.phase === "before") return [];
    return this.phase === "thinking" && this.budget.min !== undefined ? [this.budget.thinkEnd] : [];
  }

  /** Thinking tokens so far (0 before thinking opens). */
  thinkingTokens(seq: Sequence): number {
    return this.phase === "before" ? 0 : (this.endToken ?? seq.ids.length) - this.startToken;
  }

  afterToken(seq: Sequence, event: EndEvent): ForceAction | null {
    if (event?.kind === "stop") return null;
    const { thinkStart, thinkEnd, min, max } = this.budget;
    if (this.phase === "before") {
      const at = seq.text.indexOf(thinkStart);
      if (at < 0) return null;
      this.phase = "thinking";
      this.startChar = at + thinkStart.length;
      this.startToken = seq.ids.length - (event ? 1 : 0);
      if (event) return null;
    }
    if (this.phase !== "thinking") return null;
    const end = seq.text.indexOf(thinkEnd, this.startChar);
    if (end >= 0 || event?.kind === "eos") {
      const keep = end >= 0 ? this.tokensBefore(seq.ids, end) : seq.ids.length - 1;
      if (min !== undefined && keep - this.startToken < min) {
        const kept = this.tokenizer.decode(seq.ids.slice(0, keep)).length;
        const rest = end >= 0 && kept < end ? seq.text.slice(kept, end) : "";
        this.extensions++;
        return { keep, text: rest + this.budget.extension };
      }
      this.phase = "answer";
      this.endToken = keep;
      return null;
    }
    if (max !== undefined && seq.ids.length - this.startToken >= max) {
      this.phase = "answer";
      this.capped = true;
      this.endToken = seq.ids.length;
      const nl = seq.text.endsWith("\n") ? "" : "\n";
      return { keep: seq.ids.length, text: `${nl}${thinkEnd}\n${this.budget.answerPrefix}` };
    }
    return null;
  }

  /** The most leading tokens whose text ends at or before character `at`. */
  private tokensBefore(ids: readonly number[], at: number): number {
    let j = ids.length;
    while (j > 0 && this.tokenizer.decode(ids.slice(0, j)).length > at) j--;
    return j;
  }
}
