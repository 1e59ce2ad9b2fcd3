// End-to-end tests of `ratio analyze behaviors`: per-step aggregation of a run's samples.jsonl, the judge through an
// OpenAI-compatible server (a scripted one in this process), --labels, and one-line errors for bad input.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, env: { ...process.env, OPENAI_API_KEY: "test" } });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), "ratio-analyze-"));
const samples = path.join(dir, "samples.jsonl");
const rows = [
  { stage: "grpo", step: 1, prompt: "Using the numbers [25, 37, 15], create an equation that equals 47.", completion: "25 + 37 = 62. 62 - 15 = 47." },
  { stage: "grpo", step: 1, prompt: "Using the numbers [25, 37, 15], create an equation that equals 47.", completion: "25+37=62, that's not 47. Let's go back: 62-15=47, which equals the target." },
  { stage: "grpo", step: 2, prompt: "Using the numbers [3, 8], create an equation that equals 24.", completion: "Working backwards from 24, 24 = 3 * 8. Let me check: 3 * 8 = 24. Correct." },
];
writeFileSync(samples, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");

let server: Server;
let baseUrl = "";
const judged: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const content: string = JSON.parse(body).messages[0].content;
      judged.push(content);
      // the judge sees one verification in every trace, and answers the backtracking prompt without a count
      const answer = content.includes("answer-verification") ? "<count>1</count>" : content.includes("backtracking") ? "I cannot tell." : "<count>0</count>";
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model: "judge", choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }], usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("ratio analyze behaviors", () => {
  it("aggregates a run's samples per (stage, step), runs the judge and reports agreement and failures", async () => {
    const out = path.join(dir, "report.json");
    const r = await ratio(["analyze", "behaviors", "--input", samples, "--judge-backend", "openai", "--base-url", baseUrl, "--model", "judge", "--concurrency", "2", "--out", out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(report);
    expect(report.traces).toBe(3);
    expect(report.samples.map((s: { rules: Record<string, number> }) => s.rules.verification)).toEqual([0, 2, 2]);
    expect(report.samples[1].spans.map((s: { text: string }) => s.text)).toEqual(["not 47", "go back", "equals the target"]);
    expect(report.byStep.map((s: { stage: string; step: number; rules: { traces: number; frequency: Record<string, number>; meanCount: Record<string, number> } }) =>
      [s.stage, s.step, s.rules.traces, s.rules.frequency.verification, s.rules.meanCount.verification, s.rules.frequency.backward_chaining])).toEqual([["grpo", 1, 2, 0.5, 1, 0], ["grpo", 2, 1, 1, 2, 1]]);
    expect(report.judge).toMatchObject({ requests: 12, parseFailures: 3, backendFailures: 0 });
    expect(report.samples.every((s: { judgePrompts: string }) => s.judgePrompts === "countdown")).toBe(true);
    expect(judged.some((p) => p.includes("[25, 37, 15]") && p.includes("target number 47"))).toBe(true);
    const verification = report.agreement.find((a: { behavior: string }) => a.behavior === "verification");
    expect(verification).toMatchObject({ both: 2, onlyA: 0, onlyB: 1, neither: 0 });
    expect(report.byStep[0].judge.frequency.verification).toBe(1);
  });

  it("prints tables, scores hand labels, and names the file and line of bad input", async () => {
    const badJson = path.join(dir, "bad.jsonl"), noField = path.join(dir, "no-field.jsonl");
    writeFileSync(badJson, `${JSON.stringify({ completion: "ok" })}\n{not json\n`);
    writeFileSync(noField, `${JSON.stringify({ answer: 3 })}\n`);
    // independent runs, in parallel
    const [text, r1, r2, r3] = await Promise.all([
      ratio(["analyze", "behaviors", "--input", path.join(root, "test/fixtures/behaviors/labelled.jsonl"), "--labels"]),
      ratio(["analyze", "behaviors", "--input", badJson]),
      ratio(["analyze", "behaviors", "--input", noField, "--field", "completion"]),
      ratio(["analyze", "behaviors", "--input", samples, "--model", "x"]),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Rules vs hand labels, all \d+ traces/);
    expect(text.stdout).toMatch(/Split "heldout-3"/);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/bad\.jsonl:2: not valid JSON/);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/no-field\.jsonl:1: missing field "completion" \(the row has answer\)/);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/--judge-backend/);
  });

  it("names --input that is a directory and --out whose directory is a file; creates --out's directories", async () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "x");
    const out = path.join(dir, "new", "report.json");
    const [isDir, blocked, created] = await Promise.all([
      ratio(["analyze", "behaviors", "--input", dir]),
      ratio(["analyze", "behaviors", "--input", samples, "--out", path.join(file, "r.json")]),
      ratio(["analyze", "behaviors", "--input", samples, "--out", out]),
    ]);
    expect(isDir.code).toBe(1);
    expect(isDir.stderr).toBe(`ratio: --input ${dir}: is a directory, expected a JSONL file\n`);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toBe(`ratio: --out ${path.join(file, "r.json")}: ${file} is a file, not a directory\n`);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).traces).toBe(3);
  });
});
