// The progress bar lives in src/util/progress.ts (the algorithms layer uses it too); re-exported for the CLI.
export * from "../util/progress.js";
