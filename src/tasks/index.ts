// Procedural tasks, dataset loaders and scorers.
export type { Example, GenerateArgs, PromptTemplate, Rationalization, Score, Task } from "./types.js";
export { describeTaskOptions, getTask, listTasks, parseTaskOptions, type AnyTask, type OptionDoc } from "./registry.js";
export { TaskOptionsError } from "./options.js";
export { rngFor, streamKey, hashString, type ExampleRng } from "./random.js";
export { MAX_COMPLETION_CHARS, INTERNAL_ERROR_REASON, isInternalError, lastTagContent } from "./safe-score.js";
export { TaskScorer, type TaskScorerOptions, type ScoreItem } from "./scorer.js";
export { evaluate, evaluateExpression, formatExpression, parseExpression, type Expr, type ParseResult, type EvalResult, type Operator } from "./expression.js";
export * as rational from "./rational.js";
export {
  additionTask,
  additionScratchpad,
  additionQuestion,
  additionAnswer,
  extractAdditionAnswer,
  additionRationalization,
  ADDITION_HINT_PREFIX,
  type AdditionOptions,
} from "./addition.js";
export { countdownTask, countdownQuestion, resolveRules, type CountdownOptions } from "./countdown/task.js";
export { COUNTDOWN_PRESETS, PRESET_RULES, SOS_MAX_NODES, combineNums, type CountdownPreset, type PresetRules, type Arithmetic, type SosOp } from "./countdown/rules.js";
export { solveCountdown, type SolveResult, type FoldStep } from "./countdown/solver.js";
export { dfsTrace, bfsTrace, pathTrace, sumHeuristic, multHeuristic, type SosHeuristic, type DfsOptions, type BfsOptions } from "./countdown/sos-trace.js";
export {
  SOS_SEARCH_TYPES, SOS_HEURISTICS, SOS_STRATEGIES, SOS_STRATEGY_NAMES, strategyName, parseStrategy, traceFor, type SosStrategy, type SosSearchType, type SosHeuristicName,
} from "./countdown/sos-strategies.js";
export { SOS_SPLITS, sosTargetSplit, splitTargets, type SosSplit, type SosTargetSplit } from "./countdown/sos-split.js";
export { parseSosTrace, printSosTrace, type ParsedSosTrace, type SosLine, type SosOperation } from "./countdown/sos-grammar.js";
export { APR_MARKERS, APR_BUDGET_QUANTUM, aprBudgetTokens, aprConditionPrefix, aprNodePrompt, type AprCondition } from "./countdown/apr-markers.js";
export { checkSosTrace, type SosCheck } from "./countdown/sos-check.js";
export { scoreCountdown, scoreTinyZero, scoreReasoningGym, scoreSos, type CountdownProblem } from "./countdown/score.js";
export {
  multipleChoiceTask,
  multipleChoiceExample,
  extractChoice,
  renderChoices,
  parseChoices,
  multipleChoiceRationalization,
  type Choice,
  type Extraction,
  type MultipleChoiceOptions,
} from "./multiple-choice.js";
export { mathTask, MATH_COT_INSTRUCTION, type MathOptions } from "./math-task.js";
export {
  loadDataset,
  parseFieldMapping,
  fieldMappingFor,
  gsm8kGold,
  readRecords,
  DatasetError,
  DATASET_PRESETS,
  type DatasetPreset,
  type DatasetFormat,
  type LoadOptions,
  type SourceRecord,
} from "./loaders/index.js";
export {
  extractMathAnswer, mathEqual, verifyMath, MathVerifierPool, MathVerifyInternalError, type MathVerifyOptions, type MathVerifyResult,
  type MathVerifierPoolOptions, type MathVerifyItem, type PercentMode,
} from "./math/index.js";
