// Procedural tasks, dataset loaders and scorers.
export type { Example, GenerateArgs, PromptTemplate, Rationalization, Score, Task } from "./types.js";
export { describeTaskOptions, getTask, listTasks, parseTaskOptions, type AnyTask, type OptionDoc } from "./registry.js";
export { TaskOptionsError } from "./options.js";
export { rngFor, streamKey, hashString, type ExampleRng } from "./random.js";
export { MAX_COMPLETION_CHARS, INTERNAL_ERROR_REASON, isInternalError, lastTagContent } from "./safe-score.js";
export { TaskScorer, type TaskScorerOptions, type ScoreItem } from "./scorer.js";
export { evaluate, evaluateExpression, formatExpression, parseExpression, type Expr, type ParseResult } from "./expression.js";
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
export { COUNTDOWN_PRESETS, PRESET_RULES, SOS_MAX_NODES, combineNums, type CountdownPreset } from "./countdown/rules.js";
export { solveCountdown, type SolveResult, type FoldStep } from "./countdown/solver.js";
export { dfsTrace, bfsTrace, pathTrace, sumHeuristic, multHeuristic, type SosHeuristic } from "./countdown/sos-trace.js";
export { checkSosTrace, type SosCheck } from "./countdown/sos-check.js";
export { scoreCountdown, scoreTinyZero, scoreReasoningGym, scoreSos } from "./countdown/score.js";
export {
  multipleChoiceTask,
  multipleChoiceExample,
  extractChoice,
  renderChoices,
  parseChoices,
  multipleChoiceRationalization,
  type Choice,
} from "./multiple-choice.js";
export { mathTask, MATH_COT_INSTRUCTION } from "./math-task.js";
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
} from "./loaders/index.js";
export {
  extractMathAnswer, mathEqual, verifyMath, MathVerifierPool, MathVerifyInternalError, type MathVerifyOptions, type MathVerifyResult,
  type MathVerifierPoolOptions,
} from "./math/index.js";
