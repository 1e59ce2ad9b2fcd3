// Public API of the sampling layer.
export * from "./generate.js";
export * from "./graphs.js";
export * from "./sampler.js";
export * from "./stop.js";
export * from "./session.js";
