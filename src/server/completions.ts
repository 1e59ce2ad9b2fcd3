// POST /v1/completions: raw prompts (text or token ids, one or several), n samples each; choices are numbered
// prompt by prompt (choice = prompt index · n + sample index). Thinking budgets use the delimiters of the server's
// chat format; thinking counts from the start when the prompt ends with the thinking-start delimiter.
import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { Sequence } from "./engine/sequence.js";
import { encodePrompt, makeSequences, opensThinking, choiceExtras, usageOf, type PreparedPrompt, type ServeContext } from "./generation.js";
import { completionLogprobs, takeLogprobs } from "./logprobs-format.js";
import { checkModel } from "./models-endpoint.js";
import { parseCompletionRequest } from "./requests.js";
import { runSequences, streamSequences } from "./run-sequences.js";

export async function handleCompletions(c: Context, ctx: ServeContext, body: unknown): Promise<Response> {
  const req = parseCompletionRequest(body);
  checkModel(ctx, req.model);
  const fmt = ctx.model.chatFormat;
  const prompts: PreparedPrompt[] = req.prompts.map((p, i) => {
    const ids = encodePrompt(ctx.model, p, req.prompts.length > 1 ? `prompt.${i}` : "prompt");
    return { ids, openThink: opensThinking(ctx.model, ids, fmt?.delimiters) };
  });
  const seqs = makeSequences(ctx, prompts, req, { promptParam: "prompt", defaultMaxTokens: 16, delimiters: fmt?.delimiters });
  const head = { id: `cmpl-${randomUUID().replace(/-/g, "")}`, object: "text_completion", created: Math.floor(Date.now() / 1000), model: ctx.model.name };
  const tok = ctx.model.tokenizer;
  const wantLogprobs = req.logprobs !== null;

  if (!req.stream) {
    await runSequences(c, ctx, seqs);
    const choices = seqs.map((s, index) => ({
      index,
      text: s.text,
      logprobs: wantLogprobs ? completionLogprobs(s, tok, 0, s.textTokenCount()) : null,
      finish_reason: s.finish ?? "abort",
      stop_reason: s.stopReason,
      ...choiceExtras(s),
    }));
    return c.json({ ...head, choices, usage: usageOf(prompts, seqs) });
  }

  const finished = new Set<Sequence>();
  return streamSequences(c, ctx, seqs, (final) => {
    const out: object[] = [];
    seqs.forEach((s, index) => {
      if (finished.has(s)) return;
      const text = s.takeDelta();
      const logprobs = wantLogprobs ? takeLogprobs(s, (from, to) => completionLogprobs(s, tok, from, to)) : null;
      const ending = s.done;
      if (ending) finished.add(s);
      if (text === "" && logprobs === null && !ending) return;
      const choice = { index, text, logprobs, finish_reason: ending ? (s.finish ?? "abort") : null, ...(ending ? { stop_reason: s.stopReason, ...choiceExtras(s) } : {}) };
      out.push({ ...head, choices: [choice] });
    });
    if (final && req.includeUsage) out.push({ ...head, choices: [], usage: usageOf(prompts, seqs) });
    return out;
  });
}

