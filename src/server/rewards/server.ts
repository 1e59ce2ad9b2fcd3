// `ratio reward-server` over HTTP (Hono): POST /get_reward (OpenRLHF's example path) and POST / take the remote
// reward API of remote-rm.ts; GET /health answers {"status": "ok", "task", "preset"}. Every failure is an
// OpenAI-style JSON error {"error": {"message", "type", "param", "code"}} with status 400 (a request the service cannot
// read), 404 (unknown route), 413 (body too large) or 500, never a reward silently missing. close() stops accepting connections and the verifier's worker threads.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../errors.js";
import { RewardRequestError, RewardService, type RewardServiceOptions } from "./remote-rm.js";

export const DEFAULT_REWARD_PORT = 5000;
const DEFAULT_MAX_BODY_BYTES = 16 << 20;

export interface RewardServerOptions extends RewardServiceOptions {
  host?: string;
  /** 0 picks a free port (default 5000, as OpenRLHF's example server) */
  port?: number;
  maxBodyBytes?: number;
  /** one line per request: method, path, status, samples, milliseconds */
  log?: (line: string) => void;
}

export interface RunningRewardServer {
  /** e.g. http://127.0.0.1:5000 (the trainer's URL is this + "/get_reward") */
  url: string;
  port: number;
  task: string;
  /** requests and samples scored so far */
  stats(): { requests: number; samples: number };
  close(): Promise<void>;
}

/** The OpenAI-style error body `ratio serve` answers with (errors.ts). */
const fail = (c: Context, status: 400 | 404 | 413 | 500, code: string, message: string, param: string | null = null) =>
  c.json(new ApiError(status, message, param, code).body(), status);

export async function startRewardServer(o: RewardServerOptions = {}): Promise<RunningRewardServer> {
  const service = RewardService.create(o);
  const counts = { requests: 0, samples: 0 };
  const app = new Hono();
  const maxBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limit = bodyLimit({ maxSize: maxBytes, onError: (c) => fail(c, 413, "request_too_large", `The request body exceeds ${maxBytes} bytes.`) });
  const handle = async (c: Context) => {
    const t0 = performance.now();
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text()) as unknown;
    } catch (e) {
      return fail(c, 400, "invalid_json", `The request body is not valid JSON (${(e as Error).message}).`);
    }
    try {
      const req = service.parse(body);
      const res = await service.score(req);
      counts.requests++;
      counts.samples += req.query.length;
      o.log?.(`${c.req.method} ${c.req.path} 200 ${req.query.length} samples ${Math.round(performance.now() - t0)}ms`);
      return c.json(res);
    } catch (e) {
      if (e instanceof RewardRequestError) {
        o.log?.(`${c.req.method} ${c.req.path} 400 ${e.message}`);
        return fail(c, 400, "invalid_value", e.message, e.param);
      }
      o.log?.(`${c.req.method} ${c.req.path} 500 ${(e as Error).stack ?? String(e)}`);
      return fail(c, 500, "internal_error", `scoring failed: ${(e as Error).message}`);
    }
  };
  app.get("/health", (c) => c.json({ status: "ok", task: service.task, preset: o.preset ?? "plain" }));
  app.post("/get_reward", limit, handle);
  app.post("/", limit, handle);
  app.notFound((c) => fail(c, 404, "unknown_url", `No route ${c.req.method} ${c.req.path} (POST /get_reward or /, GET /health).`));

  const hostname = o.host ?? "127.0.0.1";
  const port = o.port ?? DEFAULT_REWARD_PORT;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname, port }) as Server;
    s.once("listening", () => resolve(s));
    s.once("error", (e) => reject(new Error(`reward-server: cannot listen on ${hostname}:${port} (${e.message})`)));
  }).catch(async (e: unknown) => {
    await service.close();
    throw e;
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${bound}`,
    port: bound,
    task: service.task,
    stats: () => ({ ...counts }),
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), 2000);
        await closed;
        clearTimeout(timer);
        await service.close();
      })()),
  };
}
