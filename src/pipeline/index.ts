// Public API of pipelines: YAML files that declare a run's model, tasks and stages, and the runner.
export * from "./base-model.js";
export * from "./runner.js";
export * from "./spec.js";
export * from "./stage-kind.js";
export * from "./stages/index.js";
export * from "./summary.js";
export * from "./tasks.js";
export * from "./yaml-source.js";
