// Log-probabilities in OpenAI's two shapes: the legacy completions object (tokens, token_logprobs, top_logprobs,
// text_offset) and chat's list of {token, logprob, bytes, top_logprobs}. Token strings are each id decoded on its
// own; text_offset counts characters of the completion text (from 0). Tokens [from, to) of a sequence, so a stream
// can send them chunk by chunk.
import type { Tokenizer } from "../model/tokenizer.js";
import type { Sequence } from "./engine/sequence.js";

export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: number[];
  top_logprobs: Record<string, number>[] | null;
  text_offset: number[];
}

export interface ChatTokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

const encoder = new TextEncoder();
const bytesOf = (s: string) => Array.from(encoder.encode(s));

/** Tokens of `seq` whose log-probabilities are known and that belong to its text, from `from` on. */
export function reportableTokens(seq: Sequence, from: number): number {
  let to = seq.done ? seq.textTokenCount() : seq.ids.length;
  for (let i = from; i < to; i++) if (Number.isNaN(seq.logprobs[i])) { to = i; break; }
  return Math.max(from, to);
}

/**
 * Streaming: the log-probabilities of the tokens not streamed yet that are reportable now, formatted by `format`
 * (null when there are none); advances the sequence's `emittedTokens`.
 */
export function takeLogprobs<T>(seq: Sequence, format: (from: number, to: number) => T): T | null {
  const from = seq.emittedTokens;
  const to = reportableTokens(seq, from);
  seq.emittedTokens = to;
  return to > from ? format(from, to) : null;
}

/**
 * Per sequence, the text_offset after its first `upTo` tokens, so a stream's chunks continue where the last ended
 * (linear in the completion, not quadratic). A forced segment may cut tokens back: then it is recomputed.
 */
const offsetCache = new WeakMap<Sequence, { upTo: number; offset: number; forced: number }>();

/** text_offset of token `from`: the summed lengths of the tokens before it, each decoded on its own. */
function offsetAt(seq: Sequence, tok: Tokenizer, from: number): number {
  const cached = offsetCache.get(seq);
  const known = cached && cached.upTo <= from && cached.forced === seq.forced.length ? cached : undefined;
  let i = known ? known.upTo : 0;
  let offset = known ? known.offset : 0;
  for (; i < from; i++) offset += tok.decode([seq.ids[i]]).length;
  return offset;
}

export function completionLogprobs(seq: Sequence, tok: Tokenizer, from: number, to: number): CompletionLogprobs {
  let offset = offsetAt(seq, tok, from);
  const out: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: seq.spec.topLogprobs > 0 ? [] : null, text_offset: [] };
  for (let i = from; i < to; i++) {
    const text = tok.decode([seq.ids[i]]);
    out.tokens.push(text);
    out.token_logprobs.push(seq.logprobs[i]);
    out.text_offset.push(offset);
    offset += text.length;
    if (out.top_logprobs) {
      const top: Record<string, number> = {};
      for (const t of seq.top[i] ?? []) {
        const key = tok.decode([t.id]);
        if (!(key in top)) top[key] = t.logprob;
      }
      out.top_logprobs.push(top);
    }
  }
  offsetCache.set(seq, { upTo: to, offset, forced: seq.forced.length });
  return out;
}

export function chatLogprobs(seq: Sequence, tok: Tokenizer, from: number, to: number): ChatTokenLogprob[] {
  const out: ChatTokenLogprob[] = [];
  for (let i = from; i < to; i++) {
    const token = tok.decode([seq.ids[i]]);
    out.push({
      token, logprob: seq.logprobs[i], bytes: bytesOf(token),
      top_logprobs: (seq.top[i] ?? []).map((t) => {
        const s = tok.decode([t.id]);
        return { token: s, logprob: t.logprob, bytes: bytesOf(s) };
      }),
    });
  }
  return out;
}
