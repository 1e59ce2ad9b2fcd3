// Prompt templates: R1, plain, STaR scratchpad, L1 length prompts, s1 and Qwen3 thinking delimiters.
export type { ParseOptions, ParsedCompletion, RenderOptions, Template } from "./types.js";
export { getTemplate, listTemplates } from "./registry.js";
export { parseDelimited, type Delimiters } from "./parse.js";
export { r1Template, R1_TEMPLATE_TEXT } from "./r1.js";
export { plainTemplate } from "./plain.js";
export { starTemplate } from "./star.js";
export { l1ExactTemplate, l1MaxTemplate, L1_INSTRUCTION } from "./l1.js";
export { s1Template, S1_SYSTEM, S1_THINK_START, S1_ANSWER_START, IM_END } from "./s1.js";
export { qwen3Template } from "./qwen3.js";
export { generationStops, type TemplateStops } from "./stops.js";
