// Public API of the run layer: run directories, diagnostics, stage contexts, datasets with lineage, plots.
export * from "./dataset.js";
export * from "./diagnostics.js";
export * from "./plots.js";
export * from "./run-dir.js";
export * from "./stage.js";
