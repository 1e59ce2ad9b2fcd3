// Rewards: pure functions of one sample (completion, example, token counts), composable with weights.
export * from "./types.js";
export * from "./compose.js";
export * from "./correctness.js";
export * from "./format.js";
export * from "./cosine.js";
export * from "./repetition.js";
export * from "./overlong.js";
export * from "./lcpo.js";
export * from "./tinyzero.js";
export * from "./simplerl.js";
export * from "./registry.js";
