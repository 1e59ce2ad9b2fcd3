// A prompt template: how a question becomes a prompt, where thinking starts and ends, how the answer is delimited.

export interface RenderOptions {
  /** Token budget N for the L1 templates ("Think for N tokens."). */
  budget?: number;
  /** End the prompt with the thinking-start delimiter, so the completion begins inside the thinking block. */
  openThink?: boolean;
  /** System message for the chat templates (s1, qwen3). */
  system?: string;
}

export interface ParseOptions {
  /** The prompt already opened the thinking block (rendered with openThink): the completion starts inside it. */
  openThink?: boolean;
}

export interface ParsedCompletion {
  /** Text of the thinking block, or null when the completion has none. */
  thinking: string | null;
  /** The delimited answer, or null when it is missing (or thinking never closed). */
  answer: string | null;
  /** True when the thinking block was closed by thinkEnd. */
  thinkingClosed: boolean;
}

export interface Template {
  readonly name: string;
  readonly description: string;
  render(question: string, opts?: RenderOptions): string;
  readonly thinkStart?: string;
  readonly thinkEnd?: string;
  readonly answerStart?: string;
  readonly answerEnd?: string;
  /** Strings at which generation should stop; they close the output format, so generate with generationStops(template). */
  readonly stop?: readonly string[];
  parse(completion: string, opts?: ParseOptions): ParsedCompletion;
}
