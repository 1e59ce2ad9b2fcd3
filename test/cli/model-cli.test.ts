// `ratio init | info | sample | logprobs | serve` on bad input: one line on stderr naming the flag or file and what
// was expected, a non-zero exit code, nothing on stdout.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function ratio(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, env: { ...process.env, RATIO_THREADS: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(path.join(tmpdir(), "ratio-model-cli-"));
const model = path.join(dir, "toy");

beforeAll(async () => {
  const r = await ratio("init", model, "--vocab", "chars:0123456789+= ");
  expect(r.code, r.stderr).toBe(0);
}, 30_000);

function expectOneLineError(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stderr.trim().split("\n").filter((l) => !l.startsWith("(run with --help"))).toHaveLength(1);
}

describe("bad input to the model commands", () => {
  it("sample: --prompt is required; text outside the vocabulary names --prompt; too many tokens name --max-tokens; --top-p 0 is out of range", async () => {
    const [missing, unencodable, long, ok, topP] = await Promise.all([
      ratio("sample", model),
      ratio("sample", model, "--prompt", "1+x"),
      ratio("sample", model, "--prompt", "1+2=", "--max-tokens", "124"),
      ratio("sample", model, "--prompt", "1+2=", "--max-tokens", "123", "--json"),
      ratio("sample", model, "--prompt", "1+2=", "--top-p", "0"),
    ]);
    expectOneLineError(missing, /required option '--prompt <text>' not specified/);
    expectOneLineError(unencodable, /^ratio: --prompt "1\+x": .*"x".* not in the alphabet/);
    expectOneLineError(long, /^ratio: --max-tokens 124: prompt 0 has 5 tokens, .* context of 128/);
    expectOneLineError(topP, /--top-p expects a number in \(0, 1\], got "0"/);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ prompt: "1+2=", index: 0 });
  }, 60_000);

  it("logprobs names --text and init names --vocab for text the tokenizer cannot take", async () => {
    const [text, vocab, empty] = await Promise.all([
      ratio("logprobs", model, "--text", "12ab"),
      ratio("init", path.join(dir, "empty-vocab"), "--vocab", "chars:"),
      ratio("logprobs", model, "--text", "", "--no-bos"),
    ]);
    expectOneLineError(empty, /^ratio: --text: empty/);
    expectOneLineError(text, /^ratio: --text: .*"a".* not in the alphabet/);
    expectOneLineError(vocab, /^ratio: --vocab: .*empty alphabet/);
  }, 60_000);

  it("init --force and train-lm --out never replace a directory that is not a checkpoint", async () => {
    const other = path.join(dir, "not-a-model");
    mkdirSync(other);
    writeFileSync(path.join(other, "notes.txt"), "keep me");
    writeFileSync(path.join(dir, "data.txt"), "1+2=3\n");
    const [init, train, emptyDir] = await Promise.all([
      ratio("init", other, "--force"),
      ratio("train-lm", model, "--data", path.join(dir, "data.txt"), "--steps", "1", "--out", other),
      (async () => { mkdirSync(path.join(dir, "empty")); return ratio("init", path.join(dir, "empty"), "--force", "--json"); })(),
    ]);
    expectOneLineError(init, /not-a-model: is not a checkpoint directory \(no config\.json\); saving would replace it and delete its files/);
    expectOneLineError(train, /^ratio: --out .*not-a-model: is not a checkpoint directory/);
    expect(readdirSync(other)).toEqual(["notes.txt"]);
    expect(readFileSync(path.join(other, "notes.txt"), "utf8")).toBe("keep me");
    expect(emptyDir.code, emptyDir.stderr).toBe(0); // an empty directory, or a checkpoint, may be replaced
    expect((await ratio("init", model, "--force", "--vocab", "chars:0123456789+= ")).code).toBe(0);
  }, 60_000);

  it("a corrupt JSON file of a checkpoint is named, with the whole parse error on one line", async () => {
    const gen = path.join(dir, "bad-generation-config");
    cpSync(model, gen, { recursive: true });
    writeFileSync(path.join(gen, "generation_config.json"), "x\n");
    const tcfg = path.join(dir, "bad-tokenizer-config");
    cpSync(model, tcfg, { recursive: true });
    writeFileSync(path.join(tcfg, "tokenizer_config.json"), "{\"chat_template\": ");
    const [info, serve, port] = await Promise.all([
      ratio("info", gen),
      ratio("serve", tcfg, "--port", "0"),
      ratio("serve", model, "--port", "70000"),
    ]);
    expectOneLineError(info, /generation_config\.json: invalid JSON \(.*is not valid JSON\)$/m);
    expectOneLineError(serve, /tokenizer_config\.json: invalid JSON \(Unexpected end of JSON input\)/);
    expectOneLineError(port, /--port expects an integer in \[0, 65535\], got "70000"/);
  }, 60_000);
});
