// Generation stop settings for a template. A template's stop strings close its output format (R1's "</answer>",
// ChatML's "<|im_end|>"), so the completion text must keep them: the R1 format reward and the TinyZero Countdown
// scorer look for the closing "</answer>" and give 0 without it, while OpenAI-style stops would cut it off. The
// Generator's includeStopStrInOutput keeps the stop string in `text`, in one place; every caller that generates with
// a template spreads this object into its GenerateOptions:
//   gen.generate(prompts, { ...generationStops(template), maxTokens: 256, temperature: 1 })
// The token ids are the same either way (they always hold the stop string's tokens), so text and trained tokens agree.
import type { GenerateOptions } from "../sampling/generate.js";
import type { Template } from "./types.js";

export type TemplateStops = Required<Pick<GenerateOptions, "stop" | "includeStopStrInOutput">>;

/** `{ stop: template.stop ?? [], includeStopStrInOutput: true }` */
export function generationStops(template: Pick<Template, "stop">): TemplateStops {
  return { stop: [...(template.stop ?? [])], includeStopStrInOutput: true };
}
