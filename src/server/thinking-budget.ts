// Thinking budgets for `ratio serve` (the request extras min_thinking_tokens, max_thinking_tokens,
// thinking_extension, thinking_extensions): s1's budget forcing (Muennighoff et al. 2025) as a controller of one
// sequence, token by token, so it streams and never re-runs the prompt (the KV pool row is cut back in place).
// It follows src/inference's budgetForce with the "decrement" accounting (thinking never exceeds the budget) and the
// same delimiters (src/inference/presets.ts):
// - Thinking opens after the thinking-start delimiter (or at once when the prompt ends with it) and closes at a
//   thinking stop (the end delimiter; any "<|im_start|>" for s1) or eos. Thinking tokens count every completion
//   token in between, extensions included.
// - minimum: a close with fewer than `min` thinking tokens (or with extensions left to use) is cut off and the
//   extension ("Wait") appended, up to `extensions` times (default 100 with a minimum, else 0), and only while the
//   extension leaves room under the maximum.
// - maximum: at `max` thinking tokens the forced end is appended ("\n" unless the text ends with one, the end
//   delimiter, the preset's separator and answer prefix, "Final Answer:"), and the model answers from there.
// - a natural close keeps the model's end delimiter; another thinking stop or eos is replaced by the end delimiter.
// A stop string of the request ends the sequence as usual, thinking or not.
import { DEFAULT_EXTENSIONS_FOR_MIN } from "../inference/budget-forcing.js";
import { forcedEnd, type ThinkingDelimiters } from "../inference/presets.js";
import type { Tokenizer } from "../model/tokenizer.js";
import { findStop } from "../sampling/stop.js";
import type { EndEvent, ForceAction, Sequence, SequenceController } from "./engine/sequence.js";

export const DEFAULT_THINKING_EXTENSION = "Wait";

export interface ThinkingBudget {
  delimiters: ThinkingDelimiters;
  /** thinking tokens at least (extend while fewer) */
  min?: number;
  /** thinking tokens at most (then force the end of thinking) */
  max?: number;
  /** extensions at most (default: 100 with a minimum, else 0) */
  extensions?: number;
  /** appended when thinking closes too early */
  extension: string;
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
  private readonly maxExtensions: number;
  private readonly extensionTokens: number;
  private readonly stops: readonly string[];
  /** extensions appended so far */
  extensions = 0;
  /** whether the end of thinking was forced at the maximum */
  capped = false;

  constructor(private readonly budget: ThinkingBudget, private readonly tokenizer: Tokenizer) {
    this.phase = budget.open ? "thinking" : "before";
    this.maxExtensions = budget.extensions ?? (budget.min !== undefined ? DEFAULT_EXTENSIONS_FOR_MIN : 0);
    this.extensionTokens = tokenizer.encode(budget.extension).length;
    this.stops = budget.delimiters.thinkingStops ?? [budget.delimiters.thinkEnd];
  }

  holdBack(): readonly string[] {
    return this.phase === "thinking" ? this.stops : [];
  }

  /** Thinking tokens so far (0 before thinking opens). */
  thinkingTokens(seq: Sequence): number {
    return this.phase === "before" ? 0 : (this.endToken ?? seq.ids.length) - this.startToken;
  }

  afterToken(seq: Sequence, event: EndEvent): ForceAction | null {
    if (event?.kind === "stop") return null;
    const d = this.budget.delimiters;
    if (this.phase === "before") {
      const mark = d.thinkStart.trim();
      const at = seq.text.indexOf(mark);
      if (at < 0) return null;
      this.phase = "thinking";
      this.startChar = at + mark.length;
      this.startToken = seq.ids.length - (event ? 1 : 0);
      if (event) return null;
    }
    if (this.phase !== "thinking") return null;
    const { min, max } = this.budget;
    const hit = findStop(seq.text, this.stops, false, Math.max(this.startChar, seq.stopSearchFrom));
    if (hit || event?.kind === "eos") {
      const at = hit?.text.length ?? 0;
      const keep = hit ? this.tokensBefore(seq.ids, at) : seq.ids.length - 1;
      const kept = this.tokenizer.decode(seq.ids.slice(0, keep)).length;
      const rest = hit && kept < at ? seq.text.slice(kept, at) : "";
      const thinking = keep - this.startToken;
      const wantMore = this.extensions < this.maxExtensions && (min === undefined || thinking < min);
      if (wantMore && (max === undefined || thinking + this.extensionTokens < max)) {
        this.extensions++;
        return { keep, text: rest + this.budget.extension };
      }
      this.phase = "answer";
      this.endToken = keep;
      return hit?.stop === d.thinkEnd ? null : { keep, text: rest + d.thinkEnd };
    }
    if (max !== undefined && seq.ids.length - this.startToken >= max) {
      this.phase = "answer";
      this.capped = true;
      this.endToken = seq.ids.length;
      return { keep: seq.ids.length, text: forcedEnd(d, seq.text) };
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
