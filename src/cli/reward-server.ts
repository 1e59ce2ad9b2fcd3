// `ratio reward-server`: Ratio's verifiers over OpenRLHF's remote reward API, for RL trainers that run elsewhere
// (docs/reward-server.md).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { rewardConfigSchema, rewardNames, type RewardConfig } from "../rewards/registry.js";
import { COUNTDOWN_PRESETS } from "../tasks/countdown/rules.js";
import { fieldMappingFor } from "../tasks/loaders/index.js";
import { DATASET_PRESETS, type DatasetPreset } from "../tasks/loaders/presets.js";
import { DEFAULT_STRIP_TOKENS } from "../server/rewards/remote-rm.js";
import { DEFAULT_REWARD_PORT, startRewardServer } from "../server/rewards/server.js";
import type { CountdownPreset } from "../tasks/countdown/rules.js";
import { action, MAX_PORT, parseIntFlag, printJson, UserError, tokenizerFlag, errnoReason } from "./common.js";

interface RewardServerFlags {
  host: string;
  port: number;
  preset: string;
  countdownPreset: string;
  stripToken: string[];
  field: string[];
  workers: number;
  timeoutMs: number;
  reward: string[];
  rewards?: string;
  tokenizer?: string;
  maxTokens?: number;
  logRequests?: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** `name` or `name:weight`. */
function parseRewardFlag(spec: string): RewardConfig {
  const m = /^([a-z_]+)(?::(.+))?$/.exec(spec);
  const weight = m?.[2] === undefined ? 1 : Number(m[2]);
  if (!m || !Number.isFinite(weight)) throw new UserError(`--reward ${spec}: expected name or name:weight, e.g. format:0.1`);
  if (!(rewardNames as readonly string[]).includes(m[1])) throw new UserError(`--reward ${spec}: unknown reward "${m[1]}" (expected one of: ${rewardNames.join(", ")})`);
  return { name: m[1], weight };
}

function readRewardsFile(file: string): RewardConfig[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UserError(`--rewards ${file}: cannot read (${errnoReason(e)})`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new UserError(`--rewards ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new UserError(`--rewards ${file}: expected a list of rewards ([{name, weight, options}])`);
  const parsed = z.array(rewardConfigSchema).safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UserError(`--rewards ${file}: [${i.path.map(String).join("].")}${i.path.length > 1 ? "" : "]"}: ${i.message}`);
  }
  return parsed.data;
}

export function register(program: Command): void {
  program
    .command("reward-server")
    .description("score RL rollouts over HTTP for OpenRLHF (--reward.remote_url) or any trainer: math, multiple choice, Countdown")
    .option("--host <host>", "address to listen on (loopback by default; 0.0.0.0 exposes the server)", "127.0.0.1")
    .option("--port <port>", "port (0 = any free port)", parseIntFlag("--port", 0, MAX_PORT), DEFAULT_REWARD_PORT)
    .option("--preset <preset>", `how labels are read, and so which verifier scores: ${DATASET_PRESETS.join(" | ")} (a string label is always a gold answer)`, "plain")
    .option("--countdown-preset <rules>", `Countdown rules with --preset countdown: ${COUNTDOWN_PRESETS.join(" | ")}`, "tinyzero")
    .option("--field <name=path>", "where a logical field of the preset lives in label records (repeatable), e.g. numbers=numbers for verl's Countdown ground truth", collect, [])
    .option("--strip-token <text>", "removed from the end of every response (repeatable; default: common end-of-sequence and pad tokens)", collect, [])
    .option("--reward <name[:weight]>", `a reward of the registry, weighted and summed (repeatable): ${rewardNames.join(", ")}; default: the task's own reward`, collect, [])
    .option("--rewards <file>", "a YAML or JSON list of rewards with options, as a GRPO stage's rewards: [{name, weight, options}]")
    .option("--tokenizer <dir>", "the policy's tokenizer (a directory with tokenizer.json): token counts for length and repetition rewards")
    .option("--max-tokens <n>", "L_max for length rewards that take it from the run (cosine, overlong)", parseIntFlag("--max-tokens", 1))
    .option("--workers <n>", "math: verifier worker threads", parseIntFlag("--workers", 1), 2)
    .option("--timeout-ms <ms>", "math: time limit per check (a check over it scores 0)", parseIntFlag("--timeout-ms", 1), 5000)
    .option("--log-requests", "one line per request on stderr")
    .option("--json", "print the bound address as one JSON object once listening")
    .addHelpText("after", [
      "",
      "Protocol (OpenRLHF's remote reward model): POST /get_reward (or /) with",
      '  {"query": [prompt + response], "prompts": [prompt], "labels": [gold answer or record]}',
      'answers {"rewards": [r], "scores": [1 correct | 0], "extra_logs": {"correct": [..], "prompt_found": [..]}}.',
      "",
      "Examples:",
      "  ratio reward-server --port 5000                          # math answers: labels are gold answers",
      "  ratio reward-server --preset countdown --port 5001       # labels: {\"target\": 24, \"nums\": [3, 8, 1]}",
      "  ratio reward-server --preset countdown --field numbers=numbers   # verl/TinyZero ground truth {target, numbers}",
      "  ratio reward-server --reward correctness --reward format:0.1     # R1-style: answer correct + 0.1 × format",
      "  curl -s localhost:5000/get_reward -H 'content-type: application/json' \\",
      "    -d '{\"query\": [\"Q: 1+1? A: \\\\boxed{2}\"], \"prompts\": [\"Q: 1+1? A: \"], \"labels\": [\"2\"]}'",
      "  # OpenRLHF: --reward.remote_url http://127.0.0.1:5000/get_reward",
    ].join("\n"))
    .action(action(async (o: RewardServerFlags) => {
      if (!(DATASET_PRESETS as readonly string[]).includes(o.preset)) throw new UserError(`--preset: unknown preset "${o.preset}" (expected one of: ${DATASET_PRESETS.join(", ")})`);
      if (!(COUNTDOWN_PRESETS as readonly string[]).includes(o.countdownPreset)) throw new UserError(`--countdown-preset: unknown rules "${o.countdownPreset}" (expected one of: ${COUNTDOWN_PRESETS.join(", ")})`);
      let fields: Record<string, string>;
      try {
        fields = fieldMappingFor(o.preset as DatasetPreset, o.field);
      } catch (e) {
        throw new UserError(`--field: ${(e as Error).message}`);
      }
      const rewards = [...o.reward.map(parseRewardFlag), ...(o.rewards ? readRewardsFile(o.rewards) : [])];
      const tokenizer = tokenizerFlag(o.tokenizer);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const server = await startRewardServer({
        fields, rewards, tokenizer, maxTokens: o.maxTokens,
        host: o.host, port: o.port, preset: o.preset as DatasetPreset, countdownPreset: o.countdownPreset as CountdownPreset,
        stripTokens: o.stripToken.length > 0 ? o.stripToken : DEFAULT_STRIP_TOKENS, workers: o.workers, timeoutMs: o.timeoutMs, log: o.logRequests ? log : undefined,
      });
      if (o.json) printJson({ url: server.url, reward_url: `${server.url}/get_reward`, port: server.port, task: server.task, preset: o.preset });
      else process.stdout.write(`Ratio reward server (${server.task} verifier, preset ${o.preset}) at ${server.url}/get_reward; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          const s = server.stats();
          log(`ratio reward-server: ${signal}, stopping after ${s.requests} requests (${s.samples} samples)`);
          void server.close().then(() => resolve());
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    }));
}
