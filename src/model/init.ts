// Seeded parameter initialization.
// Matrices ~ N(0, initializer_range²) as transformers' LlamaPreTrainedModel._init_weights; the projections that
// write into the residual stream (o_proj, down_proj) use std / √(2·num_hidden_layers), GPT-2's scaled residual
// init (Radford et al. 2019, §2.3; nanoGPT model.py: std=0.02/math.sqrt(2 * n_layer) for c_proj).
// RMSNorm weights = 1, biases = 0. Each tensor draws from its own stream rng.fork(name), so a tensor's values
// depend only on the seed and its name (e.g. tying the head does not change the other tensors).
import type { LlamaConfig } from "./config.js";
import { ParamStore, paramSpecs } from "./params.js";
import { Rng } from "../util/rng.js";

const RESIDUAL_PROJECTIONS = /\.(self_attn\.o_proj|mlp\.down_proj)\.weight$/;

/** The init standard deviation of a weight matrix (norms and biases are constant, see initParams). */
export function initStd(config: LlamaConfig, name: string): number {
  const std = config.initializer_range;
  return RESIDUAL_PROJECTIONS.test(name) ? std / Math.sqrt(2 * config.num_hidden_layers) : std;
}

export function initParams(config: LlamaConfig, seed: number | string): ParamStore {
  const store = new ParamStore(paramSpecs(config));
  const root = new Rng(seed);
  for (const spec of store.specs) {
    const view = store.get(spec.name);
    if (spec.name.endsWith("norm.weight")) view.fill(1);
    else if (spec.name.endsWith(".bias")) view.fill(0);
    else {
      const rng = root.fork(spec.name);
      const std = initStd(config, spec.name);
      for (let i = 0; i < view.length; i++) view[i] = rng.normal(0, std);
    }
  }
  return store;
}
