// `ratio run` as a script sees it: --json keeps the diagnostics (stderr and a `warnings` list), and a failed run prints
// a JSON object too, while the one-line error names the failed stage and how to continue.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { freshDir } from "../fixtures/tmp.js";
import { tinyPipeline } from "../pipeline/tiny-pipeline.js";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, RATIO_THREADS: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sft = (lr: string) => `${tinyPipeline("cli-run", 3)}  - name: sft
    type: sft
    data: { task: add, n: 16 }
    steps: 3
    batch_size: 8
    lr: ${lr}
    schedule: constant
    max_grad_norm: 0
`;

describe("ratio run --json", () => {
  it("a failed run prints a JSON object naming the stage and the error; stderr says how to continue", () => {
    const dir = freshDir("ratio-run-cli-");
    const file = path.join(dir, "p.yaml");
    writeFileSync(file, sft("10000"));
    const out = path.join(dir, "run");
    const r = ratio(["run", file, "--out", out, "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ out, name: "cli-run", status: "failed", stage: "sft", warnings: [] });
    expect(j.error).toMatch(/grad_norm is 0 while the loss is/);
    expect(r.stderr).toMatch(new RegExp(`^ratio: stage "sft" failed: .*; fix it and continue with: ratio run ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} --out .* --resume\\n$`));
  });

  it("a complete run lists its diagnostics in the JSON and still prints them on stderr", () => {
    const dir = freshDir("ratio-run-cli-");
    const file = path.join(dir, "p.yaml");
    // an untrained model, 6 new tokens: every completion is cut and scores 0, so every group has equal rewards
    writeFileSync(file, `${tinyPipeline("cli-run", 3)}  - name: rl
    type: grpo
    task: add
    steps: 1
    batch_size: 2
    num_generations: 2
    max_completion_length: 6
`);
    const r = ratio(["run", file, "--out", path.join(dir, "run"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe("complete");
    expect(j.warnings.length).toBeGreaterThan(0);
    expect(j.warnings.every((w: string) => w.startsWith("warning [rl step 1]: ") && r.stderr.includes(w))).toBe(true);
  });
});
