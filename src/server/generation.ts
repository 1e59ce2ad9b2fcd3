// From a validated request to the sequences the scheduler runs: prompts encoded and checked against the vocabulary
// and the context, the token limits and `n` cap applied, one Sequence per (prompt, sample) with its RNG stream,
// stop rules and thinking budget.
import { randomInt } from "node:crypto";
import { validateSampling } from "../sampling/sampler.js";
import { Sequence } from "./engine/sequence.js";
import type { Scheduler } from "./engine/scheduler.js";
import { badRequest, unprocessable } from "./errors.js";
import type { ServedModel } from "./model.js";
import type { SamplingRequest } from "./requests.js";
import type { ThinkingDelimiters } from "../inference/presets.js";
import { DEFAULT_THINKING_EXTENSION, ThinkingBudgetController } from "./thinking-budget.js";

export interface ServeLimits {
  /** samples per prompt at most */
  maxN: number;
  /** sequences decoded together at most (also the most one request may ask for: prompts × n) */
  maxRunning: number;
  /** sequences waiting at most before requests get 503 */
  maxWaiting: number;
  /** request body bytes at most (413 beyond) */
  maxBodyBytes: number;
  /** prompt + max_tokens at most */
  contextLength: number;
}

export interface ServeContext {
  model: ServedModel;
  scheduler: Scheduler;
  limits: ServeLimits;
}

export interface PreparedPrompt {
  ids: number[];
  /** the prompt ends inside an open thinking block */
  openThink: boolean;
}

export interface SequenceOptions {
  /** param name of the prompt in errors ("prompt" or "messages") */
  promptParam: string;
  /** max tokens when the request gives none: a number, or "rest" (the rest of the context) */
  defaultMaxTokens: number | "rest";
  /** stop strings besides the request's (a chat format's end of turn) */
  extraStops?: readonly string[];
  keptStops?: readonly string[];
  /** thinking delimiters (budgets need them) */
  delimiters?: ThinkingDelimiters;
}

/** Token ids of one prompt: text encoded with bos prepended (when the tokenizer has one), ids checked. */
export function encodePrompt(model: ServedModel, prompt: string | readonly number[], param: string): number[] {
  const tok = model.tokenizer;
  let ids: number[];
  if (typeof prompt === "string") {
    try {
      ids = tok.encode(prompt);
    } catch (e) {
      throw unprocessable(`'${param}' cannot be encoded by this model's tokenizer: ${(e as Error).message}`, param, "unencodable_prompt");
    }
    if (tok.bosId !== undefined) ids.unshift(tok.bosId);
  } else {
    ids = [...prompt];
    const V = model.config.vocab_size;
    const bad = ids.find((id) => id >= V);
    if (bad !== undefined) throw unprocessable(`'${param}' holds token id ${bad}, outside this model's vocabulary (0…${V - 1}).`, param, "invalid_token_id");
  }
  if (ids.length === 0) throw badRequest(`'${param}' is empty.`, param, "empty_prompt");
  return ids;
}

/** Whether a prompt ends inside a thinking block (its text ends with the thinking-start delimiter). */
export function opensThinking(model: ServedModel, ids: readonly number[], delimiters: ThinkingDelimiters | undefined): boolean {
  return delimiters !== undefined && model.tokenizer.decode(ids).trimEnd().endsWith(delimiters.thinkStart.trimEnd());
}

/** One sequence per prompt and sample, or a 400/422 ApiError. */
export function makeSequences(ctx: ServeContext, prompts: readonly PreparedPrompt[], req: SamplingRequest, o: SequenceOptions): Sequence[] {
  const { limits, model } = ctx;
  if (req.n > limits.maxN) throw badRequest(`'n' is ${req.n}; this server allows at most ${limits.maxN}.`, "n", "invalid_value");
  if (req.n * prompts.length > limits.maxRunning) {
    throw badRequest(`${prompts.length} prompt(s) × n = ${req.n * prompts.length} sequences; this server decodes at most ${limits.maxRunning} at once.`, "n", "invalid_value");
  }
  try {
    validateSampling({ temperature: req.temperature, topP: req.topP, topK: req.topK });
  } catch (e) {
    throw badRequest((e as Error).message, null, "invalid_value");
  }
  const delimiters = o.delimiters;
  if (req.thinking && !delimiters) {
    const param = req.thinking.min !== undefined ? "min_thinking_tokens" : req.thinking.max !== undefined ? "max_thinking_tokens" : "thinking_extensions";
    throw unprocessable("Thinking budgets need thinking delimiters: start the server with a chat template that has them (--chat-template s1, qwen3, r1 or star).", param, "no_thinking_delimiters");
  }
  const C = limits.contextLength;
  const tok = model.tokenizer;
  const stopTokenIds = new Set<number>(req.ignoreEos || tok.eosId === undefined ? [] : [tok.eosId]);
  const stop = [...req.stop, ...(o.extraStops ?? [])];
  const keptStops = new Set(o.keptStops ?? []);
  const seed = req.seed ?? randomInt(2 ** 47);
  const seqs: Sequence[] = [];
  prompts.forEach((p, promptIndex) => {
    const P = p.ids.length;
    if (P >= C) {
      throw badRequest(`This model's maximum context length is ${C} tokens; the prompt has ${P}.`, o.promptParam, "context_length_exceeded");
    }
    const maxTokens = req.maxTokens ?? (o.defaultMaxTokens === "rest" ? C - P : Math.min(o.defaultMaxTokens, C - P));
    if (P + maxTokens > C) {
      throw badRequest(
        `This model's maximum context length is ${C} tokens; you requested ${P + maxTokens} (${P} in the prompt, ${maxTokens} for the completion). Reduce the prompt or max_tokens.`,
        "max_tokens", "context_length_exceeded",
      );
    }
    for (let sampleIndex = 0; sampleIndex < req.n; sampleIndex++) {
      const controller = req.thinking && delimiters
        ? new ThinkingBudgetController({
          delimiters, min: req.thinking.min, max: req.thinking.max, extensions: req.thinking.extensions,
          extension: req.thinking.extension ?? DEFAULT_THINKING_EXTENSION, open: p.openThink,
        }, tok)
        : undefined;
      seqs.push(new Sequence({
        promptIds: p.ids, sampling: { temperature: req.temperature, topP: req.topP, topK: req.topK }, seed, promptIndex, sampleIndex,
        maxTokens, stop, includeStopStrInOutput: req.includeStopStrInOutput, keptStops, stopTokenIds, topLogprobs: req.logprobs ?? 0, controller,
      }, tok));
    }
  });
  return seqs;
}

/** usage: prompt tokens once per prompt, completion tokens (sampled and forced) of every sample. */
export function usageOf(prompts: readonly PreparedPrompt[], seqs: readonly Sequence[]): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const prompt = prompts.reduce((s, p) => s + p.ids.length, 0);
  const completion = seqs.reduce((s, q) => s + q.ids.length, 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Ratio's per-choice extras when a thinking budget ran: thinking tokens, extensions appended, forced end. */
export function thinkingInfo(seq: Sequence): { thinking_tokens: number; extensions: number; forced_end: boolean } | undefined {
  const c = seq.spec.controller;
  if (!(c instanceof ThinkingBudgetController)) return undefined;
  return { thinking_tokens: c.thinkingTokens(seq), extensions: c.extensions, forced_end: c.capped };
}

/** Extra fields of a choice: `thinking` when a budget ran. */
export function choiceExtras(seq: Sequence): { thinking?: ReturnType<typeof thinkingInfo> } {
  const t = thinkingInfo(seq);
  return t ? { thinking: t } : {};
}
