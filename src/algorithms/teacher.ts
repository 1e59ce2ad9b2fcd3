// Distillation's sampler: a teacher model behind any OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp,
// `ratio serve`) writes the reasoning traces a student is fine-tuned on — the recipe of DeepSeek-R1's distilled
// models and s1: sample the teacher on the task's prompts, keep the traces whose answers verify, SFT the student.
// Rejection sampling's filter then keeps the correct ones (rejection-sampling.ts, option `teacher`).
// Traces are scored by the task exactly as the student's own rollouts are; the teacher's tokens are counted by the
// server (`usage`), since the student's tokenizer is not the teacher's.
import { z } from "zod";
import { OpenAIBackend } from "../backends/openai.js";
import type { Backend, CompletionChoice } from "../backends/types.js";
import { TaskScorer } from "../tasks/scorer.js";
import type { Example, PromptTemplate, Score, Task } from "../tasks/types.js";

export const teacherOptionsSchema = z.strictObject({
  base_url: z.union([z.string(), z.array(z.string()).min(1)]).describe("the teacher's OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (a list shares the load)"),
  model: z.string().min(1).describe("the served model's name (GET /v1/models lists it)"),
  api_key_env: z.string().nullable().default(null).describe("environment variable holding the API key; null: OPENAI_API_KEY when set, else none"),
  chat: z.boolean().default(false).describe("send each prompt as one user message to /v1/chat/completions (instruction-tuned teachers); false: /v1/completions with the raw prompt"),
  max_concurrency: z.number().int().positive().default(8).describe("requests in flight per base URL"),
  timeout_ms: z.number().int().positive().default(600_000).describe("time limit per request attempt"),
  retries: z.number().int().nonnegative().default(3).describe("retries on 429 / 5xx / timeouts / refused connections, with backoff"),
});

export type TeacherOptions = z.output<typeof teacherOptionsSchema>;

/** A scored teacher sample: what rejection sampling keeps and writes. */
export interface TeacherSample {
  example: Example;
  problemIndex: number;
  sampleIndex: number;
  prompt: string;
  completion: string;
  /** completion tokens as the server counted them; null when it did not say */
  tokens: number | null;
  finishReason: "stop" | "length";
  truncated: boolean;
  score: Score;
}

export interface TeacherSampling {
  n: number;
  temperature: number;
  topP?: number;
  maxTokens: number;
  seed: number;
  template?: PromptTemplate;
  /** math: verifier worker threads and time limit per check */
  scoreWorkers?: number;
  scoreTimeoutMs?: number;
}

export const teacherURLs = (t: TeacherOptions): string[] => (typeof t.base_url === "string" ? [t.base_url] : t.base_url);

/** The teacher as it appears in lineage and messages (never the key). */
export const teacherName = (t: TeacherOptions): string => `openai:${t.model}@${teacherURLs(t).join(",")}`;

export function teacherBackend(t: TeacherOptions): OpenAIBackend {
  return new OpenAIBackend({
    baseURLs: teacherURLs(t), model: t.model, apiKeyEnv: t.api_key_env ?? undefined, maxConcurrency: t.max_concurrency, timeoutMs: t.timeout_ms, retries: t.retries,
  });
}

/**
 * n samples per problem from the teacher, each scored by the task. One request per prompt (the backend bounds how
 * many are in flight); prompt p asks with seed `seed + p·n` so servers that honour seeds (vLLM) repeat a run.
 */
export async function teacherRollout(backend: Backend, chat: boolean, task: Task, examples: readonly Example[], o: TeacherSampling): Promise<TeacherSample[]> {
  const prompts = examples.map((e) => task.prompt(e, o.template));
  const chatWith = backend.chat?.bind(backend);
  if (chat && !chatWith) throw new Error(`${backend.name}: this backend has no chat API (teacher.chat: false sends raw prompts)`);
  const request = { n: o.n, temperature: o.temperature, topP: o.topP, maxTokens: o.maxTokens };
  const perPrompt: CompletionChoice[][] = await Promise.all(prompts.map(async (prompt, p) => {
    const seed = o.seed + p * o.n;
    const r = chat && chatWith ? await chatWith({ ...request, seed, messages: [{ role: "user", content: prompt }] }) : await backend.complete({ ...request, seed, prompt });
    return r.choices.map((c) => ({ ...c, promptIndex: p }));
  }));
  const choices = perPrompt.flat();
  const scores = await TaskScorer.scoreOnce(task as Task as Parameters<typeof TaskScorer.create>[0], choices.map((c) => ({ completion: c.text, example: examples[c.promptIndex] })), {
    workers: o.scoreWorkers, timeoutMs: o.scoreTimeoutMs,
  });
  return choices.map((c, i) => ({
    example: examples[c.promptIndex], problemIndex: c.promptIndex, sampleIndex: c.sampleIndex, prompt: prompts[c.promptIndex], completion: c.text,
    tokens: c.tokens, finishReason: c.finishReason, truncated: c.finishReason === "length", score: scores[i],
  }));
}
