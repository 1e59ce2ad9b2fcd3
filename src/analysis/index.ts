// Analyses of traces and runs; the package export "ratio/analysis". Cognitive behaviors: src/analysis/behaviors.
export * from "./behaviors/index.js";
