// Parallel reasoning (APR, Pan et al. 2025): a spawn/join thread scheduler over any Backend, with budgets, latency
// accounting and the APR Countdown format as a preset.
export * from "./types.js";
export * from "./accounting.js";
export * from "./scheduler.js";
export * from "./apr-format.js";
export * from "./serial-format.js";
export { pool } from "./rounds.js";
