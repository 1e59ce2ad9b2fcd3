// `ratio sample <model-dir> --prompt "…"`: sample completions with the KV-cache generator.
import { InvalidArgumentError, type Command } from "commander";
import { loadCheckpoint } from "../model/checkpoint.js";
import { Generator } from "../sampling/generate.js";
import { action, parseFloatFlag, parseIntFlag, printJson, UserError } from "./common.js";

interface SampleFlags {
  prompt: string[];
  n: number;
  temperature: number;
  topP: number;
  topK: number;
  maxTokens: number;
  stop: string[];
  seed: number;
  ignoreEos?: boolean;
  json?: boolean;
}

/** Repeatable flag; no default, so that commander reports a missing --prompt as required. */
const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

/** --top-p: the nucleus must hold some mass, so 0 is out (the sampler's range, (0, 1]). */
function parseTopP(value: string): number {
  const p = Number(value);
  if (!(p > 0 && p <= 1)) throw new InvalidArgumentError(`--top-p expects a number in (0, 1], got "${value}"`);
  return p;
}

export function register(program: Command): void {
  program
    .command("sample")
    .description("sample completions of one or more prompts")
    .argument("<model-dir>", "checkpoint directory")
    .requiredOption("--prompt <text>", "prompt text (repeat for several prompts)", collect)
    .option("--n <n>", "samples per prompt", parseIntFlag("--n", 1), 1)
    .option("--temperature <t>", "sampling temperature (0 = greedy)", parseFloatFlag("--temperature", 0), 1)
    .option("--top-p <p>", "nucleus sampling mass, in (0, 1]", parseTopP, 1)
    .option("--top-k <k>", "keep the k most likely tokens (0 = off)", parseIntFlag("--top-k", 0), 0)
    .option("--max-tokens <m>", "new tokens at most", parseIntFlag("--max-tokens", 1), 64)
    .option("--stop <s>", "stop string (repeatable); the text is cut before it", collect, [] as string[])
    .option("--seed <s>", "random seed", parseIntFlag("--seed"), 0)
    .option("--ignore-eos", "keep generating after the end-of-sequence token")
    .option("--json", "print one JSON object per completion (JSONL)")
    .addHelpText("after", "\nExample:\n  ratio sample runs/demo/checkpoints/grpo/final --prompt $'Input:\\n4 7 + 3 5\\nTarget:\\n' --n 4 --temperature 0.8 --max-tokens 96 --stop '</scratch>' --json\n  (runs/demo/checkpoints/grpo/final is the model that `ratio demo` trains; any checkpoint directory works)")
    .action(action(async (dir: string, o: SampleFlags) => {
      const ck = await loadCheckpoint(dir);
      const gen = await Generator.create({ config: ck.config, params: ck.params, tokenizer: ck.tokenizer, frozen: true });
      const context = ck.config.max_position_embeddings;
      o.prompt.forEach((p, i) => {
        let length: number;
        try {
          length = gen.encodePrompt(p).length; // the ids generate() will prefill, bos included
        } catch (e) {
          throw new UserError(`--prompt ${JSON.stringify(p)}: ${(e as Error).message}`);
        }
        if (length + o.maxTokens > context) {
          throw new UserError(`--max-tokens ${o.maxTokens}: prompt ${i} has ${length} tokens, and ${length} + ${o.maxTokens} exceeds the model's context of ${context}`);
        }
      });
      const stop = o.stop.map((s) => s.replace(/\\n/g, "\n").replace(/\\t/g, "\t"));
      const out = await gen.generate(o.prompt, {
        n: o.n, temperature: o.temperature, topP: o.topP, topK: o.topK, maxTokens: o.maxTokens, stop, seed: o.seed, ignoreEos: o.ignoreEos,
      });
      for (const c of out) {
        if (o.json) {
          printJson({ prompt: o.prompt[c.promptIndex], index: c.sampleIndex, text: c.text, token_ids: c.tokenIds, logprobs: c.logprobs, finish_reason: c.finishReason, stop_reason: c.stopReason });
        } else {
          process.stdout.write(`[${c.promptIndex}.${c.sampleIndex}] ${JSON.stringify(o.prompt[c.promptIndex])} → ${JSON.stringify(c.text)} (${c.tokenIds.length} tokens, ${c.finishReason})\n`);
        }
      }
    }));
}
