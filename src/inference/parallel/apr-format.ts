// The APR Countdown ThreadFormat preset (Pan et al. 2025, Parallel-Reasoning/APR): stops on the end of a spawn block
// and on the results marker only the runtime may write (rewritten to <Calling Sub Searches>, as APR decode_trace
// does), spawns one child per `<Start Sub Search i at level L> Moving to Node #a,b` line with the node's state as
// its prompt, returns a child's text after its second-to-last "Goal Reached", and replaces the parent's spawn
// block by the results block. Markers: src/tasks/countdown/apr-markers.ts.
import type { FinishReason } from "../../backends/types.js";
import { APR_MARKERS, aprConditionPrefix, aprJoinBlock, aprWinningPath, parseAprSpawn } from "../../tasks/countdown/apr-markers.js";
import type { ChildOutcome, RoundOutcome, TextEdit, ThreadFormat } from "./types.js";

export interface AprFormatOptions {
  /**
   * prefix children's prompts with APR's `Token Budget: N ` (N = the child's token cap rounded up to a multiple of
   * 512). APR hands its children the root's budget; here each child is told the cap the scheduler enforces on it.
   * The root's own prefix (token or sub-call budget) is part of the prompt the caller gives: aprConditionPrefix.
   */
  tokenBudget?: boolean;
}

/** The APR Countdown preset. */
export function aprCountdownFormat(o: AprFormatOptions = {}): ThreadFormat {
  return {
    name: "apr-countdown",
    stop: [APR_MARKERS.endCall, APR_MARKERS.results],
    afterRound(prompt: string, text: string, finish: FinishReason): RoundOutcome {
      if (finish === "stop" && text.endsWith(APR_MARKERS.results)) return { kind: "continue", strip: APR_MARKERS.results.length, append: APR_MARKERS.call };
      if (finish === "stop" && text.endsWith(APR_MARKERS.endCall)) return { kind: "spawn", children: parseAprSpawn(prompt + text) };
      return { kind: "done" };
    },
    childResult: (_prompt: string, text: string) => aprWinningPath(text),
    renderJoin(children: readonly ChildOutcome[], level: number, parentText: string): TextEdit {
      const at = parentText.lastIndexOf(APR_MARKERS.call);
      return { strip: at < 0 ? 0 : parentText.length - at, append: aprJoinBlock(children, level) };
    },
    budgetPrefix: o.tokenBudget ? (n: number) => aprConditionPrefix({ kind: "token_budget", n }) : undefined,
  };
}
