// GET /v1/models and /v1/models/{id}: the one model this server serves; and the `model` check of every request.
import type { Context } from "hono";
import { ApiError } from "./errors.js";
import type { ServeContext } from "./generation.js";

export interface ModelCard {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  /** prompt + completion tokens at most (vLLM's field) */
  max_model_len: number;
}

export function modelCard(ctx: ServeContext, created: number): ModelCard {
  return { id: ctx.model.name, object: "model", created, owned_by: "ratio", max_model_len: ctx.limits.contextLength };
}

/** 404 unless `model` is the served one. */
export function checkModel(ctx: ServeContext, model: string): void {
  if (model !== ctx.model.name) {
    throw new ApiError(404, `The model '${model}' does not exist; this server serves '${ctx.model.name}'.`, "model", "model_not_found");
  }
}

export function listModels(c: Context, ctx: ServeContext, created: number): Response {
  return c.json({ object: "list", data: [modelCard(ctx, created)] });
}

export function getModel(c: Context, ctx: ServeContext, created: number, id: string): Response {
  checkModel(ctx, id);
  return c.json(modelCard(ctx, created));
}
