// Public API of the algorithms layer.
export * from "./sft.js";
export * from "./evaluate.js";
export * from "./grpo/grpo.js";
