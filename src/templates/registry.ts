// Template registry; getTemplate(name, opts) binds render options (e.g. the L1 budget) into the template.
import { l1ExactTemplate, l1MaxTemplate } from "./l1.js";
import { plainTemplate } from "./plain.js";
import { qwen3Template } from "./qwen3.js";
import { r1Template } from "./r1.js";
import { s1Template } from "./s1.js";
import { starTemplate } from "./star.js";
import type { RenderOptions, Template } from "./types.js";

const TEMPLATES: readonly Template[] = [r1Template, plainTemplate, starTemplate, l1ExactTemplate, l1MaxTemplate, s1Template, qwen3Template];

export function listTemplates(): Template[] {
  return [...TEMPLATES];
}

/** Looks a template up by name; with `defaults`, render() uses them unless overridden per call. */
export function getTemplate(name: string, defaults?: RenderOptions): Template {
  const t = TEMPLATES.find((x) => x.name === name);
  if (!t) throw new Error(`unknown template "${name}" (expected one of: ${TEMPLATES.map((x) => x.name).join(", ")})`);
  if (!defaults) return t;
  return { ...t, render: (question: string, opts?: RenderOptions) => t.render(question, { ...defaults, ...opts }) };
}
