// The model a server serves: a checkpoint (or weights in memory), its name in the API, and its chat format.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { loadCheckpoint, TOKENIZER_CONFIG_FILE } from "../model/checkpoint.js";
import type { LlamaConfig } from "../model/config.js";
import type { ParamStore } from "../model/params.js";
import { readJsonObject, type Tokenizer } from "../model/tokenizer.js";
import { chatFormatByName, detectChatFormat, type ChatFormat } from "./chat-format.js";

export interface ServedModel {
  /** the `model` id clients send */
  name: string;
  config: LlamaConfig;
  params: ParamStore;
  tokenizer: Tokenizer;
  /** null: /v1/chat/completions answers 422 with `chatNote` */
  chatFormat: ChatFormat | null;
  chatNote: string;
}

export interface ServedModelOptions {
  /** API model id (default: the directory's name) */
  name?: string;
  /** one of chatFormatNames(): overrides the checkpoint's chat template */
  chatTemplate?: string;
}

/** The chat format: the flag's, else the checkpoint's when recognized, else none (with the reason). */
export function resolveChatFormat(tokenizerConfig: Record<string, unknown>, flag?: string): { format: ChatFormat | null; note: string } {
  if (flag !== undefined) return { format: chatFormatByName(flag), note: "" };
  const found = detectChatFormat(tokenizerConfig);
  if (found.format) return { format: found.format, note: "" };
  const note = found.recognized
    ? "This model has no chat template; start the server with --chat-template NAME (e.g. chatml, qwen3, s1, plain)."
    : "This model's chat template is not ChatML, which is the only Jinja template Ratio recognizes; start the server with --chat-template NAME.";
  return { format: null, note };
}

/** Loads a checkpoint directory for serving. */
export async function loadServedModel(dir: string, opts: ServedModelOptions = {}): Promise<ServedModel> {
  const ck = await loadCheckpoint(dir);
  const cfgFile = path.join(dir, TOKENIZER_CONFIG_FILE);
  const tokenizerConfig = existsSync(cfgFile) ? readJsonObject(cfgFile) : {};
  const chat = resolveChatFormat(tokenizerConfig, opts.chatTemplate);
  return {
    name: opts.name ?? path.basename(path.resolve(dir)),
    config: ck.config,
    params: ck.params,
    tokenizer: ck.tokenizer,
    chatFormat: chat.format,
    chatNote: chat.note,
  };
}
