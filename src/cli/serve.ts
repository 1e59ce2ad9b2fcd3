// `ratio serve <model-dir>`: an OpenAI-compatible HTTP server for a checkpoint (docs/serve.md).
import type { Command } from "commander";
import { chatFormatNames } from "../server/chat-format.js";
import { loadServedModel } from "../server/model.js";
import { DEFAULT_HOST, DEFAULT_LIMITS, DEFAULT_PORT, startServer } from "../server/server.js";
import { action, MAX_PORT, parseIntFlag, printJson, UserError } from "./common.js";

interface ServeFlags {
  host: string;
  port: number;
  apiKeyEnv?: string;
  chatTemplate?: string;
  servedModelName?: string;
  maxModelLen?: number;
  maxN: number;
  maxBatch: number;
  maxQueue: number;
  maxBodyBytes: number;
  logRequests?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("serve")
    .description("serve a checkpoint over an OpenAI-compatible HTTP API (completions, chat, streaming)")
    .argument("<model-dir>", "checkpoint directory")
    .option("--host <host>", "address to listen on (loopback by default; 0.0.0.0 exposes the server)", DEFAULT_HOST)
    .option("--port <port>", "port (0 = any free port)", parseIntFlag("--port", 0, MAX_PORT), DEFAULT_PORT)
    .option("--api-key-env <name>", "require 'Authorization: Bearer <key>' with the key read from this environment variable")
    .option("--chat-template <name>", `chat template for /v1/chat/completions instead of the checkpoint's (${chatFormatNames().join(", ")})`)
    .option("--served-model-name <name>", "model id in the API (default: the directory's name)")
    .option("--max-model-len <n>", "prompt + max_tokens at most (default: the model's context)", parseIntFlag("--max-model-len", 2))
    .option("--max-n <n>", "samples per prompt at most", parseIntFlag("--max-n", 1), DEFAULT_LIMITS.maxN)
    .option("--max-batch <n>", "sequences decoded together at most", parseIntFlag("--max-batch", 1), DEFAULT_LIMITS.maxRunning)
    .option("--max-queue <n>", "sequences waiting at most (then 503)", parseIntFlag("--max-queue", 1), DEFAULT_LIMITS.maxWaiting)
    .option("--max-body-bytes <n>", "request body size at most (then 413)", parseIntFlag("--max-body-bytes", 1), DEFAULT_LIMITS.maxBodyBytes)
    .option("--log-requests", "one line per request on stderr")
    .option("--json", "print the bound address as one JSON object once listening")
    .addHelpText("after", [
      "",
      "Example:",
      "  ratio serve runs/demo/checkpoints/grpo/final --port 8000 --served-model-name demo --chat-template plain",
      "  curl http://127.0.0.1:8000/v1/completions -H 'Content-Type: application/json' \\",
      "    -d '{\"model\": \"demo\", \"prompt\": \"Input:\\n4 7 + 3 5\\nTarget:\\n\", \"max_tokens\": 80, \"temperature\": 0}'",
      "  (runs/demo/checkpoints/grpo/final is the model that `ratio demo` trains; any checkpoint directory works)",
    ].join("\n"))
    .action(action(async (dir: string, o: ServeFlags) => {
      let apiKey: string | undefined;
      if (o.apiKeyEnv !== undefined) {
        apiKey = process.env[o.apiKeyEnv];
        if (!apiKey) throw new UserError(`--api-key-env ${o.apiKeyEnv}: the environment variable is not set or empty`);
      }
      if (o.chatTemplate !== undefined && !chatFormatNames().includes(o.chatTemplate)) {
        throw new UserError(`--chat-template: unknown template "${o.chatTemplate}" (expected one of: ${chatFormatNames().join(", ")})`);
      }
      const model = await loadServedModel(dir, { name: o.servedModelName, chatTemplate: o.chatTemplate });
      if (o.maxModelLen !== undefined && o.maxModelLen > model.config.max_position_embeddings) {
        throw new UserError(`--max-model-len ${o.maxModelLen} exceeds the model's max_position_embeddings ${model.config.max_position_embeddings}`);
      }
      if (o.maxN > o.maxBatch) throw new UserError(`--max-n ${o.maxN} exceeds --max-batch ${o.maxBatch}`);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const server = await startServer(model, {
        host: o.host, port: o.port, apiKey, log: o.logRequests ? log : undefined,
        limits: { maxN: o.maxN, maxRunning: o.maxBatch, maxWaiting: o.maxQueue, maxBodyBytes: o.maxBodyBytes, contextLength: o.maxModelLen ?? model.config.max_position_embeddings },
      });
      if (o.json) {
        printJson({ url: server.url, base_url: `${server.url}/v1`, host: server.host, port: server.port, model: model.name });
      } else {
        const chat = model.chatFormat ? `chat template ${model.chatFormat.name} from ${model.chatFormat.source}` : "no chat template (completions only)";
        process.stdout.write(`Ratio serving "${model.name}" at ${server.url}/v1 (${chat}${apiKey ? ", API key required" : ""}); Ctrl-C to stop\n`);
      }
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) process.exit(130); // a second signal: stop at once
          stopping = true;
          log(`ratio serve: ${signal}, finishing running requests…`);
          void server.close().then(() => { log("ratio serve: stopped"); resolve(); });
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    }));
}
