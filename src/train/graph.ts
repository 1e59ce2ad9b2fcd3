// Training and scoring graphs of a Llama model: forward + objective (+ full backward by autodiff) in ONE graph,
// so a micro-batch is a single onnxruntime call (docs/engine.md). Parameters are graph
// inputs owned by JS (zero-copy views of one Float32Array); gradients come back as outputs "grad:<name>".
import { Graph, grad, type NDArray, type Value } from "../engine/index.js";
import type { LlamaConfig } from "../model/config.js";
import { causalMask, declareParams, llamaForward, ropeTables } from "../model/llama.js";
import { DEFAULT_OBJECTIVE, policyObjective, type ObjectiveOptions } from "../model/objective.js";
import { paramSpecs } from "../model/params.js";

export const GRAD_PREFIX = "grad:";

function positionInputs(g: Graph, config: LlamaConfig) {
  const hd = config.head_dim;
  return {
    cos: g.input("rope_cos", "float32", [1, 1, "T", hd]),
    sin: g.input("rope_sin", "float32", [1, 1, "T", hd]),
    mask: g.input("attn_mask", "float32", [1, 1, "T", "T"]),
  };
}

/**
 * Forward + objective + gradients of the loss w.r.t. every parameter (`gradients: false` leaves the backward out:
 * the same objective, e.g. for finite differences).
 */
export function buildTrainGraph(config: LlamaConfig, o: ObjectiveOptions, opts: { gradients?: boolean } = {}): Graph {
  const g = new Graph(opts.gradients === false ? "ratio_objective" : "ratio_train");
  const p = declareParams(g, config);
  const ids = g.input("input_ids", "int64", ["B", "T"]);
  const targets = g.input("targets", "int64", ["B", "T"]);
  const weight = g.input("weight", "float32", ["B", "T"]);
  const advantages = g.input("advantages", "float32", ["B", "T"]);
  const oldLogp = o.oldLogp === "input" ? g.input("old_logp", "float32", ["B", "T"]) : undefined;
  const refLogp = o.beta > 0 ? g.input("ref_logp", "float32", ["B", "T"]) : undefined;
  const logits = llamaForward(config, p, ids, positionInputs(g, config));
  const out = policyObjective(logits, { targets, weight, advantages, oldLogp, refLogp }, o);
  g.output("loss", out.loss);
  g.output("logp", out.logp);
  if (out.entropy) g.output("entropy", out.entropy);
  if (out.kl) g.output("kl", out.kl);
  if (opts.gradients === false) return g;
  const names = paramSpecs(config).map((s) => s.name);
  const grads = grad(out.loss, names.map((n) => p[n]));
  names.forEach((n, i) => g.output(GRAD_PREFIX + n, grads[i]));
  return g;
}

/** Forward only: per-token log-probs of the targets and the policy entropy under softmax(logits / temperature). */
export function buildScoreGraph(config: LlamaConfig, temperature = 1): Graph {
  const g = new Graph("ratio_score");
  const p = declareParams(g, config);
  const ids = g.input("input_ids", "int64", ["B", "T"]);
  const targets = g.input("targets", "int64", ["B", "T"]);
  const logits = llamaForward(config, p, ids, positionInputs(g, config));
  const zeros = g.input("weight", "float32", ["B", "T"]);
  const out = policyObjective(logits, { targets, weight: zeros, advantages: zeros }, { ...DEFAULT_OBJECTIVE, beta: 0, entropy: true, temperature });
  g.output("logp", out.logp);
  g.output("entropy", out.entropy as Value);
  return g;
}

/** Full-sequence logits graph (tests, checks against other implementations). */
export function buildLogitsGraph(config: LlamaConfig): Graph {
  const g = new Graph("ratio_logits");
  const p = declareParams(g, config);
  const ids = g.input("input_ids", "int64", ["B", "T"]);
  g.output("logits", llamaForward(config, p, ids, positionInputs(g, config)));
  return g;
}

const positionCache = new WeakMap<LlamaConfig, Map<number, Record<string, NDArray>>>();

/**
 * Position feeds for a [B, T] batch starting at position 0: RoPE tables and the causal mask. Built once per
 * (config, T) and shared (they are read-only), so repeated steps and scoring calls do not rebuild them.
 */
export function positionFeeds(config: LlamaConfig, T: number): Record<string, NDArray> {
  let byT = positionCache.get(config);
  if (!byT) positionCache.set(config, (byT = new Map()));
  let feeds = byT.get(T);
  if (!feeds) byT.set(T, (feeds = buildPositionFeeds(config, T)));
  return feeds;
}

function buildPositionFeeds(config: LlamaConfig, T: number): Record<string, NDArray> {
  const positions = Array.from({ length: T }, (_, i) => i);
  const { cos, sin } = ropeTables(config, positions);
  const hd = config.head_dim;
  return {
    rope_cos: { dtype: "float32", shape: [1, 1, T, hd], data: cos },
    rope_sin: { dtype: "float32", shape: [1, 1, T, hd], data: sin },
    attn_mask: { dtype: "float32", shape: [1, 1, T, T], data: causalMask(T) },
  };
}

/** Parameter feeds: zero-copy views of the store. */
export function paramFeeds(config: LlamaConfig, views: readonly Float32Array[]): Record<string, NDArray> {
  const feeds: Record<string, NDArray> = {};
  paramSpecs(config).forEach((s, i) => { feeds[s.name] = { dtype: "float32", shape: s.shape, data: views[i] }; });
  return feeds;
}
