// Continuation rows over any backend that completes raw prompts: each round of a row is one completion request of
// prompt + the row's text so far (n = 1), so forced text costs the server a new prefill (or a prefix-cache hit). With
// a tokenizer, counts and truncation are exact; without one, a row's token count comes from the server's usage:
//   tokens(row) = prompt_tokens(prompt + text) − prompt_tokens(prompt) + completion_tokens(last round)
// (the first term is re-measured on every round, so a count is never off by more than the last round's stop string).
// Seeds: round r of sample j of the prompt with stream s samples with seed mix(seed, s, j, r), so a row's rounds are
// reproducible, rows differ, and a row does not depend on the other prompts of the session.
import type { Tokenizer } from "../model/tokenizer.js";
import { hashString } from "../util/rng.js";
import type { CompletionRequest, CompletionResult, ContinuationSession, ContinueRequest, ContinueResult, SessionOptions, TokenCounting } from "./types.js";

export interface ReplayTarget {
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** exact counts and truncation when given */
  tokenizer?: Tokenizer;
}

/** A 31-bit seed for round `round` of sample `sample` of the prompt with stream `stream` (FNV-1a of the four). */
export function roundSeed(seed: number, stream: number, sample: number, round: number): number {
  return hashString(`${seed}:${stream}:${sample}:${round}`) & 0x7fffffff;
}

export class ReplaySession implements ContinuationSession {
  readonly reusesCache = false;
  readonly tokenCounting: TokenCounting;
  private readonly texts: string[];
  private readonly rounds: number[];
  /** server-counted tokens of each row's text (no tokenizer) */
  private readonly serverCount: (number | null)[];
  /** server-counted tokens of each bare prompt */
  private readonly basePrompt: (number | null)[];
  private readonly n: number;

  constructor(
    private readonly target: ReplayTarget,
    private readonly prompts: readonly string[],
    private readonly opts: SessionOptions = {},
  ) {
    this.n = opts.n ?? 1;
    if (!Number.isInteger(this.n) || this.n < 1) throw new Error(`n must be an integer ≥ 1, got ${this.n}`);
    if (opts.streams && opts.streams.length !== prompts.length) throw new Error(`${opts.streams.length} streams for ${prompts.length} prompts`);
    const rows = prompts.length * this.n;
    this.texts = Array.from({ length: rows }, () => "");
    this.rounds = new Array<number>(rows).fill(0);
    this.serverCount = new Array<number | null>(rows).fill(0);
    this.basePrompt = new Array<number | null>(prompts.length).fill(null);
    this.tokenCounting = target.tokenizer ? "tokenizer" : "server-usage";
  }

  get rows(): number {
    return this.texts.length;
  }

  text(row: number): string {
    this.check(row);
    return this.texts[row];
  }

  tokenCount(row: number): number | null {
    this.check(row);
    return this.target.tokenizer ? this.target.tokenizer.encode(this.texts[row]).length : this.serverCount[row];
  }

  continue(requests: readonly ContinueRequest[]): Promise<ContinueResult[]> {
    this.checkRequests(requests);
    return Promise.all(requests.map((r) => this.round(r)));
  }

  /** Each row runs on its own: one request after another, all rows at once. */
  async run(requests: readonly ContinueRequest[], next: (result: ContinueResult) => ContinueRequest | null): Promise<void> {
    this.checkRequests(requests);
    await Promise.all(requests.map(async (first) => {
      let req: ContinueRequest | null = first;
      while (req !== null) {
        if (req.row !== first.row) throw new Error(`next: a request for row ${req.row} after a round of row ${first.row}`);
        req = next(await this.round(req));
      }
    }));
  }

  truncateTokens(row: number, tokens: number): void {
    this.check(row);
    const tok = this.target.tokenizer;
    if (!tok) throw new Error("cutting a text at a token budget needs the model's tokenizer (server usage numbers give counts, not token boundaries)");
    const ids = tok.encode(this.texts[row]);
    if (!Number.isInteger(tokens) || tokens < 0 || tokens > ids.length) throw new Error(`truncate: row ${row} has ${ids.length} tokens, cannot keep ${tokens}`);
    this.texts[row] = tok.decode(ids.slice(0, tokens));
  }

  async close(): Promise<void> {}

  private async round(req: ContinueRequest): Promise<ContinueResult> {
    const { row } = req;
    const p = Math.floor(row / this.n);
    const startedEmpty = this.texts[row] === "" && !req.append;
    if (req.append) this.texts[row] += req.append;
    const stream = this.opts.streams?.[p] ?? p;
    const seed = this.opts.seed === undefined ? undefined : roundSeed(this.opts.seed, stream, row % this.n, this.rounds[row]++);
    const res = await this.target.complete({
      prompt: this.prompts[p] + this.texts[row], n: 1, temperature: this.opts.temperature, topP: this.opts.topP, maxTokens: req.maxTokens,
      stop: req.stop, includeStopStrInOutput: req.includeStopStrInOutput, seed, logprobs: this.opts.logprobs,
    });
    const choice = res.choices[0];
    if (!choice) throw new Error(`row ${row}: the backend returned no choice`);
    this.texts[row] += choice.text;
    const promptTokens = res.promptTokens[0] ?? null;
    if (startedEmpty && promptTokens !== null) this.basePrompt[p] = promptTokens;
    const base = this.basePrompt[p];
    this.serverCount[row] = base !== null && promptTokens !== null && choice.tokens !== null ? promptTokens - base + choice.tokens : null;
    const tokens = this.target.tokenizer ? this.target.tokenizer.encode(choice.text).length : choice.tokens;
    return { row, text: choice.text, tokens, finishReason: choice.finishReason, stopReason: choice.stopReason, logprobs: choice.logprobs };
  }

  /** Every requested row exists and appears once. */
  private checkRequests(requests: readonly ContinueRequest[]): void {
    const rows = new Set<number>();
    for (const r of requests) {
      this.check(r.row);
      if (rows.has(r.row)) throw new Error(`row ${r.row} is requested twice in one continuation`);
      rows.add(r.row);
    }
  }

  private check(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.texts.length) throw new Error(`row ${row} is outside the session (0…${this.texts.length - 1})`);
  }
}

/**
 * `run` by rounds, for sessions that only have `continue`: every round continues all rows with a pending request
 * together, then asks `next` for each result.
 */
export async function runInRounds(
  session: Pick<ContinuationSession, "continue">,
  requests: readonly ContinueRequest[],
  next: (result: ContinueResult) => ContinueRequest | null,
): Promise<void> {
  let pending = [...requests];
  while (pending.length > 0) {
    const results = await session.continue(pending);
    pending = [];
    for (const r of results) {
      const req = next(r);
      if (req !== null) pending.push(req);
    }
  }
}
