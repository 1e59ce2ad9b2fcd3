// Budget-forcing overhead vs plain sampling on the reference model (BENCH_SIZES "reference", random weights,
// temperature 1): `sequences` rows think in rounds (a thinking round ends at the character "z", which the random
// model writes about once in 29 tokens; the end is replaced by an extension up to `extensions` times within a
// `thinkingBudget` of tokens, decrement accounting), then the forced or natural end and an answer of up to
// `answerTokens` tokens. Measured three ways, interleaved, medians over `rounds`:
//   plain:   Generator.generate of thinkingBudget + answerTokens tokens per row (one round, eos ignored)
//   session: budget forcing on the builtin backend, whose rounds reuse the KV cache (forced text fed one decode
//            step per token; no second prefill)
//   replay:  the same budget forcing with every round re-run from the prompt (what a server without a prefix cache
//            does): each round one batched Generator.generate of prompt + text for the rows that share its limits
// Overhead per token = (ms per sampled token with budget forcing) / (plain's) − 1, which also charges budget forcing
// for rows that stop early while others still decode; wall overhead = (wall time with budget forcing) / (wall time
// plain) − 1, at the same length limit per row (B + answerTokens sampled tokens).
import { BuiltinBackend } from "../backends/builtin.js";
import { runInRounds } from "../backends/replay-session.js";
import type { ContinuationSession, ContinueRequest, ContinueResult } from "../backends/types.js";
import { budgetForce, type BudgetForcingOptions } from "../inference/budget-forcing.js";
import { initParams } from "../model/init.js";
import { Generator } from "../sampling/generate.js";
import { Rng } from "../util/rng.js";
import { BENCH_CTX, median } from "./llama.js";
import { ALPHABET, referenceModel } from "./serve.js";

export interface BudgetForcingBenchOptions {
  /** a BENCH_SIZES name (default "reference") */
  size?: string;
  /** rows sampled together (default 32) */
  sequences?: number;
  /** B, thinking tokens at most (default 64) */
  thinkingBudget?: number;
  /** N, extensions at most (default 2) */
  extensions?: number;
  /** answer tokens at most (default 16) */
  answerTokens?: number;
  /** measurements per mode, interleaved; medians reported (default 3) */
  rounds?: number;
  threads?: number;
}

export interface BudgetForcingBenchMode {
  ms: number;
  /** sampled tokens per run (thinking and answer) */
  generated_tokens: number;
  /** forced tokens per run (extensions, ends, answer prefix) */
  forced_tokens: number;
  ms_per_token: number;
}

export interface BudgetForcingBenchResult {
  size: string;
  parameters: number;
  sequences: number;
  thinking_budget: number;
  extensions: number;
  answer_tokens: number;
  /** mean extensions appended per row (budget forcing) */
  mean_extensions: number;
  /** fraction of rows whose thinking hit the budget */
  forced_end_fraction: number;
  plain: BudgetForcingBenchMode;
  session: BudgetForcingBenchMode;
  replay: BudgetForcingBenchMode;
  /** session ms/token ÷ plain ms/token − 1 */
  session_overhead: number;
  /** replay ms/token ÷ plain ms/token − 1 */
  replay_overhead: number;
  /** session wall time ÷ plain wall time − 1 */
  session_wall_overhead: number;
  /** replay wall time ÷ plain wall time − 1 */
  replay_wall_overhead: number;
}

/** Rounds without a cache: every round re-runs prompt + text, rows with the same limits batched into one generate. */
class BatchedReplay implements ContinuationSession {
  readonly tokenCounting = "tokenizer" as const;
  readonly reusesCache = false;
  private readonly texts: string[];
  private round = 0;

  constructor(private readonly gen: Generator, private readonly prompts: readonly string[], private readonly seed: number) {
    this.texts = prompts.map(() => "");
  }

  get rows(): number {
    return this.prompts.length;
  }

  text(row: number): string {
    return this.texts[row];
  }

  tokenCount(row: number): number {
    return this.gen.tokenizer.encode(this.texts[row]).length;
  }

  async continue(requests: readonly ContinueRequest[]): Promise<ContinueResult[]> {
    const groups = new Map<string, ContinueRequest[]>();
    for (const r of requests) {
      if (r.append) this.texts[r.row] += r.append;
      const key = JSON.stringify([r.maxTokens, r.stop ?? [], r.includeStopStrInOutput ?? false]);
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const out = new Map<number, ContinueResult>();
    for (const group of groups.values()) {
      const { maxTokens, stop, includeStopStrInOutput } = group[0];
      const cs = await this.gen.generate(group.map((r) => this.prompts[r.row] + this.texts[r.row]), { maxTokens, stop, includeStopStrInOutput, temperature: 1, seed: this.seed * 1000 + this.round });
      cs.forEach((c, i) => {
        const row = group[i].row;
        this.texts[row] += c.text;
        out.set(row, { row, text: c.text, tokens: this.gen.tokenizer.encode(c.text).length, finishReason: c.finishReason, stopReason: c.stopReason, logprobs: null });
      });
    }
    this.round++;
    return requests.map((r) => out.get(r.row)!);
  }

  run(requests: readonly ContinueRequest[], next: (result: ContinueResult) => ContinueRequest | null): Promise<void> {
    return runInRounds(this, requests, next);
  }

  truncateTokens(): void {
    throw new Error("the replay benchmark uses the decrement accounting");
  }

  async close(): Promise<void> {}
}

export async function benchBudgetForcing(o: BudgetForcingBenchOptions = {}): Promise<BudgetForcingBenchResult> {
  const sizeName = o.size ?? "reference";
  const R = o.sequences ?? 32;
  const B = o.thinkingBudget ?? 64;
  const N = o.extensions ?? 2;
  const A = o.answerTokens ?? 16;
  const rounds = o.rounds ?? 3;
  const { config, tokenizer } = referenceModel(sizeName, "bench budget forcing", Math.max(BENCH_CTX, 32 + 2 * (B + A)) + 1);
  const params = initParams(config, 0);
  const gen = await Generator.create({ config, params, tokenizer, threads: o.threads, frozen: true });
  const backend = new BuiltinBackend(gen);
  const rng = new Rng("bench-budget-forcing");
  const prompts = Array.from({ length: R }, () => Array.from({ length: 8 + rng.int(9) }, () => ALPHABET[rng.int(26)]).join(""));
  const bf: BudgetForcingOptions = {
    delimiters: { thinkStart: "", thinkEnd: "z", beforeEnd: "", afterEnd: " ", answerPrefix: "so", answerStops: [] },
    maxThinkingTokens: B, extensions: N, extension: " wait", accounting: "decrement", maxAnswerTokens: A,
  };
  const count = (t: string) => tokenizer.encode(t).length;
  const sessionOpts = { temperature: 1 };

  const times = { plain: [] as number[], session: [] as number[], replay: [] as number[] };
  let plainTokens = 0;
  const stats = { generated: 0, forced: 0, extensions: 0, forcedEnds: 0 };
  const replayStats = { generated: 0, forced: 0 };
  for (let i = 0; i < rounds + 1; i++) { // round 0 warms up every graph shape
    const seed = i;
    let t0 = performance.now();
    const plain = await gen.generate(prompts, { maxTokens: B + A, ignoreEos: true, temperature: 1, seed });
    const tPlain = performance.now() - t0;
    t0 = performance.now();
    const traces = await budgetForce(await backend.session(prompts, { ...sessionOpts, seed }), bf, count);
    const tSession = performance.now() - t0;
    t0 = performance.now();
    const replayTraces = await budgetForce(new BatchedReplay(gen, prompts, seed), bf, count);
    const tReplay = performance.now() - t0;
    if (i === 0) continue;
    times.plain.push(tPlain);
    times.session.push(tSession);
    times.replay.push(tReplay);
    plainTokens = plain.reduce((a, c) => a + c.tokenIds.length, 0);
    const tally = (ts: typeof traces, into: { generated: number; forced: number }) => {
      into.generated = 0;
      into.forced = 0;
      for (const t of ts) for (const seg of t.segments) (seg.forced ? (into.forced += seg.tokens ?? 0) : (into.generated += seg.tokens ?? 0));
    };
    tally(traces, stats);
    tally(replayTraces, replayStats);
    stats.extensions = traces.reduce((a, t) => a + t.extensions, 0) / R;
    stats.forcedEnds = traces.filter((t) => t.forcedEnd).length / R;
  }
  const mode = (ms: number, generated: number, forced: number): BudgetForcingBenchMode => ({ ms, generated_tokens: generated, forced_tokens: forced, ms_per_token: ms / Math.max(1, generated) });
  const plain = mode(median(times.plain), plainTokens, 0);
  const session = mode(median(times.session), stats.generated, stats.forced);
  const replay = mode(median(times.replay), replayStats.generated, replayStats.forced);
  return {
    size: sizeName, parameters: params.count, sequences: R, thinking_budget: B, extensions: N, answer_tokens: A,
    mean_extensions: stats.extensions, forced_end_fraction: stats.forcedEnds, plain, session, replay,
    session_overhead: session.ms_per_token / plain.ms_per_token - 1, replay_overhead: replay.ms_per_token / plain.ms_per_token - 1,
    session_wall_overhead: session.ms / plain.ms - 1, replay_wall_overhead: replay.ms / plain.ms - 1,
  };
}
