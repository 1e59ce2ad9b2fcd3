// The GRPO step benchmark: one step = sample G × B completions with the live policy, score them, reference
// log-probs, and one update of the clipped objective with the k3 KL — Ratio's runGrpo against the same loop written
// in PyTorch (bench/torch_grpo.py), both starting from the same checkpoint, in the same run.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { runGrpo } from "../algorithms/grpo/grpo.js";
import { saveCheckpoint } from "../model/checkpoint.js";
import { presetConfig } from "../model/config.js";
import { initParams } from "../model/init.js";
import { CharTokenizer } from "../model/tokenizer.js";
import { RunDir } from "../run/run-dir.js";
import { quietContext } from "../run/stage.js";
import { additionTask } from "../tasks/addition.js";
import { additionTokenizer } from "../demo/recipe.js";
import { BENCH_SIZES, median, SYSTEM_PYTHON, torchScript, type BenchSize } from "./llama.js";

/** The benchmarked step: B prompts × G completions of ≤ K tokens, β > 0 (a reference forward), μ = 1, token mean. */
export const GRPO_BENCH = { batchSize: 8, generations: 8, newTokens: 64, beta: 0.04, lr: 1e-4, digits: 3 } as const;

export interface GrpoBenchResult {
  size: string;
  parameters: number;
  /** median wall time of one GRPO step (ms) */
  grpo_step_ms: number;
  /** mean completion length (tokens) over the timed steps */
  mean_completion_tokens: number;
  torch_grpo_step_ms: number | null;
  torch_parts: Record<string, number> | null;
  ratio: number | null;
  torch_note: string | null;
}

const taskOptions = { minDigits: GRPO_BENCH.digits, maxDigits: GRPO_BENCH.digits, equalDigits: true };

/** Writes a randomly initialized checkpoint of `size` with the addition alphabet; returns its directory. */
async function benchCheckpoint(dir: string, s: BenchSize): Promise<{ dir: string; parameters: number; tokenizer: CharTokenizer }> {
  const tokenizer = additionTokenizer();
  const config = presetConfig("small", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId }, {
    hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads, num_key_value_heads: s.heads, intermediate_size: s.inter,
    max_position_embeddings: 128,
  });
  const params = initParams(config, 0);
  const ck = path.join(dir, "model");
  await saveCheckpoint(ck, { config, params, tokenizer });
  return { dir: ck, parameters: params.count, tokenizer };
}

async function benchOursGrpo(model: string, steps: number, warmup: number, threads?: number): Promise<{ ms: number; tokens: number }> {
  const runDir = mkdtempSync(path.join(tmpdir(), "ratio-bench-grpo-"));
  try {
    const run = RunDir.open(path.join(runDir, "run"), { seed: 0 });
    await runGrpo(quietContext(run, "grpo", 0, { threads }), { checkpoint: model }, {
      task: "addition", task_options: taskOptions, steps: warmup + steps, batch_size: GRPO_BENCH.batchSize, num_generations: GRPO_BENCH.generations,
      max_completion_length: GRPO_BENCH.newTokens, beta: GRPO_BENCH.beta, learning_rate: GRPO_BENCH.lr, loss_type: "dapo", save_every: 0, log_samples: 0,
    });
    const rows = run.metrics("grpo").slice(warmup);
    return {
      ms: median(rows.map((r) => (r.step_time as number) * 1000)),
      tokens: rows.reduce((a, r) => a + (r["completions/mean_length"] as number), 0) / rows.length,
    };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

async function benchTorchGrpo(model: string, tokenizer: CharTokenizer, dir: string, steps: number, warmup: number): Promise<{ parts: Record<string, number>; blas: string } | { error: string }> {
  const script = torchScript();
  if (!script) return { error: "bench/torch_llama.py not found" };
  if (!existsSync(SYSTEM_PYTHON)) return { error: `${SYSTEM_PYTHON} not found` };
  const prompts = Array.from({ length: GRPO_BENCH.batchSize }, (_, i) => additionTask.generate({ seed: 0, index: i, ...taskOptions }));
  const file = path.join(dir, "prompts.json");
  const bos = tokenizer.bosId !== undefined ? [tokenizer.bosId] : [];
  writeFileSync(file, JSON.stringify({ prompts: prompts.map((e) => [...bos, ...tokenizer.encode(additionTask.prompt(e))]), answers: prompts.map((e) => e.answer) }));
  const args = [path.join(path.dirname(script), "torch_grpo.py"), "grpo", "--model", model, "--prompts", file, "--generations", String(GRPO_BENCH.generations),
    "--new-tokens", String(GRPO_BENCH.newTokens), "--beta", String(GRPO_BENCH.beta), "--lr", String(GRPO_BENCH.lr), "--steps", String(steps), "--warmup", String(warmup)];
  try {
    const { stdout } = await promisify(execFile)(SYSTEM_PYTHON, args, { maxBuffer: 1 << 20, cwd: path.dirname(script) });
    const out = JSON.parse(stdout.trim().split("\n").pop() as string) as Record<string, number | string>;
    const parts: Record<string, number> = {};
    for (const [k, v] of Object.entries(out)) if (typeof v === "number" && k.endsWith("_ms")) parts[k] = v;
    return { parts, blas: String(out.blas) };
  } catch (e) {
    const msg = (e as { stderr?: string }).stderr ?? String(e);
    if (msg.includes("No module named 'torch'")) return { error: "PyTorch is not installed (apt-get install python3-torch libopenblas0-pthread)" };
    return { error: `PyTorch reference failed: ${msg.trim().split("\n").pop()}` };
  }
}

/** Ratio's GRPO step and PyTorch's, alternating over `rounds`; figures are medians over rounds. */
export async function benchGrpo(o: { size?: string; steps: number; warmup: number; rounds: number; torch: boolean; threads?: number }): Promise<GrpoBenchResult> {
  const s = BENCH_SIZES.find((x) => x.name === (o.size ?? "reference"));
  if (!s) throw new Error(`--size: unknown size "${o.size}"`);
  const dir = mkdtempSync(path.join(tmpdir(), "ratio-bench-grpo-model-"));
  try {
    const ck = await benchCheckpoint(dir, s);
    const ours: { ms: number; tokens: number }[] = [];
    const torch: { parts: Record<string, number>; blas: string }[] = [];
    let note: string | null = o.torch ? null : "skipped (--no-torch)";
    for (let i = 0; i < Math.max(1, o.rounds); i++) {
      ours.push(await benchOursGrpo(ck.dir, o.steps, o.warmup, o.threads));
      if (note !== null) continue;
      const t = await benchTorchGrpo(ck.dir, ck.tokenizer, dir, o.steps, o.warmup);
      if ("error" in t) note = t.error;
      else torch.push(t);
    }
    const ms = median(ours.map((x) => x.ms));
    const r: GrpoBenchResult = {
      size: s.name, parameters: ck.parameters, grpo_step_ms: ms, mean_completion_tokens: median(ours.map((x) => x.tokens)),
      torch_grpo_step_ms: null, torch_parts: null, ratio: null, torch_note: note,
    };
    if (torch.length > 0) {
      const parts: Record<string, number> = {};
      for (const k of ["grpo_step_ms", "sample_ms", "score_ms", "logprob_ms", "update_ms"]) parts[k] = median(torch.map((t) => t.parts[k]));
      r.torch_grpo_step_ms = parts.grpo_step_ms;
      r.torch_parts = parts;
      r.ratio = ms / parts.grpo_step_ms;
      const blas = torch[0].blas;
      if (blas !== "openblas" && blas !== "mkl") r.torch_note = `PyTorch uses the ${blas} BLAS, not OpenBLAS: the ratio is meaningless (apt-get install libopenblas0-pthread)`;
    }
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
