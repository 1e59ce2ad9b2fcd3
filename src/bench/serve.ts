// `ratio serve` throughput: completion tokens per second on the reference model (BENCH_SIZES "reference", random
// weights) served on 127.0.0.1, with 1 and 16 concurrent clients each sending requests back to back
// (max_tokens BENCH_NEW_TOKENS, ignore_eos, temperature 1); the clients run in the same process as the server. For
// scale, the same tokens from the Generator in one batch without HTTP (the offline ceiling for that many sequences).
// Rounds interleave the client counts; medians are reported.
import { presetConfig, type LlamaConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { Generator } from "../sampling/generate.js";
import { startServer } from "../server/server.js";
import { Rng } from "../util/rng.js";
import { BENCH_CTX, BENCH_NEW_TOKENS, BENCH_SIZES, BENCH_VOCAB, median } from "./llama.js";

export interface ServeBenchRun {
  clients: number;
  requests: number;
  completion_tokens: number;
  seconds: number;
  tokens_per_s: number;
  /** median time from sending a request to its last byte */
  median_latency_ms: number;
  /** sequences per decoding step on average (continuous batching at work) */
  mean_batch: number;
}

export interface ServeBenchResult {
  size: string;
  parameters: number;
  max_tokens: number;
  runs: ServeBenchRun[];
  /** Generator.generate of `clients` sequences at once for the largest client count, tokens/s (no HTTP, no scheduler) */
  generator_tokens_per_s: number;
}

export interface ServeBenchOptions {
  /** a BENCH_SIZES name (default "reference") */
  size?: string;
  /** concurrent client counts (default [1, 16]) */
  clients?: readonly number[];
  /** requests each client sends (default 4) */
  requestsPerClient?: number;
  /** tokens per completion (default BENCH_NEW_TOKENS) */
  maxTokens?: number;
  /** measurements per client count, interleaved; the median round is reported (default 3) */
  rounds?: number;
  threads?: number;
}

export const ALPHABET = "abcdefghijklmnopqrstuvwxyz .,";

/**
 * A BENCH_SIZES model over a character tokenizer of ALPHABET, with `context` positions (default BENCH_CTX + 1);
 * `bench` names the benchmark in the error for an unknown size.
 */
export function referenceModel(name: string, bench = "bench serve", context = BENCH_CTX + 1): { config: LlamaConfig; tokenizer: CharTokenizer } {
  const s = BENCH_SIZES.find((x) => x.name === name);
  if (!s) throw new Error(`${bench}: unknown size "${name}" (expected one of: ${BENCH_SIZES.map((x) => x.name).join(", ")})`);
  const tokenizer = CharTokenizer.fromSpec(`chars:${ALPHABET}`);
  const config = presetConfig("small", { vocab_size: BENCH_VOCAB, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, {
    hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads, num_key_value_heads: s.heads,
    intermediate_size: s.inter, max_position_embeddings: context,
  });
  return { config, tokenizer };
}

/** Measures completion tokens/s of a local `ratio serve` with each client count in `clients`. */
export async function benchServe(o: ServeBenchOptions = {}): Promise<ServeBenchResult> {
  const size = o.size ?? "reference";
  const clientCounts = o.clients ?? [1, 16];
  const perClient = o.requestsPerClient ?? 4;
  const maxTokens = o.maxTokens ?? BENCH_NEW_TOKENS;
  const rounds = o.rounds ?? 3;
  const { config, tokenizer } = referenceModel(size);
  const params = initParams(config, 0);
  const rng = new Rng("bench-serve");
  const prompt = () => Array.from({ length: 8 + rng.int(9) }, () => ALPHABET[rng.int(26)]).join("");
  const server = await startServer(
    { name: "bench", config, params, tokenizer, chatFormat: null, chatNote: "" },
    { host: "127.0.0.1", port: 0, threads: o.threads, limits: { maxRunning: Math.max(64, ...clientCounts) } },
  );
  const url = `${server.url}/v1/completions`;
  let seed = 0;
  const request = async (): Promise<{ tokens: number; ms: number }> => {
    const t0 = performance.now();
    const r = await fetch(url, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "bench", prompt: prompt(), max_tokens: maxTokens, ignore_eos: true, temperature: 1, seed: seed++ }),
    });
    const body = (await r.json()) as { usage?: { completion_tokens: number }; error?: { message: string } };
    if (!r.ok || !body.usage) throw new Error(`bench serve: request failed (${r.status}): ${body.error?.message ?? "no usage"}`);
    return { tokens: body.usage.completion_tokens, ms: performance.now() - t0 };
  };
  const measured: ServeBenchRun[][] = clientCounts.map(() => []);
  try {
    await request(); // warm-up: first prefill and decode shapes
    for (let round = 0; round < rounds; round++) for (const [k, clients] of clientCounts.entries()) {
      const latencies: number[] = [];
      let tokens = 0;
      const before = server.stats();
      const t0 = performance.now();
      await Promise.all(Array.from({ length: clients }, async () => {
        for (let i = 0; i < perClient; i++) {
          const r = await request();
          tokens += r.tokens;
          latencies.push(r.ms);
        }
      }));
      const seconds = (performance.now() - t0) / 1000;
      const after = server.stats();
      const steps = after.decodeSteps - before.decodeSteps + after.prefills - before.prefills;
      measured[k].push({
        clients, requests: clients * perClient, completion_tokens: tokens, seconds, tokens_per_s: tokens / seconds,
        median_latency_ms: median(latencies), mean_batch: (after.tokens - before.tokens) / steps,
      });
    }
  } finally {
    await server.close();
  }
  const runs = measured.map((m) => [...m].sort((a, b) => a.tokens_per_s - b.tokens_per_s)[m.length >> 1]);
  const gen = await Generator.create({ config, params, tokenizer, threads: o.threads, frozen: true });
  const prompts = Array.from({ length: Math.max(...clientCounts) }, prompt);
  await gen.generate(prompts, { maxTokens, ignoreEos: true, seed: 0 });
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const out = await gen.generate(prompts, { maxTokens, ignoreEos: true, seed: 1 + round });
    rates.push(out.reduce((s, c) => s + c.tokenIds.length, 0) / ((performance.now() - t0) / 1000));
  }
  return { size, parameters: params.count, max_tokens: maxTokens, runs, generator_tokens_per_s: median(rates) };
}
