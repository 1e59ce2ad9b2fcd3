// Task registry: look tasks up by name, list them, validate their options.
import { z } from "zod";
import { additionTask } from "./addition.js";
import { countdownTask } from "./countdown/task.js";
import { mathTask } from "./math-task.js";
import { multipleChoiceTask } from "./multiple-choice.js";
import { TaskOptionsError, parseWith } from "./options.js";
import type { Task } from "./types.js";

/** A task of any option type, as stored in the registry. */
export type AnyTask = Task<Record<string, unknown>>;

const TASKS: readonly AnyTask[] = [additionTask, countdownTask, multipleChoiceTask, mathTask] as unknown as AnyTask[];

export function listTasks(): AnyTask[] {
  return [...TASKS];
}

export function getTask(name: string): AnyTask {
  const t = TASKS.find((x) => x.name === name);
  if (!t) throw new TaskOptionsError(`unknown task "${name}" (expected one of: ${TASKS.map((x) => x.name).join(", ")})`);
  return t;
}

function optionShape(task: AnyTask): Record<string, z.ZodType> {
  const schema = task.options as unknown as { shape?: Record<string, z.ZodType> };
  return schema.shape ?? {};
}

/** Validates raw options (from a config file or `--option k=v` flags) with one-line errors naming the option. */
export function parseTaskOptions(name: string, raw: unknown): Record<string, unknown> {
  const task = getTask(name);
  return parseWith(name, task.options, raw, Object.keys(optionShape(task)));
}

export interface OptionDoc {
  name: string;
  description: string;
  default?: unknown;
}

/** Option names, descriptions and defaults, for --help texts and docs. */
export function describeTaskOptions(name: string): OptionDoc[] {
  const json = z.toJSONSchema(getTask(name).options as z.ZodType, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, { description?: string; default?: unknown }>;
  };
  return Object.entries(json.properties ?? {}).map(([k, v]) => ({ name: k, description: v.description ?? "", ...(v.default !== undefined ? { default: v.default } : {}) }));
}
