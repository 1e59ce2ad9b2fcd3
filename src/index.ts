// Ratio: train, run and evaluate reasoning models. Each layer is importable on its own ("ratio/engine", …);
// this entry re-exports the layers whose names do not collide.
export * as engine from "./engine/index.js";
export * from "./model/index.js";
export * from "./train/index.js";
export * from "./sampling/index.js";
export * from "./algorithms/index.js";
export * as rewards from "./rewards/index.js";
export * as metrics from "./metrics/index.js";
export { Rng, type RngState } from "./util/rng.js";
