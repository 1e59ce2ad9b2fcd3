// The experiments behind docs/results/: each is a function from flags to a result written under its run directory
// and a markdown table; `ratio experiment <name>` runs one.
import type { StageContext } from "../run/stage.js";
import { aprExperiment } from "./apr.js";
import { grpoVariantsExperiment } from "./grpo-variants.js";
import { primingExperiment } from "./priming.js";
import { sosExperiment } from "./sos.js";
import { starRationalizationExperiment } from "./star-rationalization.js";

export interface ExperimentFlags {
  /** output directory (a run directory per arm underneath) */
  out: string;
  seed: number;
  /** smaller budget for tests (seconds, not minutes) */
  quick: boolean;
  json: boolean;
  say: StageContext["say"];
  progress: boolean;
}

export interface ExperimentResult {
  /** markdown: what was run, the table, what it shows */
  markdown: string;
  /** machine-readable numbers (printed by --json) */
  data: Record<string, unknown>;
  /** plot files written */
  plots: string[];
}

export interface Experiment {
  name: string;
  description: string;
  run(flags: ExperimentFlags): Promise<ExperimentResult>;
}

/** Registered experiments (one file each in src/experiments/). */
export const experiments: Experiment[] = [aprExperiment, grpoVariantsExperiment, primingExperiment, starRationalizationExperiment, sosExperiment];
