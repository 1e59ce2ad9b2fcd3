// `ratio init --special-tokens`: multi-character special tokens get one id each.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CharTokenizer } from "../../src/model/tokenizer.js";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, RATIO_THREADS: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ratio init --special-tokens", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ratio-init-"));

  it("adds each special token as one id, so <think> encodes to one token", () => {
    const model = path.join(dir, "r1");
    const r = ratio("init", model, "--vocab", "chars:abc", "--special-tokens", "<think>, </think>", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ vocab_size: 8, special_tokens: ["<think>", "</think>"] });
    const tok = CharTokenizer.fromJSON(JSON.parse(readFileSync(path.join(model, "tokenizer.json"), "utf8")) as Record<string, unknown>);
    expect(tok.encode("<think>ab</think>c")).toHaveLength(5);
    expect(tok.decode(tok.encode("<think>ab</think>c"))).toBe("<think>ab</think>c");
  });

  it("rejects an empty, repeated or built-in token with one line", () => {
    for (const [list, message] of [
      ["<think>,,x", /empty token/],
      ["<a>,<a>", /"<a>" is listed twice/],
      ["<eos>", /"<eos>" is a built-in special token/],
    ] as const) {
      const r = ratio("init", path.join(dir, "bad"), "--special-tokens", list);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
