// `ratio train-lm --resume` never silently restarts or changes the run: a missing or corrupt optimizer state is an
// error naming the file; the run's settings are saved and flags not given take them; a different value (or an edited
// data file) is an error naming the flag and both values unless --override names it, and then the change is recorded.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { OPTIMIZER_FILE, STATE_FILE, TRAINER_STATE_DIR } from "../../src/model/checkpoint.js";
import { freshDir } from "../fixtures/tmp.js";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, RATIO_THREADS: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = freshDir("ratio-resume-cli-");
const model = path.join(dir, "m");
const data = path.join(dir, "data.txt");
const LINES = ["abc", "cba", "aabbcc", "ccbbaa", "abcabc"];
/** settings that differ from every default, so "not given on resume" is observable */
const COMMON = ["--batch-size", "4", "--lr", "0.01", "--warmup", "1", "--seed", "5", "--weight-decay", "0.05", "--max-grad-norm", "0.5", "--schedule", "linear"];
const stateOf = (d: string) => JSON.parse(readFileSync(path.join(d, TRAINER_STATE_DIR, STATE_FILE), "utf8"));
const weights = (d: string) => readFileSync(path.join(d, "model.safetensors"));
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let copies = 0;
/** A fresh copy of the run stopped at step 2 of 4. */
function stopped(): string {
  const d = path.join(dir, `copy-${copies++}`);
  cpSync(path.join(dir, "part"), d, { recursive: true });
  return d;
}

/** The one-line error of a failed command. */
function fails(r: { code: number | null; stderr: string }): string {
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  return r.stderr.trim();
}

describe("train-lm --resume", () => {
  it("saves the run's settings; a bare --resume takes them all and matches the uninterrupted run", () => {
    expect(ratio("init", model, "--preset", "tiny", "--vocab", "chars:abc>", "--seed", "3").code).toBe(0);
    writeFileSync(data, LINES.join("\n") + "\n");
    const full = ratio("train-lm", model, "--data", data, "--out", path.join(dir, "full"), "--steps", "4", ...COMMON, "--json");
    expect(full.code, full.stderr).toBe(0);
    const part = ratio("train-lm", model, "--data", data, "--out", path.join(dir, "part"), "--steps", "4", "--stop-after", "2", ...COMMON, "--json");
    expect(part.code, part.stderr).toBe(0);
    const state = stateOf(path.join(dir, "part"));
    expect(state.step).toBe(2);
    expect(state.data.settings).toEqual({
      steps: 4, "batch-size": 4, "micro-batch-size": null, data, "data-sha256": sha(data), schedule: "linear", lr: 0.01, warmup: 1,
      "weight-decay": 0.05, "max-grad-norm": 0.5, seed: 5, objective: "sft", aggregation: "token-mean",
    });
    expect(state.data.changes).toEqual([]);

    const d = stopped();
    const res = ratio("train-lm", model, "--out", d, "--resume", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ steps: 4, resumed_from: 2, changes: [] });
    expect(weights(d).equals(weights(path.join(dir, "full")))).toBe(true);
    // the same values given again are fine too
    const again = stopped();
    expect(ratio("train-lm", model, "--out", again, "--resume", "--data", data, "--steps", "4", ...COMMON).code).toBe(0);
    expect(weights(again).equals(weights(path.join(dir, "full")))).toBe(true);
  });

  it("a missing or corrupt optimizer state is an error naming the file, not a restart at step 0", () => {
    const d = stopped();
    const file = path.join(d, TRAINER_STATE_DIR, OPTIMIZER_FILE);
    truncateSync(file, readFileSync(file).length - 4);
    expect(fails(ratio("train-lm", model, "--out", d, "--resume"))).toContain(file);
    rmSync(file);
    expect(fails(ratio("train-lm", model, "--out", d, "--resume"))).toBe(`ratio: ${file}: missing; --resume needs the optimizer state (start a new run from these weights without --resume)`);
    expect(stateOf(d).step).toBe(2);
  });

  it("a different value is an error naming the flag, the saved value and the new one", () => {
    const d = stopped();
    const before = weights(d);
    expect(fails(ratio("train-lm", model, "--out", d, "--resume", "--lr", "0.02"))).toBe("ratio: --lr: the checkpoint was trained with 0.01, got 0.02; pass --override lr to change it");
    expect(fails(ratio("train-lm", model, "--out", d, "--resume", "--micro-batch-size", "2"))).toBe("ratio: --micro-batch-size: the checkpoint was trained with null, got 2; pass --override micro-batch-size to change it");
    expect(fails(ratio("train-lm", model, "--out", d, "--resume", "--schedule", "warmup-cosine"))).toMatch(/^ratio: --schedule: the checkpoint was trained with "linear", got "warmup-cosine"/);
    const other = path.join(dir, "other.txt");
    writeFileSync(other, [...LINES, "bbb"].join("\n") + "\n");
    expect(fails(ratio("train-lm", model, "--out", d, "--resume", "--data", other))).toBe(`ratio: --data: the checkpoint was trained with ${JSON.stringify(data)}, got ${JSON.stringify(other)}; pass --override data to change it`);
    expect(weights(d).equals(before)).toBe(true);
    expect(stateOf(d).step).toBe(2);
  });

  it("the data file is found by its absolute path from any directory, and the same bytes moved elsewhere are the same data", () => {
    const d = stopped();
    const tsx = pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href; // `--import tsx` resolves from the cwd
    const r = spawnSync(process.execPath, ["--import", tsx, path.join(root, "src/cli/main.ts"), "train-lm", model, "--out", d, "--resume", "--json"], { cwd: dir, encoding: "utf8", env: { ...process.env, RATIO_THREADS: "1" } });
    expect(r.status, r.stderr).toBe(0);
    expect(weights(d).equals(weights(path.join(dir, "full")))).toBe(true);
    const moved = path.join(dir, "moved.txt");
    cpSync(data, moved);
    const e = stopped();
    const m = ratio("train-lm", model, "--out", e, "--resume", "--data", path.relative(root, moved), "--json");
    expect(m.code, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout).changes).toEqual([{ step: 2, setting: "data", from: data, to: moved }]);
    expect(stateOf(e).data.settings.data).toBe(moved);
    expect(weights(e).equals(weights(path.join(dir, "full")))).toBe(true);
  });

  it("--override uses the new value and records the change in the trainer state", () => {
    const d = stopped();
    const r = ratio("train-lm", model, "--out", d, "--resume", "--lr", "0.02", "--steps", "5", "--override", "lr,--steps", "--json");
    expect(r.code, r.stderr).toBe(0);
    const changes = [{ step: 2, setting: "steps", from: 4, to: 5 }, { step: 2, setting: "lr", from: 0.01, to: 0.02 }];
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 5, resumed_from: 2, changes });
    const state = stateOf(d);
    expect(state.step).toBe(5);
    expect(state.data.settings).toMatchObject({ lr: 0.02, steps: 5, "batch-size": 4, seed: 5 });
    expect(state.data.changes).toEqual(changes);
    expect(state.data.lr_schedule).toMatchObject({ type: "linear", lr: 0.02, totalSteps: 5 });
    // a later resume keeps the history and takes the new values
    const more = ratio("train-lm", model, "--out", d, "--resume", "--steps", "6", "--override", "steps", "--json");
    expect(more.code, more.stderr).toBe(0);
    expect(stateOf(d).data.changes).toEqual([...changes, { step: 5, setting: "steps", from: 5, to: 6 }]);
  });

  it("an edited data file is an error unless --override data", () => {
    const d = stopped();
    const edited = path.join(dir, "edited.txt");
    writeFileSync(edited, LINES.join("\n") + "\n");
    const state = stateOf(d);
    state.data.settings.data = edited;
    writeFileSync(path.join(d, TRAINER_STATE_DIR, STATE_FILE), JSON.stringify(state));
    writeFileSync(edited, [...LINES, "bbb"].join("\n") + "\n");
    expect(fails(ratio("train-lm", model, "--out", d, "--resume"))).toBe(
      `ratio: --data: ${edited} is not the file the checkpoint was trained on (sha256 ${sha(data).slice(0, 12)}… then, ${sha(edited).slice(0, 12)}… now); pass --override data to train on it`,
    );
    const r = ratio("train-lm", model, "--out", d, "--resume", "--override", "data", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([{ step: 2, setting: "data-sha256", from: sha(data), to: sha(edited) }]);
  });

  it("bad --override names, --override without --resume, and a state without saved settings are errors", () => {
    const d = stopped();
    expect(fails(ratio("train-lm", model, "--out", d, "--resume", "--override", "lr,colour"))).toMatch(/^ratio: --override: unknown setting "colour" \(expected one of steps, batch-size/);
    expect(fails(ratio("train-lm", model, "--data", data, "--out", path.join(dir, "new"), "--override", "lr"))).toBe("ratio: --override applies only with --resume");
    expect(fails(ratio("train-lm", model, "--out", path.join(dir, "new")))).toBe("ratio: --data <file> is required (unless --resume)");
    const file = path.join(d, TRAINER_STATE_DIR, STATE_FILE);
    writeFileSync(file, JSON.stringify({ step: 2, data: { seed: 5 } }));
    expect(fails(ratio("train-lm", model, "--out", d, "--resume"))).toMatch(new RegExp(`^ratio: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: no saved train-lm settings`));
  });
});
