// Starts a worker from the TypeScript sources (vitest, tsx): Node 20 does not apply loader hooks to a worker's
// entry module, so this plain-JS entry registers tsx's loader in the worker thread and then imports the .ts worker.
// Compiled code (dist/) starts verify-worker.js directly and never uses this file.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
