// Distillation: rejection sampling from a teacher on an OpenAI-compatible server (a scripted one on 127.0.0.1 that
// writes the gold scratchpad for even seeds and a wrong one for odd seeds), through the official client. The kept
// traces are exactly the correct ones, with the teacher in the lineage; chat mode sends one user message; an
// unreachable teacher fails the stage with a message naming it; a pipeline SFTs a student on the teacher's traces.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRejectionSampling } from "../../src/algorithms/rejection-sampling.js";
import { drawProblems } from "../../src/algorithms/task-problems.js";
import { parsePipeline, runPipeline } from "../../src/pipeline/index.js";
import { readDataset, RunDir, quietContext } from "../../src/run/index.js";
import { additionScratchpad, additionTask } from "../../src/tasks/addition.js";
import { getTask } from "../../src/tasks/registry.js";
import { freshDir } from "../fixtures/tmp.js";
import { tinyPipeline } from "../pipeline/tiny-pipeline.js";

const TASK_OPTIONS = { minDigits: 1, maxDigits: 1 };
const SEED = 3;
const problems = drawProblems(getTask("addition"), { seed: SEED, offset: 0, count: 4, taskOptions: TASK_OPTIONS });
const WRONG = "<scratch>\n1 + 1 , C: 0\n, 9 C: 0\n0 9\n</scratch>\n9 9";

/** The scripted teacher: the prompt's gold scratchpad when the request's seed is even, a wrong one when odd. */
function answer(prompt: string, seed: number): string {
  const m = /^Input:\n([\d ]+) \+ ([\d ]+)\nTarget:\n$/.exec(prompt);
  return m && seed % 2 === 0 ? additionScratchpad(Number(m[1].replace(/ /g, "")), Number(m[2].replace(/ /g, ""))) : WRONG;
}

let server: Server;
let url = "";
const requests: Record<string, unknown>[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => { data += c; });
    req.on("end", () => {
      const body = JSON.parse(data) as Record<string, unknown>;
      requests.push({ ...body, path: req.url });
      const chat = req.url === "/v1/chat/completions";
      const prompt = chat ? (body.messages as { content: string }[])[0].content : (body.prompt as string);
      const text = answer(prompt, body.seed as number);
      const choice = chat ? { index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" } : { index: 0, text, finish_reason: "stop", logprobs: null };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "x", object: chat ? "chat.completion" : "text_completion", created: 0, model: "teacher", choices: [choice], usage: { prompt_tokens: 10, completion_tokens: text.length } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

const unused = { checkpoint: "/nonexistent" };
const base = { task_options: TASK_OPTIONS, problems: 4, problem_seed: SEED, samples_per_prompt: 4, temperature: 0.7, max_completion_length: 80 };

describe("rejection sampling from a teacher (distillation)", () => {
  it("keeps exactly the teacher's correct traces, with the teacher in the lineage and the manifest", async () => {
    requests.length = 0;
    const run = RunDir.open(path.join(freshDir(), "run"), { seed: 4 });
    const r = await runRejectionSampling(quietContext(run, "teacher", 4), unused, { ...base, teacher: { base_url: url, model: "teacher" } });
    const { rows, lineage } = readDataset(r.dataset!);
    // per prompt p the backend asks n requests of n = 1 with seeds 4 + 4p + i: two even, two odd → 2 gold, deduped to 1
    expect(requests).toHaveLength(16);
    expect(requests.every((q) => q.path === "/v1/completions" && q.model === "teacher" && q.n === 1 && q.temperature === 0.7 && q.max_tokens === 80)).toBe(true);
    expect(rows.map((x) => x.completion)).toEqual(problems.map((e) => additionTask.rationale!(e)));
    expect(rows.map((x) => x.prompt)).toEqual(problems.map((e) => additionTask.prompt(e)));
    expect(rows[0].tokens).toBe(additionTask.rationale!(problems[0]).length); // the server's usage count
    expect(r.summary).toMatchObject({ problems: 4, samples: 16, correct: 8, kept: 4, accuracy: 0.5, coverage: 1 });
    expect(lineage).toMatchObject({ stage: "teacher", teacher: { base_url: [url], model: "teacher", chat: false }, seed: 4, problems: 4, rows: 4 });
    expect(lineage).not.toHaveProperty("sourceCheckpoint");
    expect(run.stage("teacher")).toMatchObject({ kind: "rejection_sampling", status: "complete", inputs: { teacher: `openai:teacher@${url}` } });

    const all = await runRejectionSampling(quietContext(run, "teacher-all", 4), unused, { ...base, dedupe: false, teacher: { base_url: url, model: "teacher" } });
    expect(readDataset(all.dataset!).rows).toHaveLength(8);
  });

  it("chat: true sends each prompt as one user message", async () => {
    requests.length = 0;
    const run = RunDir.open(path.join(freshDir(), "run"), { seed: 2 });
    const r = await runRejectionSampling(quietContext(run, "chat", 2), unused, { ...base, samples_per_prompt: 1, teacher: { base_url: url, model: "teacher", chat: true } });
    expect(requests.map((q) => q.path)).toEqual(Array(4).fill("/v1/chat/completions"));
    expect(requests[0].messages).toEqual([{ role: "user", content: additionTask.prompt(problems[0]) }]);
    expect(r.summary).toMatchObject({ samples: 4, correct: 2, kept: 2 }); // prompt p asks with seed 2 + p: even, odd, even, odd
  });

  it("an unreachable teacher fails the stage with a message naming it; top_k is refused", async () => {
    const run = RunDir.open(path.join(freshDir(), "run"), { seed: 1 });
    const dead = "http://127.0.0.1:9/v1";
    await expect(runRejectionSampling(quietContext(run, "t", 1), unused, { ...base, teacher: { base_url: dead, model: "m", retries: 0 } })).rejects.toThrow(/127\.0\.0\.1:9\/v1/);
    expect(run.stage("t")).toMatchObject({ status: "failed" });
    await expect(runRejectionSampling(quietContext(run, "k", 1), unused, { ...base, top_k: 5, teacher: { base_url: url, model: "m" } })).rejects.toThrow(/top_k/);
  });

  it("a pipeline distills: the teacher's traces, then SFT of a fresh student on them", async () => {
    const yaml = `${tinyPipeline("distill", 7)}  - name: traces
    type: rejection_sampling
    task: add
    problems: 24
    samples_per_prompt: 2
    temperature: 0.7
    max_completion_length: 80
    teacher: { base_url: ${url}, model: teacher }
  - name: student
    type: sft
    data: traces
    steps: 3
    batch_size: 4
`;
    const out = path.join(freshDir(), "run");
    await runPipeline(parsePipeline(yaml, "distill.yaml"), { out, threads: 1 });
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")) as { status: string; stages: { name: string; inputs: Record<string, string> }[] };
    expect(manifest.status).toBe("complete");
    expect(manifest.stages.find((x) => x.name === "traces")?.inputs).toEqual({ teacher: `openai:teacher@${url}`, task: "add (addition)" });
    const kept = readDataset(path.join(out, "datasets/traces/kept.jsonl")).rows;
    expect(kept.length).toBeGreaterThan(0);
    for (const row of kept) expect(row.completion).not.toBe(WRONG);
    const trained = readFileSync(path.join(out, "metrics.jsonl"), "utf8").split("\n").filter((l) => l.includes('"stage":"student"'));
    expect(trained).toHaveLength(3);
  });
});
