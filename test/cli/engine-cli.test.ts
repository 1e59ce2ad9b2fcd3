// End-to-end tests of the engine's CLI commands on a tiny model: init, info, logprobs, sample, train-lm (+ --resume).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, RATIO_THREADS: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ratio CLI (engine commands)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ratio-cli-"));
  const model = path.join(dir, "m");

  it("init creates a checkpoint and info describes it", () => {
    const r = ratio("init", model, "--preset", "tiny", "--vocab", "chars:abc>", "--seed", "3", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ preset: "tiny", vocab_size: 7, seed: 3 });
    const info = JSON.parse(ratio("info", model, "--json").stdout);
    expect(info.architecture).toBe("LlamaForCausalLM");
    expect(info.vocab_size).toBe(7);
    expect(info.parameters).toBeGreaterThan(1000);
    expect(info.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(["config.json", "model.safetensors", "tokenizer.json"]));
  });

  it("init refuses to overwrite and rejects a bad preset with one line", () => {
    const again = ratio("init", model, "--vocab", "chars:abc>");
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(/already exists/);
    const bad = ratio("init", path.join(dir, "x"), "--preset", "huge");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--preset.*huge/);
  });

  it("logprobs gives one null then a log-prob per token, summing to total", () => {
    const r = ratio("logprobs", model, "--text", "abca", "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.tokens).toEqual(["<bos>", "a", "b", "c", "a"]);
    expect(j.logprobs[0]).toBeNull();
    expect(j.logprobs.slice(1).every((x: number) => x < 0)).toBe(true);
    expect(j.total).toBeCloseTo(j.logprobs.slice(1).reduce((a: number, b: number) => a + b, 0), 5);
  });

  it("logprobs names an unknown character", () => {
    const r = ratio("logprobs", model, "--text", "abz");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/"z"/);
  });

  it("sample is reproducible with a seed and honours n, max tokens and finish reasons", () => {
    const args = ["sample", model, "--prompt", "ab", "--n", "3", "--max-tokens", "5", "--seed", "7", "--json"];
    const a = ratio(...args);
    const b = ratio(...args);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(l.token_ids.length).toBeLessThanOrEqual(5);
      expect(["stop", "length"]).toContain(l.finish_reason);
      expect(l.logprobs).toHaveLength(l.token_ids.length);
    }
    const bad = ratio("sample", model, "--prompt", "ab", "--temperature", "-1");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--temperature/);
  });

  it("train-lm trains, checkpoints, and --resume reaches the same weights as an uninterrupted run", () => {
    const data = path.join(dir, "data.txt");
    writeFileSync(data, ["abc", "cba", "aabbcc", "ccbbaa", "abcabc"].join("\n") + "\n");
    const full = path.join(dir, "full");
    const split = path.join(dir, "split");
    const common = ["--data", data, "--batch-size", "4", "--lr", "0.01", "--warmup", "1", "--seed", "5", "--json"];
    const r1 = ratio("train-lm", model, "--out", full, "--steps", "4", ...common);
    expect(r1.code, r1.stderr).toBe(0);
    expect(JSON.parse(r1.stdout).steps).toBe(4);
    expect(ratio("train-lm", model, "--out", split, "--steps", "4", "--save-every", "2", ...common).code).toBe(0);
    // an interrupted run: stop after 2 of 4 steps, then resume
    const part = path.join(dir, "part");
    const first = ratio("train-lm", model, "--out", part, "--steps", "4", "--stop-after", "2", ...common);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).steps).toBe(2);
    const res = ratio("train-lm", model, "--out", part, "--steps", "4", "--resume", ...common);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).resumed_from).toBe(2);
    const w = (d: string) => readFileSync(path.join(d, "model.safetensors"));
    expect(w(part).equals(w(full))).toBe(true);
    expect(w(split).equals(w(full))).toBe(true);
  });

  it("train-lm names the file and line of a bad JSONL row", () => {
    const data = path.join(dir, "bad.jsonl");
    writeFileSync(data, '{"text": "abc"}\n{"txt": 1}\n');
    const r = ratio("train-lm", model, "--data", data, "--out", path.join(dir, "o"), "--steps", "1");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.jsonl:2/);
  });

  it("every command has --help with an example", () => {
    for (const cmd of ["demo", "init", "info", "sample", "logprobs", "train-lm", "bench", "metrics"]) {
      const r = ratio(cmd, "--help");
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Examples?:\n\s+ratio /);
    }
  });
});
