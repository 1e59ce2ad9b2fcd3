// Request bodies of /v1/completions and /v1/chat/completions: validated (zod) and normalized into one shape the
// generation code takes. Unknown fields are ignored, as OpenAI-compatible servers do; fields Ratio cannot honour
// (penalties, logit_bias, echo, suffix, best_of > n, tools, a JSON response_format) are refused with 400 rather
// than silently dropped.
import { z } from "zod";
import { badRequest } from "./errors.js";

const nullish = <T extends z.ZodType>(t: T) => t.nullable().optional();
const tokenId = z.number().int().min(0);
const MAX_STOPS = 16;
const MAX_TOP_LOGPROBS = 20;

const common = {
  model: z.string().min(1),
  max_tokens: nullish(z.number().int().min(1)),
  temperature: nullish(z.number().min(0).max(100)),
  top_p: nullish(z.number().gt(0).max(1)),
  top_k: nullish(z.number().int().min(-1)),
  n: nullish(z.number().int().min(1)),
  stream: nullish(z.boolean()),
  stream_options: nullish(z.object({ include_usage: nullish(z.boolean()) })),
  stop: nullish(z.union([z.string(), z.array(z.string()).max(MAX_STOPS)], { error: `must be a string or an array of at most ${MAX_STOPS} strings` })),
  seed: nullish(z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)),
  presence_penalty: nullish(z.number()),
  frequency_penalty: nullish(z.number()),
  logit_bias: nullish(z.record(z.string(), z.number())),
  response_format: nullish(z.object({ type: z.string() })),
  tools: nullish(z.array(z.unknown())),
  user: nullish(z.string()),
  ignore_eos: nullish(z.boolean()),
  include_stop_str_in_output: nullish(z.boolean()),
  min_thinking_tokens: nullish(z.number().int().min(0)),
  max_thinking_tokens: nullish(z.number().int().min(1)),
  thinking_extension: nullish(z.string().min(1)),
  thinking_extensions: nullish(z.number().int().min(0)),
};

const completionSchema = z.object({
  ...common,
  prompt: z.union([z.string(), z.array(z.string()).min(1), z.array(tokenId).min(1), z.array(z.array(tokenId).min(1)).min(1)], {
    error: "must be a string, an array of strings, an array of token ids or an array of token-id arrays",
  }),
  logprobs: nullish(z.number().int().min(0).max(MAX_TOP_LOGPROBS)),
  echo: nullish(z.boolean()),
  suffix: nullish(z.string()),
  best_of: nullish(z.number().int().min(1)),
});

const contentPart = z.object({ type: z.literal("text"), text: z.string() });
const message = z.object({
  role: z.enum(["system", "developer", "user", "assistant"]),
  content: z.union([z.string(), z.array(contentPart), z.null()], { error: "must be a string or an array of text parts" }),
});

const chatSchema = z.object({
  ...common,
  messages: z.array(message).min(1),
  max_completion_tokens: nullish(z.number().int().min(1)),
  logprobs: nullish(z.boolean()),
  top_logprobs: nullish(z.number().int().min(0).max(MAX_TOP_LOGPROBS)),
});

export interface ThinkingRequest {
  min?: number;
  max?: number;
  /** the extension string */
  extension?: string;
  /** extensions at most */
  extensions?: number;
}

/** The sampling side of a request, normalized. */
export interface SamplingRequest {
  model: string;
  n: number;
  /** null: the endpoint's default (16 for completions, the rest of the context for chat) */
  maxTokens: number | null;
  temperature: number;
  topP: number;
  topK: number;
  stop: string[];
  /** null: a random seed */
  seed: number | null;
  stream: boolean;
  includeUsage: boolean;
  ignoreEos: boolean;
  includeStopStrInOutput: boolean;
  /** alternatives per token; null: no log-probabilities */
  logprobs: number | null;
  thinking: ThinkingRequest | null;
}

export interface CompletionRequest extends SamplingRequest {
  /** one entry per prompt */
  prompts: (string | number[])[];
}

export type ChatRole = "system" | "developer" | "user" | "assistant";

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatRequest extends SamplingRequest {
  messages: ChatMessage[];
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("The request body must be a JSON object.", null, "invalid_type");
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue.path.map(String).join(".") || null;
  let value: unknown = body;
  for (const key of issue.path) value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  const missing = value === undefined && issue.path.length > 0;
  if (missing) throw badRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
  const detail = issue.message.replace(/^Invalid input: /, "");
  throw badRequest(`Invalid value for '${param}': ${detail}.`, param, issue.code === "invalid_type" ? "invalid_type" : "invalid_value");
}

type Common = z.infer<z.ZodObject<typeof common>>;

function unsupported(o: Common & { echo?: boolean | null; suffix?: string | null; best_of?: number | null }): void {
  const refuse = (param: string, what: string) => { throw badRequest(`'${param}' is not supported by this server (${what}).`, param, "unsupported_parameter"); };
  if (o.presence_penalty) refuse("presence_penalty", "only 0");
  if (o.frequency_penalty) refuse("frequency_penalty", "only 0");
  if (o.logit_bias && Object.keys(o.logit_bias).length > 0) refuse("logit_bias", "only an empty object");
  if (o.echo) refuse("echo", "only false");
  if (o.suffix) refuse("suffix", "no insertion");
  if (o.best_of != null && o.best_of !== (o.n ?? 1)) refuse("best_of", "only equal to n");
  if (o.response_format && o.response_format.type !== "text") refuse("response_format", "only {\"type\": \"text\"}; no structured output");
  if (o.tools && o.tools.length > 0) refuse("tools", "no tool calling");
}

function sampling(o: Common, logprobs: number | null, maxTokens: number | null | undefined): SamplingRequest {
  unsupported(o);
  const thinking: ThinkingRequest = {};
  if (o.min_thinking_tokens != null) thinking.min = o.min_thinking_tokens;
  if (o.max_thinking_tokens != null) thinking.max = o.max_thinking_tokens;
  if (o.thinking_extension != null) thinking.extension = o.thinking_extension;
  if (o.thinking_extensions != null) thinking.extensions = o.thinking_extensions;
  if (thinking.min !== undefined && thinking.max !== undefined && thinking.min > thinking.max) {
    throw badRequest("'min_thinking_tokens' must not exceed 'max_thinking_tokens'.", "min_thinking_tokens", "invalid_value");
  }
  const stop = o.stop == null ? [] : typeof o.stop === "string" ? [o.stop] : o.stop;
  return {
    model: o.model,
    n: o.n ?? 1,
    maxTokens: maxTokens ?? null,
    temperature: o.temperature ?? 1,
    topP: o.top_p ?? 1,
    topK: o.top_k == null || o.top_k < 0 ? 0 : o.top_k,
    stop: stop.filter((s) => s.length > 0),
    seed: o.seed ?? null,
    stream: o.stream ?? false,
    includeUsage: o.stream_options?.include_usage ?? false,
    ignoreEos: o.ignore_eos ?? false,
    includeStopStrInOutput: o.include_stop_str_in_output ?? false,
    logprobs,
    thinking: thinking.min !== undefined || thinking.max !== undefined || (thinking.extensions ?? 0) > 0 ? thinking : null,
  };
}

export function parseCompletionRequest(body: unknown): CompletionRequest {
  const o = parse(completionSchema, body);
  unsupported(o);
  const p = o.prompt;
  const prompts: (string | number[])[] =
    typeof p === "string" ? [p] : p.every((x) => typeof x === "number") ? [p as number[]] : (p as (string | number[])[]);
  return { ...sampling(o, o.logprobs ?? null, o.max_tokens), prompts };
}

export function parseChatRequest(body: unknown): ChatRequest {
  const o = parse(chatSchema, body);
  if (o.top_logprobs != null && o.top_logprobs > 0 && !o.logprobs) {
    throw badRequest("'top_logprobs' needs 'logprobs' set to true.", "top_logprobs", "invalid_value");
  }
  const messages = o.messages.map((m) => ({
    role: m.role,
    content: m.content === null ? "" : typeof m.content === "string" ? m.content : m.content.map((c) => c.text).join(""),
  }));
  return { ...sampling(o, o.logprobs ? (o.top_logprobs ?? 0) : null, o.max_completion_tokens ?? o.max_tokens), messages };
}
