// One interface for "a policy we can sample": the Ratio engine on a checkpoint (builtin) or any OpenAI-compatible
// server (openai). Requests follow the OpenAI completions API: a raw prompt (or several), n samples each,
// temperature, top_p, max_tokens, stop strings, seed, log-probabilities. Sessions continue raw prompts round after
// round (budget forcing); the builtin backend reuses its key/value cache across rounds, the others resend the text.

/**
 * How a backend counts tokens: "tokenizer" = exactly, with the model's own tokenizer (the engine's ids, or a local
 * tokenizer.json); "server-usage" = the server's `usage` numbers (and, where a count of forced text is needed, the
 * difference of the server's prompt-token counts between rounds). Reports say which one they used.
 */
export type TokenCounting = "tokenizer" | "server-usage";

export type FinishReason = "stop" | "length";

export interface SamplingRequest {
  /** samples per prompt (default 1) */
  n?: number;
  /** 0 = greedy (default 1) */
  temperature?: number;
  /** nucleus mass in (0, 1] (default 1) */
  topP?: number;
  /** new tokens at most per sample */
  maxTokens: number;
  /** stop strings; the text ends before the one that stopped it (OpenAI semantics) unless includeStopStrInOutput */
  stop?: readonly string[];
  /** keep the stop string at the end of the text (vLLM's include_stop_str_in_output) */
  includeStopStrInOutput?: boolean;
  seed?: number;
  /** ask for per-token log-probabilities (the sampled tokens' own) */
  logprobs?: boolean;
}

export interface CompletionRequest extends SamplingRequest {
  /** one raw prompt, or several (choices come back prompt by prompt, sample by sample) */
  prompt: string | readonly string[];
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest extends SamplingRequest {
  messages: readonly ChatMessage[];
}

export interface CompletionChoice {
  promptIndex: number;
  sampleIndex: number;
  text: string;
  /** tokens generated for this sample (see TokenCounting); null when the backend cannot tell */
  tokens: number | null;
  finishReason: FinishReason;
  /** the stop string or token id that ended the sample, where the backend says; null otherwise */
  stopReason: string | number | null;
  /** log-probability of each generated token, when asked for and given; null otherwise */
  logprobs: number[] | null;
}

export interface CompletionResult {
  choices: CompletionChoice[];
  /** prompt tokens per prompt (null when unknown) */
  promptTokens: (number | null)[];
  tokenCounting: TokenCounting;
}

export interface SessionOptions {
  /** rows per prompt (samples) */
  n?: number;
  seed?: number;
  /**
   * random stream of each prompt (default: its index): sample j of a prompt with stream s draws the same whatever
   * else is in the session, so an evaluation resumed with fewer problems samples as the uninterrupted one
   */
  streams?: readonly number[];
  temperature?: number;
  topP?: number;
  logprobs?: boolean;
}

/** One row's round: `append` is forced text added first, then up to maxTokens tokens are sampled. */
export interface ContinueRequest {
  row: number;
  append?: string;
  maxTokens: number;
  stop?: readonly string[];
  includeStopStrInOutput?: boolean;
}

export interface ContinueResult {
  row: number;
  /** the sampled text of this round (a stop string removed from the row too, unless includeStopStrInOutput) */
  text: string;
  /** tokens sampled this round, as the row keeps them (a removed stop string is not counted); null when unknown */
  tokens: number | null;
  finishReason: FinishReason;
  stopReason: string | number | null;
  logprobs: number[] | null;
}

/**
 * Rows (prompts × n) that continue round after round. A row's text is everything after its prompt: sampled and
 * appended text in order. A stop string that ends a round is not part of the row (so the next round continues from
 * the text before it), unless the round asked to include it.
 */
export interface ContinuationSession {
  readonly rows: number;
  readonly tokenCounting: TokenCounting;
  /** true when rounds reuse the prompt's key/value cache instead of re-running the prompt */
  readonly reusesCache: boolean;
  /** the row's text after its prompt */
  text(row: number): string;
  /** tokens of the row's text (see tokenCounting); null when unknown */
  tokenCount(row: number): number | null;
  /** one round for each requested row (rows not named keep their state); results in request order */
  continue(requests: readonly ContinueRequest[]): Promise<ContinueResult[]>;
  /**
   * Runs rows independently: each starts with its request, and when one of its rounds ends, `next` gets the result
   * and returns the row's next request (or null: the row is done). Rows never wait for each other — the builtin
   * engine keeps decoding the others in the same batch. `next` may truncate the row.
   */
  run(requests: readonly ContinueRequest[], next: (result: ContinueResult) => ContinueRequest | null): Promise<void>;
  /** cuts the row back to its first `tokens` tokens after the prompt; needs exact token boundaries */
  truncateTokens(row: number, tokens: number): void;
  close(): Promise<void>;
}

export interface Backend {
  /** e.g. "builtin:runs/x/model" or "openai:qwen3-0.6b@http://127.0.0.1:8000/v1" (never a key) */
  readonly name: string;
  readonly tokenCounting: TokenCounting;
  /** raw-prompt completions */
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** chat completions, where the backend has a chat template */
  chat?(request: ChatRequest): Promise<CompletionResult>;
  /** exact token count of a text with the model's tokenizer; null when no tokenizer is known */
  countTokens(text: string): number | null;
  /** continuation rows over raw prompts (budget forcing) */
  session(prompts: readonly string[], opts?: SessionOptions): Promise<ContinuationSession>;
  close(): Promise<void>;
}
