// Ratio's forward pass against an independent PyTorch Llama (bench/torch_llama.py) on HF-layout checkpoints written
// by Python, never by Ratio: the checkpoint of test/fixtures/write_safetensors.py (Llama, BF16, tied, GQA), a Qwen2
// checkpoint (biases, untied, GQA, head_dim ≠ hidden/heads, F16) and a Llama one with attention_bias (F32).
// Always: against the committed logits in test/fixtures/llama-ref/*.json (regenerate them with
// `/usr/bin/python3 test/fixtures/llama-ref/make_reference.py`). Live, when an interpreter imports torch (found as
// the benchmark finds it, test/fixtures/torch-python.ts): the same checkpoints through bench/torch_llama.py now;
// otherwise those tests are skipped and the reason is printed.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile, type NDArray } from "../../src/engine/index.js";
import { loadCheckpoint, type LoadedCheckpoint } from "../../src/model/checkpoint.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { buildLogitsGraph, paramFeeds, positionFeeds } from "../../src/train/graph.js";
import { pythonFixtureDir } from "../fixtures/python-fixture.js";
import { findTorchPython } from "../fixtures/torch-python.js";
import { freshDir } from "../fixtures/tmp.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const REF_DIR = path.join(ROOT, "test", "fixtures", "llama-ref");
const TORCH_SCRIPT = path.join(ROOT, "bench", "torch_llama.py");
const TORCH = findTorchPython();
/** float32 on both sides, different summation orders: measured max |Δ| ≈ 1e-7 of the logits' scale */
const LOGIT_TOL = 1e-5;

const hasTorch = TORCH.python !== null;
if (!hasTorch) console.warn(`torch-reference: live PyTorch comparisons skipped: ${TORCH.skipReason}`);

interface Reference {
  ids: number[][];
  logits: number[][][];
  files?: Record<string, string>;
}

function readReference(name: string): Reference {
  return JSON.parse(readFileSync(path.join(REF_DIR, `${name}.json`), "utf8")) as Reference;
}

/** A checkpoint directory for the reference: its embedded files, or the python writer's output; plus a tokenizer. */
function checkpointDir(name: string, ref: Reference, vocab: number): string {
  let dir: string;
  if (ref.files) {
    dir = freshDir(`ratio-ref-${name}-`);
    for (const [file, b64] of Object.entries(ref.files)) writeFileSync(path.join(dir, file), Buffer.from(b64, "base64"));
  } else {
    dir = pythonFixtureDir().dir;
  }
  const letters = "abcdefghijklmnopqrstuvwxyz".slice(0, vocab - 3); // <pad>, <bos>, <eos> + letters = vocab ids
  writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(CharTokenizer.fromAlphabet(letters).toJSON()));
  return dir;
}

/** Ratio's logits for every sequence, run as one right-padded batch through the logits graph. */
async function ratioLogits(ck: LoadedCheckpoint, seqs: number[][]): Promise<number[][][]> {
  const T = Math.max(...seqs.map((s) => s.length));
  const B = seqs.length;
  const ids = new BigInt64Array(B * T);
  seqs.forEach((s, b) => s.forEach((id, t) => { ids[b * T + t] = BigInt(id); }));
  const feeds: Record<string, NDArray> = {
    ...paramFeeds(ck.config, ck.params.views), ...positionFeeds(ck.config, T),
    input_ids: { dtype: "int64", shape: [B, T], data: ids },
  };
  const out = (await (await compile(buildLogitsGraph(ck.config))).run(feeds)).logits;
  const V = ck.config.vocab_size;
  expect(out.shape).toEqual([B, T, V]);
  const data = out.data as Float32Array;
  return seqs.map((s, b) => s.map((_, t) => Array.from(data.subarray((b * T + t) * V, (b * T + t + 1) * V))));
}

/** max |a − b| / max(1, max |b|) over all entries */
function logitErr(a: number[][][], b: number[][][]): number {
  let num = 0;
  let den = 1;
  b.forEach((seq, i) => {
    expect(a[i].length).toBe(seq.length);
    seq.forEach((row, t) => row.forEach((v, k) => {
      num = Math.max(num, Math.abs(a[i][t][k] - v));
      den = Math.max(den, Math.abs(v));
    }));
  });
  return num / den;
}

/** `torch_llama.py logits` on every sequence (one process; one JSON line per sequence). */
function torchLogits(dir: string, seqs: number[][]): number[][][] {
  const args = [TORCH_SCRIPT, "logits", "--model", dir, ...seqs.flatMap((ids) => ["--ids", ids.join(",")])];
  const r = spawnSync(TORCH.python ?? "python3", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`torch_llama.py logits failed: ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  expect(lines.length).toBe(seqs.length);
  return lines.map((l) => (JSON.parse(l) as { logits: number[][] }).logits);
}

const FIXTURES: { name: string; check: (ck: LoadedCheckpoint) => void }[] = [
  {
    name: "python-writer",
    check: (ck) => {
      expect(ck.config.tie_word_embeddings).toBe(true);
      expect(ck.config.num_key_value_heads).toBeLessThan(ck.config.num_attention_heads);
    },
  },
  {
    name: "qwen2-f16",
    check: (ck) => {
      expect(ck.config.model_type).toBe("qwen2");
      expect(ck.params.has("model.layers.1.self_attn.k_proj.bias")).toBe(true);
      expect(ck.config.head_dim * ck.config.num_attention_heads).not.toBe(ck.config.hidden_size);
    },
  },
  {
    name: "llama-bias",
    check: (ck) => {
      expect(ck.params.has("model.layers.1.self_attn.o_proj.bias")).toBe(true);
      expect(ck.params.has("lm_head.weight")).toBe(true);
    },
  },
];

describe("forward pass = PyTorch reference on Python-written HF checkpoints", () => {
  for (const { name, check } of FIXTURES) {
    it(`${name}: committed reference logits`, async () => {
      const ref = readReference(name);
      const vocab = ref.logits[0][0].length;
      const ck = await loadCheckpoint(checkpointDir(name, ref, vocab));
      check(ck);
      expect(ck.config.vocab_size).toBe(vocab);
      const ours = await ratioLogits(ck, ref.ids);
      expect(logitErr(ours, ref.logits)).toBeLessThan(LOGIT_TOL);
      // the logits are not degenerate: positions and tokens differ
      expect(Math.abs(ref.logits[0][0][0] - ref.logits[0][1][0]) + Math.abs(ref.logits[0][0][0] - ref.logits[0][0][1])).toBeGreaterThan(1e-3);
    });

    it.skipIf(!hasTorch)(`${name}: live PyTorch (bench/torch_llama.py logits, ${TORCH.python ?? "skipped"})`, async () => {
      const ref = readReference(name);
      const dir = checkpointDir(name, ref, ref.logits[0][0].length);
      const live = torchLogits(dir, ref.ids);
      const ours = await ratioLogits(await loadCheckpoint(dir), ref.ids);
      expect(logitErr(ours, live)).toBeLessThan(LOGIT_TOL);
      // the committed file is what the reference computes today
      expect(logitErr(ref.logits, live)).toBeLessThan(1e-6);
    });
  }
});
