// One batch of an evaluation: every row of a session sampled, plainly (one round up to max tokens, the template's
// stop strings kept) or with budget forcing; each completion with its thinking / answer token counts and, under
// budget forcing, its forced segments and where they sit in the completion.
import type { ContinuationSession, FinishReason } from "../backends/types.js";
import { budgetForce, type BudgetForcingOptions, type SegmentKind } from "../inference/budget-forcing.js";
import { delimitersForTemplate, type ThinkingDelimiters } from "../inference/presets.js";
import type { Template } from "../templates/types.js";

export interface ForcedSegment {
  kind: SegmentKind;
  text: string;
  /** character offset in the completion */
  offset: number;
}

export interface SampledCompletion {
  completion: string;
  /** completion tokens (null when the backend cannot count them) */
  tokens: number | null;
  thinkingTokens: number | null;
  answerTokens: number | null;
  finishReason: FinishReason;
  extensions: number;
  forcedEnd: boolean;
  cutTokens: number;
  forcedSegments: ForcedSegment[];
  /** mean log-probability of the generated tokens, when known */
  meanLogprob: number | null;
}

export interface SampleBatchOptions {
  /** plain sampling: tokens per completion at most */
  maxTokens: number;
  /** stops and the thinking/answer split of plain sampling */
  template?: Template;
  budgetForcing?: BudgetForcingOptions;
  countTokens: (text: string) => number | null;
}

const mean = (xs: readonly number[] | null): number | null => (xs && xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * Thinking and answer of a plain completion by thinking delimiters (those budget forcing uses for the template, so
 * both count thinking alike); an opening delimiter at the start is skipped (leading whitespace aside), an unclosed
 * thinking is all thinking, and a completion with neither delimiter has none (the thinking of a prompt that opened it
 * ends at the closing delimiter).
 */
export function splitThinking(completion: string, d?: Pick<ThinkingDelimiters, "thinkStart" | "thinkEnd">): { thinking: string | null; answer: string } {
  if (!d?.thinkEnd) return { thinking: null, answer: completion };
  const lead = completion.length - completion.trimStart().length;
  const open = d.thinkStart.trimStart();
  const opened = open !== "" && completion.startsWith(open, lead);
  const start = opened ? lead + open.length : 0;
  const end = completion.indexOf(d.thinkEnd, start);
  // as the templates' parser: neither delimiter → no thinking; opened but not closed → all thinking
  if (end < 0) return opened ? { thinking: completion.slice(start), answer: "" } : { thinking: null, answer: completion };
  return { thinking: completion.slice(start, end), answer: completion.slice(end + d.thinkEnd.length) };
}

/** The thinking delimiters of a template for splitting plain completions; undefined for a template that does not think. */
function thinkingOf(template: Template | undefined): ThinkingDelimiters | undefined {
  if (!template?.thinkStart || !template.thinkEnd) return undefined;
  return delimitersForTemplate(template);
}

export async function sampleBatch(session: ContinuationSession, o: SampleBatchOptions): Promise<SampledCompletion[]> {
  if (o.budgetForcing) {
    const traces = await budgetForce(session, o.budgetForcing, o.countTokens);
    return traces.map((t) => {
      let offset = 0;
      const forcedSegments: ForcedSegment[] = [];
      for (const s of t.segments) {
        if (s.forced) forcedSegments.push({ kind: s.kind, text: s.text, offset });
        offset += s.text.length;
      }
      const tokens = t.thinkingTokens !== null && t.answerTokens !== null ? session.tokenCount(t.row) : null;
      return {
        completion: t.completion, tokens, thinkingTokens: t.thinkingTokens, answerTokens: t.answerTokens, finishReason: t.finishReason,
        extensions: t.extensions, forcedEnd: t.forcedEnd, cutTokens: t.cutTokens, forcedSegments, meanLogprob: mean(t.logprobs),
      };
    });
  }
  const rows = Array.from({ length: session.rows }, (_, row) => ({ row, maxTokens: o.maxTokens, stop: o.template?.stop ?? [], includeStopStrInOutput: true }));
  const results = await session.continue(rows);
  const thinking = thinkingOf(o.template);
  return results.map((r) => {
    const split = splitThinking(r.text, thinking);
    const answerTokens = o.countTokens(split.answer);
    return {
      completion: r.text, tokens: r.tokens, thinkingTokens: split.thinking === null ? (answerTokens === null ? null : 0) : o.countTokens(split.thinking),
      answerTokens: split.thinking === null ? r.tokens : answerTokens, finishReason: r.finishReason, extensions: 0, forcedEnd: false, cutTokens: 0,
      forcedSegments: [], meanLogprob: mean(r.logprobs),
    };
  });
}
