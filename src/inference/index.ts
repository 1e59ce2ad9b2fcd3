// Inference-time controls: budget forcing (s1), L1 length prompts, self-consistency, best-of-N, parallel reasoning
// (APR spawn/join threads).
export * from "./budget-forcing.js";
export * from "./presets.js";
export * from "./length-prompts.js";
export * from "./equivalence.js";
export * from "./self-consistency.js";
export * from "./best-of-n.js";
export * from "./parallel/index.js";
