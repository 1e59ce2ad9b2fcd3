// End-to-end: `ratio demo --quick --json` runs SFT → STaR → GRPO → held-out evaluation into one run directory and
// prints exactly the documented JSON; held-out problems never appear in any training set.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ADDITION_ALPHABET, additionTokenizer } from "../../src/demo/recipe.js";
import { readDataset, RunDir } from "../../src/run/index.js";
import { additionTask } from "../../src/tasks/addition.js";
import { freshDir } from "../fixtures/tmp.js";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, RATIO_THREADS: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ratio demo", () => {
  it("--quick --json: the documented JSON, a complete run directory, held-out problems never trained on", () => {
    const out = path.join(freshDir(), "demo");
    const r = ratio("demo", "--quick", "--json", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["iterations", "final", "run_dir"]);
    expect(Object.keys(j.final)).toEqual(["greedy_accuracy", "maj_accuracy"]);
    expect(j.run_dir).toBe(out);
    expect(j.iterations[0].iteration).toBe(0);
    for (const it of j.iterations) {
      expect(Object.keys(it)).toEqual(["iteration", "accuracy_by_digits", "train_examples"]);
      expect(Object.keys(it.accuracy_by_digits)).toEqual(["1", "2", "3", "4", "5"]);
    }
    for (const x of [j.final.greedy_accuracy, j.final.maj_accuracy]) expect(x >= 0 && x <= 1).toBe(true);
    const m = RunDir.readManifest(out);
    expect(m.status).toBe("complete");
    expect(m.stages.map((s) => s.name)).toEqual(["sft", "star", "grpo", "eval"]);
    expect(existsSync(path.join(out, "plots", "star-accuracy-by-digits.svg"))).toBe(true);
    expect(existsSync(path.join(out, "plots", "sft-loss.svg")) && existsSync(path.join(out, "plots", "star-accuracy.svg"))).toBe(true);
    const heldOut = readDataset(path.join(out, "datasets", "eval", "held-out.jsonl")).rows.map((x) => x.question as string);
    expect(heldOut).toHaveLength(15);
    const trained = readDataset(path.join(out, "datasets", "sft", "gold.jsonl")).rows.map((x) => x.question as string);
    for (let i = 1; existsSync(path.join(out, "datasets", "star", `iter-${i}.jsonl`)); i++) trained.push(...readDataset(path.join(out, "datasets", "star", `iter-${i}.jsonl`)).rows.map((x) => x.question as string));
    expect(trained.length).toBeGreaterThan(100);
    expect(heldOut.filter((q) => trained.includes(q))).toEqual([]);
  });

  it("refuses an --out that holds something other than a run", () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, "notes.txt"), "keep me");
    const r = ratio("demo", "--quick", "--out", dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--out .*not empty/);
    expect(readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("keep me");
  });

  it("the tokenizer covers every character of prompts, hints and scratchpads", () => {
    const tok = additionTokenizer();
    expect(tok.alphabet.length).toBe(new Set(ADDITION_ALPHABET.replace("\\n", "\n")).size);
    for (let i = 0; i < 50; i++) {
      const ex = additionTask.generate({ seed: 9, index: i, minDigits: 1, maxDigits: 5 });
      for (const text of [additionTask.prompt(ex), additionTask.rationalization!.prompt(ex), additionTask.rationale!(ex)]) expect(() => tok.encode(text)).not.toThrow();
    }
  });
});
