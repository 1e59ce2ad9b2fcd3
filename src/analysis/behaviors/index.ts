// Cognitive-behavior analysis of reasoning traces (Gandhi et al. 2025): rule-based detectors with spans, the four
// LLM-judge prompts over any backend, agreement statistics, per-step aggregation (docs/analysis.md).
export * from "./detect.js";
export { type BehaviorRule, type RuleMatch } from "./rules.js";
export { VERIFICATION_RULES } from "./verification.js";
export { BACKTRACKING_RULES } from "./backtracking.js";
export { SUBGOAL_SETTING_RULES } from "./subgoal-setting.js";
export { BACKWARD_CHAINING_RULES } from "./backward-chaining.js";
export * from "./judge-prompts.js";
export * from "./judge.js";
export * from "./agreement.js";
export * from "./aggregate.js";
export * from "./label-scores.js";
export * from "./traces.js";
export * from "./report.js";
