// `ratio logprobs <model-dir> --text "…"`: per-token log-probs of a text under a model.
import type { Command } from "commander";
import { loadCheckpoint } from "../model/checkpoint.js";
import { tokenLogprobs } from "../train/score.js";
import { action, printJson, UserError } from "./common.js";

export function register(program: Command): void {
  program
    .command("logprobs")
    .description("per-token log-probabilities of a text (the first token has none)")
    .argument("<model-dir>", "checkpoint directory")
    .requiredOption("--text <text>", "the text to score (a bos token is prepended when the tokenizer has one)")
    .option("--no-bos", "do not prepend the bos token")
    .option("--json", 'print {"tokens", "token_ids", "logprobs", "total"}')
    .addHelpText("after", "\nExample:\n  ratio logprobs runs/demo/checkpoints/grpo/final --text $'Input:\\n2 + 3\\nTarget:\\n<scratch>' --json\n  (runs/demo/checkpoints/grpo/final is the model that `ratio demo` trains; any checkpoint directory works)")
    .action(action(async (dir: string, o: { text: string; bos: boolean; json?: boolean }) => {
      const { config, params, tokenizer } = await loadCheckpoint(dir);
      let encoded: number[];
      try {
        encoded = tokenizer.encode(o.text);
      } catch (e) {
        throw new UserError(`--text: ${(e as Error).message}`);
      }
      const ids = [...(o.bos && tokenizer.bosId !== undefined ? [tokenizer.bosId] : []), ...encoded];
      if (ids.length === 0) throw new UserError("--text: empty, and without a bos token there is no token to show (give some text)");
      if (ids.length > config.max_position_embeddings) throw new UserError(`--text: ${ids.length} tokens exceed the model's context of ${config.max_position_embeddings}`);
      const tokens = ids.map((id) => tokenizer.idToToken(id) ?? String(id));
      let logprobs: (number | null)[] = ids.map(() => null);
      if (ids.length >= 2) {
        const { logp } = await tokenLogprobs([{ tokens: ids }], { config, params, padId: tokenizer.padId });
        logprobs = Array.from(logp[0], (x, i) => (i === 0 ? null : x));
      }
      const total = logprobs.reduce<number>((a, b) => a + (b ?? 0), 0);
      if (o.json) return printJson({ tokens, token_ids: ids, logprobs, total });
      const w = Math.max(5, ...tokens.map((t) => JSON.stringify(t).length));
      for (let i = 0; i < ids.length; i++) {
        process.stdout.write(`${JSON.stringify(tokens[i]).padEnd(w)}  ${String(ids[i]).padStart(6)}  ${logprobs[i] === null ? "     —" : (logprobs[i] as number).toFixed(4).padStart(9)}\n`);
      }
      process.stdout.write(`total log-prob ${total.toFixed(4)} over ${ids.length - 1} predicted tokens (perplexity ${Math.exp(-total / Math.max(1, ids.length - 1)).toFixed(3)})\n`);
    }));
}
