// Public API of the algorithms layer.
export * from "./sft.js";
export * from "./evaluate.js";
export * from "./grpo/grpo.js";
export * from "./model-input.js";
export * from "./task-problems.js";
export * from "./rejection-sampling.js";
export * from "./star-options.js";
export * from "./star-iteration.js";
export * from "./star.js";
export * from "./length-sorted-sft.js";
export { runSftStage, sftStageOptionsSchema, sftSteps, type SftStageOptions } from "./sft-stage.js";
export { rollout, checkCompletionFits, type Rollout, type RolloutOptions } from "./rollout.js";
export { teacherOptionsSchema, teacherRollout, type TeacherOptions, type TeacherSample, type TeacherSampling } from "./teacher.js";
