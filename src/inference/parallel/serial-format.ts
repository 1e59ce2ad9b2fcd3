// The trivial ThreadFormat: one thread that never spawns. Runs a serial baseline through the same scheduler, budgets
// and accounting as a parallel format (its critical path equals its total tokens).
import type { TextEdit, ThreadFormat } from "./types.js";

export function serialFormat(stop: readonly string[] = []): ThreadFormat {
  return {
    name: "serial",
    stop,
    afterRound: () => ({ kind: "done" }),
    childResult: () => null,
    renderJoin: (): TextEdit => ({ strip: 0, append: "" }),
  };
}
