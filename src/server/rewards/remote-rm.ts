// The reward service behind `ratio reward-server`: OpenRLHF's remote reward API (openrlhf/utils/agent.py and
// openrlhf/cli/serve_rm.py; the trainer's `--reward.remote_url`, formerly `--remote_rm_url`):
//   request:  {"query": [prompt+response, decoded with special tokens], "prompts": [prompt], "labels": [label]}
//   response: {"rewards": [float], "scores": [float in 0..1, used for dynamic filtering], "extra_logs": {"name": [float]}}
// Each response is the query after its prompt, with trailing end-of-sequence and padding tokens removed; the label
// is the gold answer (a string) or a dataset record (a JSON object, or a string holding one) read through a dataset
// preset, so the verifier sees exactly what `ratio eval --data` would. Scoring goes through TaskScorer: math checks
// run in worker threads with a time limit per check, so one pathological answer cannot stall the trainer.
import { z } from "zod";
import type { Tokenizer } from "../../model/tokenizer.js";
import { composeRewards } from "../../rewards/compose.js";
import { buildRewardSpecs, type RewardConfig } from "../../rewards/registry.js";
import type { RewardInput } from "../../rewards/types.js";
import { DatasetError } from "../../tasks/loaders/fields.js";
import { PRESETS, type DatasetPreset } from "../../tasks/loaders/presets.js";
import type { CountdownPreset } from "../../tasks/countdown/rules.js";
import { TaskScorer } from "../../tasks/scorer.js";
import type { Example, Score } from "../../tasks/types.js";

/** End-of-sequence and padding tokens of common chat models, removed from the end of each response. */
export const DEFAULT_STRIP_TOKENS: readonly string[] = ["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "</s>", "<｜end▁of▁sentence｜>", "<pad>"];

const label = z.union([z.string(), z.number(), z.record(z.string(), z.unknown())]);
export const remoteRewardRequestSchema = z.looseObject({
  query: z.array(z.string()).min(1),
  prompts: z.array(z.string()).optional(),
  labels: z.array(label),
});
export type RemoteRewardRequest = z.infer<typeof remoteRewardRequestSchema>;

export interface RemoteRewardResponse {
  rewards: number[];
  /** 1 for a correct answer, else 0 (OpenRLHF's dynamic filtering reads these) */
  scores: number[];
  /** per sample: correct (0/1), prompt_found (0/1: the query began with its prompt) */
  extra_logs: Record<string, number[]>;
}

export interface RewardServiceOptions {
  /** how labels are read (and which task scores): plain (math answers), gsm8k, math, commonsenseqa, countdown */
  preset?: DatasetPreset;
  /** rules of the countdown preset (default tinyzero) */
  countdownPreset?: CountdownPreset;
  /** logical field → path in a label record, over the preset's own (e.g. { numbers: "numbers" } for verl's Countdown) */
  fields?: Record<string, string>;
  /** removed from the end of each response, repeatedly (default DEFAULT_STRIP_TOKENS) */
  stripTokens?: readonly string[];
  /** math: verifier worker threads (default 2) and time limit per check in ms (default 5000) */
  workers?: number;
  timeoutMs?: number;
  /** rewards of the registry, weighted and summed (as a GRPO config's `rewards:`); absent: the task's own reward */
  rewards?: readonly RewardConfig[];
  /** the policy's tokenizer: token counts (and ids) for length and repetition rewards */
  tokenizer?: Tokenizer;
  /** L_max of length rewards that take it from the run (cosine's T, overlong's L_max) */
  maxTokens?: number;
}

type Composed = ReturnType<typeof composeRewards>;

/**
 * The composed reward, checked once on a probe sample: a reward that needs token counts without a tokenizer, or a
 * length without maxTokens, is refused at start, naming the reward, instead of failing every request.
 */
function composedReward(o: RewardServiceOptions): Composed | null {
  if (!o.rewards || o.rewards.length === 0) return null;
  const fn = composeRewards(buildRewardSpecs(o.rewards));
  const probe: RewardInput = {
    completion: "<think>a</think><answer>1</answer>", correct: true, score: { correct: true, reward: 1, extracted: "1" },
    tokens: { response: o.tokenizer ? 8 : Number.NaN, thinking: o.tokenizer ? 1 : Number.NaN }, tokenIds: o.tokenizer ? [1, 2, 3] : undefined, maxTokens: o.maxTokens,
  };
  let total: number;
  try {
    total = fn(probe).total;
  } catch (e) {
    const message = (e as Error).message;
    const hint = o.maxTokens === undefined && /maxTokens/.test(message)
      ? " (give L_max with --max-tokens <n>)"
      : o.tokenizer ? "" : " (length and token rewards need the policy's tokenizer: --tokenizer <dir>)";
    throw new Error(`rewards: ${message}${hint}`);
  }
  if (!Number.isFinite(total)) throw new Error(`rewards: a reward reads token counts; give the policy's tokenizer for them (--tokenizer <dir>)`);
  return fn;
}

/** Tokens inside the first <think>…</think> (or before a lone </think>), for rewards that count thinking. */
function thinkingText(completion: string): string {
  const end = completion.indexOf("</think>");
  if (end < 0) return "";
  const start = completion.lastIndexOf("<think>", end);
  return completion.slice(start < 0 ? 0 : start + "<think>".length, end);
}

/** A request the service cannot read: the message names the field (`labels[3]`). */
export class RewardRequestError extends Error {
  override name = "RewardRequestError";
  constructor(message: string, readonly param: string | null) {
    super(message);
  }
}

/** The response part of a query: what follows its prompt (found = false when the query does not start with it). */
export function splitResponse(query: string, prompt: string | undefined): { response: string; found: boolean } {
  if (prompt === undefined || prompt === "") return { response: query, found: prompt === "" };
  if (query.startsWith(prompt)) return { response: query.slice(prompt.length), found: true };
  const at = query.indexOf(prompt);
  return at >= 0 ? { response: query.slice(at + prompt.length), found: true } : { response: query, found: false };
}

/** Removes the strip tokens (and whitespace between them) from the end of a response. */
export function stripTrailing(response: string, tokens: readonly string[]): string {
  let s = response;
  for (let changed = true; changed; ) {
    changed = false;
    const t = s.trimEnd();
    for (const tok of tokens) {
      if (tok !== "" && t.endsWith(tok)) {
        s = t.slice(0, t.length - tok.length);
        changed = true;
      }
    }
  }
  return s;
}

export class RewardService {
  private constructor(
    private readonly preset: DatasetPreset,
    private readonly countdownPreset: CountdownPreset,
    private readonly strip: readonly string[],
    private readonly scorer: TaskScorer,
    private readonly fields: Record<string, string>,
    private readonly composed: Composed | null,
    private readonly o: RewardServiceOptions,
  ) {}

  static create(o: RewardServiceOptions = {}): RewardService {
    const preset = o.preset ?? "plain";
    if (!Object.hasOwn(PRESETS, preset)) throw new Error(`unknown preset "${preset}" (expected one of: ${Object.keys(PRESETS).join(", ")})`);
    return new RewardService(preset, o.countdownPreset ?? "tinyzero", o.stripTokens ?? DEFAULT_STRIP_TOKENS, TaskScorer.create(PRESETS[preset].task, { workers: o.workers, timeoutMs: o.timeoutMs }), o.fields ?? {}, composedReward(o), o);
  }

  /** The task that scores (math, multiple-choice or countdown). */
  get task(): string {
    return PRESETS[this.preset].task;
  }

  /** Validates a request body; errors name the field. */
  parse(body: unknown): RemoteRewardRequest {
    const r = remoteRewardRequestSchema.safeParse(body);
    if (!r.success) {
      const i = r.error.issues[0];
      const param = i.path.map((p, k) => (typeof p === "number" ? `[${p}]` : `${k ? "." : ""}${String(p)}`)).join("") || null;
      throw new RewardRequestError(`${param ?? "body"}: ${i.message} (expected {"query": [string], "prompts": [string], "labels": [string or object]})`, param);
    }
    const { query, prompts, labels } = r.data;
    if (labels.length !== query.length) throw new RewardRequestError(`labels: ${labels.length} labels for ${query.length} queries`, "labels");
    if (prompts && prompts.length !== query.length) throw new RewardRequestError(`prompts: ${prompts.length} prompts for ${query.length} queries`, "prompts");
    return r.data;
  }

  /** The example a label stands for: a string gold answer (the plain preset) or a record of the service's preset. */
  example(lab: RemoteRewardRequest["labels"][number], prompt: string, i: number): Example {
    let record: Record<string, unknown>;
    let preset = this.preset;
    const text = typeof lab === "number" ? String(lab) : lab;
    if (typeof text === "string") {
      const t = text.trim();
      if (t.startsWith("{")) {
        try {
          record = JSON.parse(t) as Record<string, unknown>;
        } catch {
          throw new RewardRequestError(`labels[${i}]: starts with "{" but is not valid JSON`, `labels[${i}]`);
        }
      } else {
        if (preset === "countdown" || preset === "commonsenseqa") throw new RewardRequestError(`labels[${i}]: the ${preset} preset needs a record (a JSON object), got the string ${JSON.stringify(text.slice(0, 40))}`, `labels[${i}]`);
        record = { question: prompt, answer: text };
        preset = "plain";
      }
    } else {
      record = text;
    }
    const spec = PRESETS[preset];
    try {
      return spec.build(record, { where: `labels[${i}]`, paths: { ...spec.fields, id: "id", ...(preset === this.preset ? this.fields : {}) }, id: String(i), countdownPreset: this.countdownPreset });
    } catch (e) {
      if (e instanceof DatasetError) throw new RewardRequestError(e.message, `labels[${i}]`);
      throw e;
    }
  }

  /** Scores every (query, label) of a request. */
  async score(req: RemoteRewardRequest): Promise<RemoteRewardResponse> {
    const items = req.query.map((q, i) => {
      const prompt = req.prompts?.[i];
      const { response, found } = splitResponse(q, prompt);
      return { completion: stripTrailing(response, this.strip), example: this.example(req.labels[i], prompt ?? "", i), found };
    });
    const scores: Score[] = await this.scorer.scoreBatch(items);
    const extra: Record<string, number[]> = { correct: scores.map((s) => (s.correct ? 1 : 0)), prompt_found: items.map((x) => (x.found ? 1 : 0)) };
    let rewards = scores.map((s) => s.reward);
    if (this.composed) {
      const parts = items.map((it, i) => this.composed!(this.rewardInput(it.completion, it.example, scores[i])));
      rewards = parts.map((p) => p.total);
      for (const name of Object.keys(parts[0]?.parts ?? {})) extra[`reward/${name}`] = parts.map((p) => p.parts[name]);
    }
    return { rewards, scores: scores.map((s) => (s.correct ? 1 : 0)), extra_logs: extra };
  }

  private rewardInput(completion: string, example: Example, score: Score): RewardInput {
    const tk = this.o.tokenizer;
    const ids = tk?.encode(completion);
    return {
      completion, example, score, correct: score.correct, maxTokens: this.o.maxTokens, tokenIds: ids,
      tokens: ids && tk ? { response: ids.length, thinking: tk.encode(thinkingText(completion)).length } : { response: Number.NaN },
    };
  }

  close(): Promise<void> {
    return this.scorer.close();
  }
}
