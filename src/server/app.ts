// The HTTP routes of `ratio serve` (Hono): OpenAI's /v1/models, /v1/completions and /v1/chat/completions plus
// /health; bearer-token auth when a key is set; a body size limit; every error as OpenAI-style JSON.
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { handleChat } from "./chat.js";
import { handleCompletions } from "./completions.js";
import { ApiError, badRequest } from "./errors.js";
import type { ServeContext } from "./generation.js";
import { getModel, listModels } from "./models-endpoint.js";
import { toApiError } from "./run-sequences.js";

export interface AppOptions {
  /** clients must send `Authorization: Bearer <apiKey>` to /v1/* */
  apiKey?: string;
  /** one line per request (method, path, status, milliseconds); errors of status 500 always go here */
  log?: (line: string) => void;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`The request body is not valid JSON (${(e as Error).message}).`, null, "invalid_json");
  }
}

export function createApp(ctx: ServeContext, opts: AppOptions = {}): Hono {
  const app = new Hono();
  const created = Math.floor(Date.now() / 1000);
  const expected = opts.apiKey !== undefined ? digest(opts.apiKey) : undefined;

  if (opts.log) {
    const log = opts.log;
    app.use("*", async (c, next) => {
      const t0 = performance.now();
      await next();
      log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - t0)}ms`);
    });
  }
  app.use("/v1/*", async (c, next) => {
    if (expected) {
      const header = c.req.header("authorization") ?? "";
      const m = /^Bearer\s+(.+)$/i.exec(header);
      if (!m) throw new ApiError(401, "Missing API key: send 'Authorization: Bearer <key>'.", null, "invalid_api_key");
      if (!timingSafeEqual(digest(m[1].trim()), expected)) throw new ApiError(401, "Incorrect API key provided.", null, "invalid_api_key");
    }
    await next();
  });
  const limit = bodyLimit({
    maxSize: ctx.limits.maxBodyBytes,
    onError: (c) => c.json(new ApiError(413, `The request body exceeds ${ctx.limits.maxBodyBytes} bytes.`, null, "request_too_large").body(), 413),
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/v1/models", (c) => listModels(c, ctx, created));
  app.get("/v1/models/:id{.+}", (c) => getModel(c, ctx, created, c.req.param("id")));
  app.post("/v1/completions", limit, async (c) => handleCompletions(c, ctx, await readJson(c)));
  app.post("/v1/chat/completions", limit, async (c) => handleChat(c, ctx, await readJson(c)));

  app.notFound((c) => c.json(new ApiError(404, `Unknown request URL: ${c.req.method} ${c.req.path}.`, null, "unknown_url").body(), 404));
  app.onError((e, c) => {
    const api = toApiError(e);
    if (api.status === 500) (opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(`ratio serve: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return c.json(api.body(), api.status);
  });
  return app;
}
