// Public API of the training layer: the shared objective's step, batching, optimizer, schedules, scoring.
export * from "./adamw.js";
export * from "./aggregation.js";
export * from "./batch.js";
export * from "./clip.js";
export * from "./graph.js";
export * from "./schedule.js";
export * from "./score.js";
export * from "./trainer.js";
export * from "./validate.js";
