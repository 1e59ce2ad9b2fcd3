// The engine benchmark: a training step (forward + loss + backward + AdamW) on a B×T batch and KV-cache sampling
// of B sequences × K new tokens, on the reference sizes, with the same model and step in PyTorch
// (bench/torch_llama.py) when /usr/bin/python3 can import torch.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { presetConfig, type LlamaConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { Generator } from "../sampling/generate.js";
import { Trainer } from "../train/trainer.js";
import { Rng } from "../util/rng.js";

export interface BenchSize {
  name: string;
  hidden: number;
  layers: number;
  heads: number;
  inter: number;
}

/** The sizes: the reference model (≈0.8M parameters) and a second one (≈4.8M). */
export const BENCH_SIZES: BenchSize[] = [
  { name: "reference", hidden: 128, layers: 4, heads: 4, inter: 344 },
  { name: "second", hidden: 256, layers: 6, heads: 8, inter: 688 },
];
export const BENCH_VOCAB = 32;
export const BENCH_CTX = 128;
export const BENCH_BATCH = 32;
export const BENCH_NEW_TOKENS = 64;

export interface BenchResult {
  size: string;
  parameters: number;
  train_step_ms: number;
  /** frozen-weights generator (inference) */
  sample_ms: number;
  /** generator fed live weights (as an RL loop samples between training steps) */
  sample_live_ms: number;
  /** achieved GFLOP/s of the train step (analytic FLOPs / median time) */
  gflops: number;
  train_flops: number;
  torch_train_step_ms: number | null;
  torch_sample_ms: number | null;
  train_ratio: number | null;
  sample_ratio: number | null;
  torch_blas: string | null;
  /** why the PyTorch comparison is missing or not meaningful */
  torch_note: string | null;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * FLOPs of one training step: 3 × forward (backward ≈ 2 × forward), forward = 2·(matmul params)·tokens plus the
 * attention products QKᵀ and PV (2 · 2·B·H·T²·hd per layer, full square as computed).
 */
export function trainFlops(c: LlamaConfig, B: number, T: number): number {
  const d = c.hidden_size, I = c.intermediate_size, L = c.num_hidden_layers, hd = c.head_dim;
  const H = c.num_attention_heads, Hkv = c.num_key_value_heads, V = c.vocab_size;
  const perLayer = d * H * hd * 2 + d * Hkv * hd * 2 + 3 * d * I;
  const forward = 2 * (L * perLayer + V * d) * B * T + L * 4 * B * H * T * T * hd;
  return 3 * forward;
}

function benchConfig(s: BenchSize): { config: LlamaConfig; tokenizer: CharTokenizer } {
  // 29 letters + pad/bos/eos = the reference vocabulary of 32
  const tokenizer = CharTokenizer.fromSpec("chars:abcdefghijklmnopqrstuvwxyz .,");
  const config = presetConfig("small", { vocab_size: BENCH_VOCAB, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, {
    hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads, num_key_value_heads: s.heads,
    intermediate_size: s.inter, max_position_embeddings: BENCH_CTX + 1,
  });
  if (tokenizer.vocabSize !== BENCH_VOCAB) throw new Error(`bench tokenizer has ${tokenizer.vocabSize} ids, expected ${BENCH_VOCAB}`);
  return { config, tokenizer };
}

export async function benchOurs(s: BenchSize, o: { steps: number; warmup: number; sampleRuns: number; threads?: number }) {
  const { config, tokenizer } = benchConfig(s);
  const params = initParams(config, 0);
  const trainer = await Trainer.create({ config, params, schedule: { type: "constant", lr: 1e-3, warmupSteps: 0 }, objective: { entropy: false }, threads: o.threads });
  const rng = new Rng(0);
  const seqs = Array.from({ length: BENCH_BATCH }, () => ({ tokens: Array.from({ length: BENCH_CTX + 1 }, () => rng.int(BENCH_VOCAB)) }));
  const times: number[] = [];
  for (let i = 0; i < o.warmup + o.steps; i++) {
    const t0 = performance.now();
    await trainer.train(seqs);
    if (i >= o.warmup) times.push(performance.now() - t0);
  }
  // inference (`ratio sample`, evaluation) bakes the weights into the graphs; RL loops sample with live weights
  const frozen = await Generator.create({ config, params, tokenizer, threads: o.threads, frozen: true });
  const live = await Generator.create({ config, params, tokenizer, threads: o.threads });
  const prompts = Array.from({ length: BENCH_BATCH }, () => [tokenizer.bosId as number]);
  const stimes: number[] = [];
  const ltimes: number[] = [];
  for (let i = 0; i < 1 + o.sampleRuns; i++) {
    for (const [gen, into] of [[frozen, stimes], [live, ltimes]] as const) {
      const t0 = performance.now();
      await gen.generate(prompts, { maxTokens: BENCH_NEW_TOKENS, ignoreEos: true, seed: i });
      if (i >= 1) into.push(performance.now() - t0);
    }
  }
  return { config, parameters: params.count, train_step_ms: median(times), sample_ms: median(stimes), sample_live_ms: median(ltimes) };
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** bench/torch_llama.py, found from src/bench or dist/bench. */
export function torchScript(): string | null {
  for (const p of [path.resolve(here, "../../bench/torch_llama.py"), path.resolve(here, "../../../bench/torch_llama.py")]) if (existsSync(p)) return p;
  return null;
}

export const SYSTEM_PYTHON = "/usr/bin/python3";

export async function benchTorch(s: BenchSize, o: { steps: number; warmup: number; sampleRuns: number }): Promise<
  { train_step_ms: number; sample_ms: number; blas: string } | { error: string }
> {
  const script = torchScript();
  if (!script) return { error: "bench/torch_llama.py not found" };
  if (!existsSync(SYSTEM_PYTHON)) return { error: `${SYSTEM_PYTHON} not found` };
  const args = [script, "bench", "--hidden", String(s.hidden), "--layers", String(s.layers), "--heads", String(s.heads), "--inter", String(s.inter),
    "--vocab", String(BENCH_VOCAB), "--ctx", String(BENCH_CTX), "--batch", String(BENCH_BATCH), "--steps", String(o.steps), "--warmup", String(o.warmup),
    "--new-tokens", String(BENCH_NEW_TOKENS), "--sample-runs", String(o.sampleRuns)];
  try {
    const { stdout } = await promisify(execFile)(SYSTEM_PYTHON, args, { maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split("\n").pop() as string) as { train_step_ms: number; sample_ms: number; blas: string };
    return r;
  } catch (e) {
    const msg = (e as { stderr?: string }).stderr ?? String(e);
    if (msg.includes("No module named 'torch'")) return { error: "PyTorch is not installed (apt-get install python3-torch libopenblas0-pthread)" };
    return { error: `PyTorch reference failed: ${msg.trim().split("\n").pop()}` };
  }
}

/**
 * Ratio and PyTorch on one size, in `rounds` alternating rounds (ours, then PyTorch, repeated), so slow drifts of a
 * shared machine hit both sides alike; each figure is the median over rounds of the per-round medians.
 */
export async function benchSize(
  s: BenchSize,
  o: { steps: number; warmup: number; sampleRuns: number; torch: boolean; threads?: number; rounds?: number },
): Promise<BenchResult> {
  const rounds = Math.max(1, o.rounds ?? 1);
  const ours: Awaited<ReturnType<typeof benchOurs>>[] = [];
  const torch: { train_step_ms: number; sample_ms: number; blas: string }[] = [];
  let torchError: string | null = o.torch ? null : "skipped (--no-torch)";
  for (let i = 0; i < rounds; i++) {
    ours.push(await benchOurs(s, o));
    if (torchError !== null) continue;
    const t = await benchTorch(s, o);
    if ("error" in t) torchError = t.error;
    else torch.push(t);
  }
  const config = ours[0].config;
  const train = median(ours.map((x) => x.train_step_ms));
  const sample = median(ours.map((x) => x.sample_ms));
  const sampleLive = median(ours.map((x) => x.sample_live_ms));
  const flops = trainFlops(config, BENCH_BATCH, BENCH_CTX);
  const r: BenchResult = {
    size: s.name, parameters: ours[0].parameters, train_step_ms: train, sample_ms: sample, sample_live_ms: sampleLive,
    gflops: flops / (train / 1000) / 1e9, train_flops: flops,
    torch_train_step_ms: null, torch_sample_ms: null, train_ratio: null, sample_ratio: null, torch_blas: null, torch_note: torchError,
  };
  if (torch.length === 0) return r;
  r.torch_train_step_ms = median(torch.map((t) => t.train_step_ms));
  r.torch_sample_ms = median(torch.map((t) => t.sample_ms));
  r.torch_blas = torch[0].blas;
  r.train_ratio = train / r.torch_train_step_ms;
  r.sample_ratio = sample / r.torch_sample_ms;
  if (r.torch_blas !== "openblas" && r.torch_blas !== "mkl") {
    r.torch_note = `PyTorch uses the ${r.torch_blas} BLAS, not OpenBLAS: its times are ~20× too slow and the ratio is meaningless (apt-get install libopenblas0-pthread)`;
  }
  return r;
}
