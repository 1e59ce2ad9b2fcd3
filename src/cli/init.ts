// `ratio init <model-dir> --preset tiny|small|medium [--vocab chars:<string>]`: a fresh, randomly initialized model.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { presetConfig, PRESETS, type PresetName } from "../model/config.js";
import { saveCheckpoint, unsafeCheckpointTarget } from "../model/checkpoint.js";
import { initParams } from "../model/init.js";
import { BOS_TOKEN, CharTokenizer, EOS_TOKEN, PAD_TOKEN, UNK_TOKEN } from "../model/tokenizer.js";
import { action, parseIntFlag, printJson, UserError } from "./common.js";

/** Digits, letters, common punctuation, space and newline: enough for the built-in tasks and templates. */
export const DEFAULT_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ +-*/=()<>[]{}.,:;!?'\"#%&_|\\^$@~`\n";

/** `--special-tokens "<think>,</think>"` → the token list; each must be new, non-empty and free of commas. */
export function parseSpecialTokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  const tokens = value.split(",").map((t) => t.trim());
  const seen = new Set<string>([PAD_TOKEN, BOS_TOKEN, EOS_TOKEN, UNK_TOKEN]);
  for (const t of tokens) {
    if (t === "") throw new UserError(`--special-tokens: empty token in "${value}" (expected a comma-separated list such as "<think>,</think>")`);
    if (seen.has(t)) throw new UserError(`--special-tokens: ${JSON.stringify(t)} is ${[PAD_TOKEN, BOS_TOKEN, EOS_TOKEN, UNK_TOKEN].includes(t) ? "a built-in special token" : "listed twice"}`);
    seen.add(t);
  }
  return tokens;
}

export function register(program: Command): void {
  program
    .command("init")
    .description("create a fresh, randomly initialized Llama model with a character tokenizer")
    .argument("<model-dir>", "directory to create (HF layout)")
    .option("--preset <name>", `model size: ${Object.keys(PRESETS).join(" | ")}`, "tiny")
    .option("--vocab <spec>", "tokenizer: chars:<alphabet> (special tokens <pad> <bos> <eos> are added)", `chars:${DEFAULT_ALPHABET}`)
    .option("--special-tokens <list>", "extra special tokens, one id each (comma-separated), e.g. \"<think>,</think>,<answer>,</answer>\"")
    .option("--seed <n>", "initialization seed", parseIntFlag("--seed"), 0)
    .option("--force", "overwrite an existing checkpoint directory (or an empty one; any other directory is refused)")
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExamples:\n  ratio init runs/toy --preset tiny --vocab 'chars:0123456789+= '\n  ratio init runs/r1 --special-tokens '<think>,</think>,<answer>,</answer>'")
    .action(action(async (dir: string, o: { preset: string; vocab: string; specialTokens?: string; seed: number; force?: boolean; json?: boolean }) => {
      if (!(o.preset in PRESETS)) throw new UserError(`--preset: unknown preset "${o.preset}" (expected ${Object.keys(PRESETS).join(", ")})`);
      if (!o.vocab.startsWith("chars:")) throw new UserError(`--vocab: expected chars:<alphabet>, got "${o.vocab}"`);
      if (existsSync(dir) && !o.force) throw new UserError(`${dir} already exists (use --force to overwrite)`);
      const unsafe = unsafeCheckpointTarget(dir);
      if (unsafe !== null) throw new UserError(`${dir}: ${unsafe} (--force replaces only a checkpoint directory)`);
      const specialTokens = parseSpecialTokens(o.specialTokens);
      let tokenizer: CharTokenizer;
      try {
        tokenizer = CharTokenizer.fromSpec(o.vocab, { specialTokens });
      } catch (e) {
        throw new UserError(`--vocab: ${(e as Error).message}`);
      }
      const config = presetConfig(o.preset as PresetName, {
        vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId,
      });
      const params = initParams(config, o.seed);
      await saveCheckpoint(dir, { config, params, tokenizer });
      const summary = { dir, preset: o.preset, parameters: params.count, vocab_size: config.vocab_size, special_tokens: specialTokens, seed: o.seed };
      if (o.json) printJson(summary);
      else process.stdout.write(`created ${dir}: ${o.preset} Llama, ${params.count.toLocaleString("en-US")} parameters, vocab ${config.vocab_size}, seed ${o.seed}\n`);
    }));
}
