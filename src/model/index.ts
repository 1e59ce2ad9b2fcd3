// Public API of the model layer.
export * from "./config.js";
export * from "./params.js";
export * from "./init.js";
export * from "./safetensors.js";
export * from "./tokenizer.js";
export * from "./checkpoint.js";
export * from "./llama.js";
export * from "./objective.js";
