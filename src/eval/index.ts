// The evaluation harness (`ratio eval`): runs, resumable result files, summaries, budget sweeps.
export { runEval, evalSettings, budgetForcingOptions, resolveDelimiters, type EvalOptions } from "./run.js";
export { runSweep, scalingNumbers, sweepTable, sweepSvg, type SweepPoint, type SweepResult, type ScalingNumbers } from "./sweep.js";
export { summarize, formatSummary, type EvalSummary, type EvalTiming } from "./summary.js";
export { readResults, appendProblem, settingsDiff, RESULTS_FILE, SETTINGS_FILE, SUMMARY_FILE, type EvalRecord, type ExistingResults } from "./records.js";
export { parseBudgetForcing, formatBudgetForcing, type BudgetForcingSpec } from "./budget-spec.js";
export { loadProblems, taskOf, type ProblemSource } from "./problems.js";
export { sampleBatch, splitThinking, type SampledCompletion, type ForcedSegment, type SampleBatchOptions } from "./sample.js";
