// `ratio info <model-dir>`: config, parameter count, vocabulary and files of a checkpoint.
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { loadCheckpoint } from "../model/checkpoint.js";
import { action, printJson } from "./common.js";

export function register(program: Command): void {
  program
    .command("info")
    .description("show a checkpoint's config, parameter count, vocabulary and files")
    .argument("<model-dir>", "checkpoint directory (HF layout: config.json, model.safetensors, tokenizer.json)")
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExample:\n  ratio info runs/demo/checkpoints/grpo/final --json\n  (runs/demo/checkpoints/grpo/final is the model that `ratio demo` trains; any checkpoint directory works)")
    .action(action(async (dir: string, o: { json?: boolean }) => {
      const ck = await loadCheckpoint(dir);
      const files = readdirSync(dir).sort().map((f) => ({ name: f, bytes: statSync(path.join(dir, f)).size }));
      const c = ck.config;
      const info = {
        dir, architecture: c.architectures[0], parameters: ck.params.count,
        hidden_size: c.hidden_size, intermediate_size: c.intermediate_size, num_hidden_layers: c.num_hidden_layers,
        num_attention_heads: c.num_attention_heads, num_key_value_heads: c.num_key_value_heads, head_dim: c.head_dim,
        vocab_size: c.vocab_size, max_position_embeddings: c.max_position_embeddings, rope_theta: c.rope_theta,
        tie_word_embeddings: c.tie_word_embeddings, tokenizer_vocab: ck.tokenizer.vocabSize,
        bos_token_id: ck.tokenizer.bosId ?? null, eos_token_id: ck.tokenizer.eosId ?? null, pad_token_id: ck.tokenizer.padId ?? null,
        trainer_step: ck.trainerState?.step ?? null, unexpected_tensors: ck.unexpected, files,
      };
      if (o.json) return printJson(info);
      const lines = [
        `${dir}: ${info.architecture}, ${info.parameters.toLocaleString("en-US")} parameters`,
        `  layers ${c.num_hidden_layers}, hidden ${c.hidden_size}, intermediate ${c.intermediate_size}, heads ${c.num_attention_heads} (kv ${c.num_key_value_heads}, head_dim ${c.head_dim})`,
        `  vocab ${c.vocab_size} (tokenizer ${info.tokenizer_vocab}; bos ${info.bos_token_id}, eos ${info.eos_token_id}, pad ${info.pad_token_id}), context ${c.max_position_embeddings}, rope_theta ${c.rope_theta}, tied head ${c.tie_word_embeddings}`,
        `  trainer state: ${info.trainer_step === null ? "none" : `step ${info.trainer_step}`}`,
        `  files: ${files.map((f) => `${f.name} (${f.bytes.toLocaleString("en-US")} B)`).join(", ")}`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    }));
}
