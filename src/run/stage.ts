// What every training or evaluation stage gets from its caller (the pipeline runner, a CLI command, the demo):
// the run directory, the stage's name in it, the seed, whether to resume, and where to print.
import type { RunDir } from "./run-dir.js";

export interface StageContext {
  run: RunDir;
  /** the stage's unique name in the run (metrics rows, checkpoints/<stage>/, datasets/<stage>/) */
  stage: string;
  seed: number;
  /** continue from the stage's last complete checkpoint (nothing completed is lost or repeated) */
  resume: boolean;
  /** user-facing messages (diagnostics, per-iteration tables); silent under --json */
  say(message: string): void;
  /** show progress bars (a TTY and not --json) */
  progress: boolean;
  /** onnxruntime intra-op threads */
  threads?: number;
  /**
   * stop (with a checkpoint) after this many optimizer steps of this invocation, as if killed after a complete
   * step; used by resume tests and `--stop-after`
   */
  stopAfterSteps?: number;
}

/** What a finished stage hands to the next one. */
export interface StageResult {
  /** checkpoint directory of the trained model, if the stage trains */
  checkpoint?: string;
  /** dataset file, if the stage writes one (rejection sampling, STaR iterations) */
  dataset?: string;
  /** headline numbers (accuracy, reward, examples kept, …) for the manifest and the summary line */
  summary: Record<string, unknown>;
  /** true when the stage stopped early because of stopAfterSteps */
  stopped?: boolean;
}

/** A StageContext that prints nothing (library use, tests). */
export function quietContext(run: RunDir, stage: string, seed = 0, o: Partial<StageContext> = {}): StageContext {
  return { run, stage, seed, resume: false, say: () => undefined, progress: false, ...o };
}
