// How /v1/chat/completions turns messages into a prompt. Ratio does not run Jinja: a checkpoint's chat template
// (tokenizer_config.json "chat_template") is recognized when it is ChatML (<|im_start|>role … <|im_end|>, the
// Qwen family; with <think> it is read as Qwen3's), and `--chat-template NAME` picks one of Ratio's templates
// instead. ChatML formats render whole conversations; the others (plain, r1, star, …) render one user message.
import { delimitersForTemplate, type ThinkingDelimiters } from "../inference/presets.js";
import { getTemplate, IM_END, listTemplates, qwen3Template, s1Template, S1_SYSTEM, type Template } from "../templates/index.js";
import { unprocessable } from "./errors.js";
import type { ChatMessage } from "./requests.js";

export interface ChatFormat {
  /** `chatml`, or the name of a Ratio template */
  name: string;
  /** where it came from (for the startup line and docs) */
  source: string;
  /** the prompt for these messages, ending where the assistant's reply starts (inside thinking with openThink) */
  render(messages: readonly ChatMessage[], opts: { openThink: boolean }): string;
  /** stop strings of the format */
  stop: readonly string[];
  /** stop strings that stay in the reply (a closing tag that is part of the answer format, e.g. r1's </answer>) */
  keptStops: readonly string[];
  /** thinking delimiters for budgets (src/inference presets), when the format thinks */
  delimiters?: ThinkingDelimiters;
}

interface ChatMlOptions {
  name: string;
  source: string;
  defaultSystem?: string;
  /** text that opens thinking after "<|im_start|>assistant\n" */
  open?: string;
  template?: Template;
}

function chatMl(o: ChatMlOptions): ChatFormat {
  return {
    name: o.name,
    source: o.source,
    stop: [IM_END],
    keptStops: [],
    delimiters: o.template ? delimitersForTemplate(o.template) : undefined,
    render(messages, { openThink }) {
      const turns = messages.map((m) => ({ role: m.role === "developer" ? "system" : m.role, content: m.content }));
      if (o.defaultSystem !== undefined && turns[0]?.role !== "system") turns.unshift({ role: "system", content: o.defaultSystem });
      const body = turns.map((m) => `<|im_start|>${m.role}\n${m.content}${IM_END}\n`).join("");
      return `${body}<|im_start|>assistant\n${openThink && o.open !== undefined ? o.open : ""}`;
    },
  };
}

/** A Ratio template that renders a single question. */
function singleTurn(t: Template, source: string): ChatFormat {
  return {
    name: t.name,
    source,
    stop: t.stop ?? [],
    keptStops: t.stop ?? [],
    delimiters: t.thinkStart && t.thinkEnd ? delimitersForTemplate(t) : undefined,
    render(messages, { openThink }) {
      if (messages.length !== 1 || messages[0].role !== "user") {
        throw unprocessable(`The '${t.name}' chat template renders exactly one user message (got ${messages.length} message(s)); use a ChatML template for conversations.`, "messages", "unsupported_conversation");
      }
      try {
        return t.render(messages[0].content, { openThink });
      } catch (e) {
        throw unprocessable(`The '${t.name}' chat template cannot render this message: ${(e as Error).message}`, "messages");
      }
    },
  };
}

/** Names accepted by --chat-template: "chatml" and every Ratio template. */
export function chatFormatNames(): string[] {
  return ["chatml", ...listTemplates().map((t) => t.name)];
}

/** The format named by --chat-template (throws with the valid names on an unknown one). */
export function chatFormatByName(name: string): ChatFormat {
  const source = `--chat-template ${name}`;
  if (name === "chatml") return chatMl({ name, source });
  if (name === "s1") return chatMl({ name, source, defaultSystem: S1_SYSTEM, open: s1Template.thinkStart, template: s1Template });
  if (name === "qwen3") return chatMl({ name, source, open: "<think>\n", template: qwen3Template });
  if (!chatFormatNames().includes(name)) throw new Error(`unknown chat template "${name}" (expected one of: ${chatFormatNames().join(", ")})`);
  return singleTurn(getTemplate(name), source);
}

/** The Jinja text of tokenizer_config.json's chat_template (a string, or a list of named templates). */
function jinjaText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const named = value.filter((v): v is { name: string; template: string } => typeof v?.template === "string");
    return (named.find((v) => v.name === "default") ?? named[0])?.template ?? null;
  }
  return null;
}

/**
 * The format of a checkpoint's own chat template, when Ratio recognizes it (ChatML); null when there is none.
 * `recognized: false` means a template exists but is not ChatML (chat then needs --chat-template).
 */
export function detectChatFormat(tokenizerConfig: Record<string, unknown>): { format: ChatFormat | null; recognized: boolean } {
  const jinja = jinjaText(tokenizerConfig.chat_template);
  if (jinja === null) return { format: null, recognized: true };
  if (!jinja.includes("<|im_start|>")) return { format: null, recognized: false };
  const source = "tokenizer_config.json (ChatML)";
  const defaultSystem = jinja.includes(S1_SYSTEM) ? S1_SYSTEM : undefined;
  if (jinja.includes("<think>")) return { format: chatMl({ name: "qwen3", source, defaultSystem, open: "<think>\n", template: qwen3Template }), recognized: true };
  return { format: chatMl({ name: "chatml", source, defaultSystem }), recognized: true };
}
