// `ratio eval` end to end on a tiny random checkpoint: flags, files, --json, a second run resumes (nothing sampled
// again), other settings are refused with a one-line error naming the setting, a sweep writes its table.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { saveCheckpoint } from "../../src/model/checkpoint.js";
import { presetConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { freshDir } from "../fixtures/tmp.js";

const root = path.resolve(import.meta.dirname, "../..");
const ratio = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, RATIO_THREADS: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe("ratio eval (CLI)", () => {
  it("evaluates, resumes, refuses other settings, sweeps budgets", async () => {
    const dir = freshDir();
    const model = path.join(dir, "model");
    const tokenizer = CharTokenizer.fromSpec("chars:0123456789 +,:\\nCIATnputargescwh<>/");
    const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId });
    await saveCheckpoint(model, { config, params: initParams(config, 1), tokenizer });
    const out = path.join(dir, "eval");
    const args = ["eval", "--model", model, "--task", "addition", "--option", "maxDigits=2", "--problems", "3", "--n", "2", "--k", "1,2", "--template", "star", "--max-tokens", "24", "--out", out];
    const first = ratio(...args, "--json");
    expect(first.code, first.stderr).toBe(0);
    const s = JSON.parse(first.stdout);
    expect(s.samples).toBe(6);
    expect(Object.keys(s.metrics)).toEqual(expect.arrayContaining(["pass@1", "pass@2", "maj@2", "avg@n"]));
    expect(s.token_counting).toBe("tokenizer");
    expect(readFileSync(path.join(out, "results.jsonl"), "utf8").trim().split("\n")).toHaveLength(6);
    const again = JSON.parse(ratio(...args, "--json").stdout);
    expect([again.timing.resumed_problems, again.timing.samples]).toEqual([3, 0]);
    expect(again.metrics).toEqual(s.metrics);
    const other = ratio(...args, "--temperature", "0.3");
    expect(other.code).toBe(1);
    expect(other.stderr.trim().split("\n")).toHaveLength(1);
    expect(other.stderr).toMatch(/other settings \(temperature: 0\.6 before, 0\.3 now\)/);
    // a flag of the other problem source is refused, not silently ignored
    const misplaced = ratio(...args, "--preset", "math");
    expect([misplaced.code, misplaced.stderr]).toEqual([1, "ratio: --preset goes with --data, not --task\n"]);
    const withData = ratio("eval", "--model", model, "--data", "test/fixtures/datasets/gsm8k.jsonl", "--option", "maxDigits=2", "--out", out);
    expect([withData.code, withData.stderr]).toEqual([1, "ratio: --option goes with --task, not --data\n"]);
    const sweep = ratio(...args.slice(0, -2), "--out", path.join(dir, "sweep"), "--sweep-budget", "4,8");
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toMatch(/\| 8 \| [\d.]+ \|/);
    expect(existsSync(path.join(dir, "sweep", "test-time-scaling.svg"))).toBe(true);
  });
});
