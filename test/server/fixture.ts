// A tiny random checkpoint (character tokenizer with <think>/</think> as single tokens, enough characters for
// ChatML) saved to a temporary directory, a server for it on 127.0.0.1 with a free port, and the official client.
import OpenAI from "openai";
import { saveCheckpoint } from "../../src/model/checkpoint.js";
import { parseConfig, type LlamaConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { loadServedModel, startServer, type RunningServer, type ServeOptions } from "../../src/server/index.js";
import { freshDir } from "../fixtures/tmp.js";

export const API_KEY = "test-key-0123";
export const MODEL = "tiny";
export const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?<>|_/\n";

export const tokenizer = CharTokenizer.fromAlphabet(ALPHABET, { specialTokens: ["<think>", "</think>"] });

export const config: LlamaConfig = parseConfig(
  {
    model_type: "llama", hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
    intermediate_size: 64, vocab_size: tokenizer.vocabSize, max_position_embeddings: 512, rms_norm_eps: 1e-5,
    rope_theta: 10000, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId,
  },
  "server test config",
);

export const params = initParams(config, 7);

let saved: Promise<string> | undefined;

/** The checkpoint directory (written once per test file). */
export function checkpointDir(): Promise<string> {
  saved ??= (async () => {
    const dir = freshDir("ratio-serve-");
    await saveCheckpoint(dir, { config, params, tokenizer });
    return dir;
  })();
  return saved;
}

/** A server on 127.0.0.1:0 for the test checkpoint (qwen3 chat format unless told otherwise). */
export async function testServer(opts: ServeOptions & { chatTemplate?: string } = {}): Promise<RunningServer> {
  const model = await loadServedModel(await checkpointDir(), { name: MODEL, chatTemplate: opts.chatTemplate ?? "qwen3" });
  return startServer(model, { host: "127.0.0.1", port: 0, threads: 1, ...opts });
}

export function client(server: RunningServer, apiKey = API_KEY): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0, timeout: 30_000 });
}

/** Extra (non-OpenAI) request fields, typed loosely for the client's create() calls. */
export type Extra = Record<string, unknown>;

/** A body with extra fields (ignore_eos, thinking budgets, …) typed as the client's params for `T`. */
export function withExtras<T>(body: Extra): T {
  return body as T;
}
