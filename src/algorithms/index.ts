// Public API of the algorithms layer.
export * from "./sft.js";
