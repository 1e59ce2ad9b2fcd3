// Crash test: `ratio run` is SIGKILLed in the middle of its second stage, then `--resume`d. Every (stage, step)
// appears exactly once in metrics.jsonl, the numbers (timing aside) and the final weights equal those of an
// uninterrupted run with the same seed, and the manifest ends complete.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { Manifest, MetricsRow } from "../../src/run/index.js";
import { freshDir } from "../fixtures/tmp.js";
import { tinyPipeline } from "./tiny-pipeline.js";

const root = path.resolve(import.meta.dirname, "../..");
const CLI = ["--import", "tsx", path.join(root, "src/cli/main.ts")];
const env = { ...process.env, RATIO_THREADS: "1" };

const YAML = `${tinyPipeline("crash", 11, 2)}  - name: warm
    type: sft
    data: { task: add, n: 64 }
    steps: 10
    batch_size: 8
    lr: 0.003
    save_every: 5
  - name: more
    type: sft
    data: { task: add, n: 128, offset: 64 }
    steps: 200
    batch_size: 8
    lr: 0.002
    save_every: 10
  - name: eval
    type: eval
    task: add
    n: 8
`;

const TIMING = new Set(["step_time", "tokens_per_second"]);

function metrics(dir: string): MetricsRow[] {
  const file = path.join(dir, "metrics.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").flatMap((l) => {
    try {
      return [JSON.parse(l) as MetricsRow];
    } catch {
      return []; // a line being written right now
    }
  });
}

const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
const comparable = (rows: MetricsRow[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING.has(k))));

function ratio(...args: string[]) {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: root, encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `ratio run`, SIGKILLs it once metrics.jsonl holds `after` rows of `stage`; resolves to the rows seen then. */
function runAndKill(args: string[], dir: string, stage: string, after: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let seen = 0;
    const timer = setInterval(() => {
      seen = metrics(dir).filter((r) => r.stage === stage).length;
      if (seen >= after) {
        clearInterval(timer);
        child.kill("SIGKILL");
      }
    }, 5);
    child.on("exit", (code, signal) => {
      clearInterval(timer);
      if (signal === "SIGKILL") resolve(seen);
      else reject(new Error(`ratio run ended on its own (code ${code}) before it was killed: ${stderr}`));
    });
  });
}

describe("ratio run: SIGKILL mid-stage, then --resume", () => {
  it("loses and repeats no step and ends with the numbers of an uninterrupted run", async () => {
    const dir = freshDir("ratio-crash-");
    const file = path.join(dir, "crash.yaml");
    writeFileSync(file, YAML);
    const whole = path.join(dir, "whole");
    const killed = path.join(dir, "killed");

    const ref = ratio("run", file, "--out", whole);
    expect(ref.code, ref.stderr).toBe(0);
    expect(ref.stdout).toMatch(/\[2\/3\] sft more .*steps 200/);

    const seen = await runAndKill(["run", file, "--out", killed], killed, "more", 25);
    expect(seen).toBeGreaterThanOrEqual(25);
    const interrupted = manifest(killed);
    expect(interrupted.status).toBe("running");
    expect(interrupted.stages.find((s) => s.name === "warm")?.status).toBe("complete");
    expect(interrupted.stages.find((s) => s.name === "more")?.status).toBe("running");

    const again = ratio("run", file, "--out", killed);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/not empty.*--resume/);

    const resumed = ratio("run", file, "--out", killed, "--resume");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/\[1\/3\] sft warm: complete in an earlier run, skipped/);
    expect(resumed.stderr).toMatch(/\[2\/3\] sft more: resuming after step \d+/);

    const rows = metrics(killed);
    const keys = rows.map((r) => `${r.stage}/${r.kind ?? "train"}/${r.step}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.filter((r) => r.stage === "more").map((r) => r.step)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(comparable(rows)).toEqual(comparable(metrics(whole)));
    const weights = (d: string) => readFileSync(path.join(d, "checkpoints/more/final/model.safetensors"));
    expect(weights(killed).equals(weights(whole))).toBe(true);
    const m = manifest(killed);
    expect(m.status).toBe("complete");
    expect(m.stages.map((s) => s.status)).toEqual(["complete", "complete", "complete", "complete"]);
    expect(m.stages.find((s) => s.name === "eval")?.summary).toEqual(manifest(whole).stages.find((s) => s.name === "eval")?.summary);
  });

  it("prints help with examples, one-line errors naming the line, and --json", () => {
    const help = ratio("run", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n  ratio run examples\/star-addition\.yaml/);
    const dir = freshDir("ratio-run-cli-");
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, YAML.replace("    lr: 0.002", "    lr: fast"));
    const r = ratio("run", bad, "--out", path.join(dir, "x"));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ratio: ${bad}:26: stages[1].lr: expected a number, got "fast"\n`);
    expect(existsSync(path.join(dir, "x"))).toBe(false);
    const small = path.join(dir, "small.yaml");
    writeFileSync(small, YAML.replace("    steps: 200", "    steps: 3").replace("    steps: 10", "    steps: 2"));
    const j = ratio("run", small, "--out", path.join(dir, "run"), "--json");
    expect(j.code, j.stderr).toBe(0);
    expect(j.stderr).toBe("");
    const out = JSON.parse(j.stdout) as { status: string; stages: { name: string; status: string; outputs: Record<string, string> }[] };
    expect(out.status).toBe("complete");
    expect(out.stages.map((s) => [s.name, s.status])).toEqual([["warm", "complete"], ["more", "complete"], ["eval", "complete"]]);
    expect(out.stages[1].outputs.checkpoint).toBe("checkpoints/more/final");
  });
});
