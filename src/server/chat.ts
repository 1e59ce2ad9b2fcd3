// POST /v1/chat/completions: messages rendered by the server's chat format (chat-format.ts), the format's end of
// turn as a stop string, n choices of one assistant message each. With a thinking budget the prompt opens the
// thinking block (so the budget counts from the first token).
import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { Sequence } from "./engine/sequence.js";
import { unprocessable } from "./errors.js";
import { encodePrompt, makeSequences, opensThinking, choiceExtras, usageOf, type PreparedPrompt, type ServeContext } from "./generation.js";
import { chatLogprobs, takeLogprobs } from "./logprobs-format.js";
import { checkModel } from "./models-endpoint.js";
import { parseChatRequest } from "./requests.js";
import { runSequences, streamSequences } from "./run-sequences.js";

export async function handleChat(c: Context, ctx: ServeContext, body: unknown): Promise<Response> {
  const req = parseChatRequest(body);
  checkModel(ctx, req.model);
  const fmt = ctx.model.chatFormat;
  if (!fmt) throw unprocessable(ctx.model.chatNote, "messages", "no_chat_template");
  const text = fmt.render(req.messages, { openThink: req.thinking !== null && fmt.delimiters !== undefined });
  const ids = encodePrompt(ctx.model, text, "messages");
  const prompts: PreparedPrompt[] = [{ ids, openThink: opensThinking(ctx.model, ids, fmt.delimiters) }];
  const seqs = makeSequences(ctx, prompts, req, {
    promptParam: "messages", defaultMaxTokens: "rest", extraStops: fmt.stop, keptStops: fmt.keptStops, delimiters: fmt.delimiters,
  });
  const created = Math.floor(Date.now() / 1000);
  const id = `chatcmpl-${randomUUID().replace(/-/g, "")}`;
  const tok = ctx.model.tokenizer;
  const wantLogprobs = req.logprobs !== null;

  if (!req.stream) {
    await runSequences(c, ctx, seqs);
    const choices = seqs.map((s, index) => ({
      index,
      message: { role: "assistant", content: s.text },
      logprobs: wantLogprobs ? { content: chatLogprobs(s, tok, 0, s.textTokenCount()), refusal: null } : null,
      finish_reason: s.finish ?? "abort",
      stop_reason: s.stopReason,
      ...choiceExtras(s),
    }));
    return c.json({ id, object: "chat.completion", created, model: ctx.model.name, choices, usage: usageOf(prompts, seqs) });
  }

  const head = { id, object: "chat.completion.chunk", created, model: ctx.model.name };
  const started = new Set<Sequence>();
  const finished = new Set<Sequence>();
  return streamSequences(c, ctx, seqs, (final) => {
    const out: object[] = [];
    seqs.forEach((s, index) => {
      if (finished.has(s)) return;
      if (!started.has(s)) {
        started.add(s);
        out.push({ ...head, choices: [{ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] });
      }
      const content = s.takeDelta();
      const logprobs = wantLogprobs ? takeLogprobs(s, (from, to) => ({ content: chatLogprobs(s, tok, from, to) })) : null;
      if (content !== "" || logprobs !== null) out.push({ ...head, choices: [{ index, delta: { content }, logprobs, finish_reason: null }] });
      if (s.done) {
        finished.add(s);
        out.push({ ...head, choices: [{ index, delta: {}, logprobs: null, finish_reason: s.finish ?? "abort", stop_reason: s.stopReason, ...choiceExtras(s) }] });
      }
    });
    if (final && req.includeUsage) out.push({ ...head, choices: [], usage: usageOf(prompts, seqs) });
    return out;
  });
}

