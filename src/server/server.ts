// Starting and stopping an OpenAI-compatible server for one model: the model compiled once (frozen weights),
// the continuous-batching scheduler, the Hono app on a Node HTTP server. close() is graceful: no new connections
// or requests, queued requests answered 503, running ones given a grace period, then the sockets closed.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp, type AppOptions } from "./app.js";
import { KvPool } from "./engine/kv-pool.js";
import { ModelRunner } from "./engine/model-runner.js";
import { Scheduler, type SchedulerStats } from "./engine/scheduler.js";
import type { ServeContext, ServeLimits } from "./generation.js";
import type { ServedModel } from "./model.js";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8000;
export const DEFAULT_LIMITS: Omit<ServeLimits, "contextLength"> = { maxN: 16, maxRunning: 64, maxWaiting: 1024, maxBodyBytes: 1 << 20 };
const DEFAULT_GRACE_MS = 10_000;
const SOCKET_CLOSE_MS = 2_000;

export interface ServeOptions extends AppOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  /** context defaults to the model's max_position_embeddings (a smaller one caps prompt + max_tokens) */
  limits?: Partial<ServeLimits>;
  /** onnxruntime intra-op threads (default: RATIO_THREADS or 2) */
  threads?: number;
  /** how long running requests may take to finish on close() */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  /** base URL, e.g. http://127.0.0.1:8000 (the OpenAI base URL is this + "/v1") */
  url: string;
  host: string;
  port: number;
  model: ServedModel;
  limits: ServeLimits;
  stats(): SchedulerStats;
  /** graceful stop (idempotent) */
  close(): Promise<void>;
}

function checkLimits(l: ServeLimits, modelContext: number): void {
  for (const [k, v] of Object.entries(l)) if (!Number.isInteger(v) || v < 1) throw new Error(`serve: limit ${k} must be a positive integer, got ${v}`);
  if (l.contextLength > modelContext) throw new Error(`serve: context length ${l.contextLength} exceeds the model's max_position_embeddings ${modelContext}`);
  if (l.maxN > l.maxRunning) throw new Error(`serve: max n ${l.maxN} exceeds the batch of ${l.maxRunning} sequences`);
}

export async function startServer(model: ServedModel, opts: ServeOptions = {}): Promise<RunningServer> {
  const modelContext = model.config.max_position_embeddings;
  const limits: ServeLimits = { ...DEFAULT_LIMITS, contextLength: modelContext, ...opts.limits };
  checkLimits(limits, modelContext);
  const runner = await ModelRunner.create({ config: model.config, params: model.params, padId: model.tokenizer.padId, runtime: { threads: opts.threads } });
  const c = model.config;
  const pool = new KvPool(c.num_hidden_layers, c.num_key_value_heads, c.head_dim, limits.contextLength);
  const scheduler = new Scheduler(runner, pool, { maxRunning: limits.maxRunning, maxWaiting: limits.maxWaiting });
  const ctx: ServeContext = { model, scheduler, limits };
  const app = createApp(ctx, opts);
  const hostname = opts.host ?? DEFAULT_HOST;

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname, port: opts.port ?? DEFAULT_PORT }) as Server;
    s.once("listening", () => resolve(s));
    s.once("error", (e) => reject(new Error(`serve: cannot listen on ${hostname}:${opts.port ?? DEFAULT_PORT} (${e.message})`)));
  }).catch(async (e: unknown) => {
    await runner.release();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  const shown = hostname.includes(":") ? `[${hostname}]` : hostname;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await scheduler.close(opts.shutdownGraceMs ?? DEFAULT_GRACE_MS);
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), SOCKET_CLOSE_MS);
      await closed;
      clearTimeout(timer);
      await runner.release();
    })();
    return closing;
  };
  return { url: `http://${shown}:${port}`, host: hostname, port, model, limits, stats: () => scheduler.stats(), close };
}
