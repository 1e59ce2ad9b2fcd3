// Task options: zod validation with one-line messages naming the option, and coercion of CLI-style strings.
import type { z } from "zod";

export class TaskOptionsError extends Error {
  override name = "TaskOptionsError";
}

/** First zod issue as one line: task "countdown": option "maxNumbers": Too big: expected number to be <=6. */
export function describeZodError(taskName: string, error: z.ZodError, known: readonly string[]): string {
  const issue = error.issues[0];
  if (!issue) return `task "${taskName}": invalid options`;
  if (issue.code === "unrecognized_keys") {
    return `task "${taskName}": unknown option${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (expected one of: ${known.join(", ")})`;
  }
  const path = issue.path.map(String).join(".");
  return `task "${taskName}": ${path ? `option "${path}": ` : ""}${issue.message}`;
}

/** Strings that look like numbers or booleans become numbers or booleans (values given on a command line). */
export function coerceOptionStrings(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) out[k] = Number(v.trim());
    else if (v === "true" || v === "false") out[k] = v === "true";
    else out[k] = v;
  }
  return out;
}

/** Parses options with the schema; throws TaskOptionsError with a one-line message. */
export function parseWith<O>(taskName: string, schema: z.ZodType<O>, raw: unknown, known: readonly string[]): O {
  const input = raw && typeof raw === "object" && !Array.isArray(raw) ? coerceOptionStrings(raw as Record<string, unknown>) : raw ?? {};
  const r = schema.safeParse(input);
  if (!r.success) throw new TaskOptionsError(describeZodError(taskName, r.error, known));
  return r.data;
}

/** Splits generate()'s argument into (seed, index) and the options, checking seed and index. */
export function splitGenerateArgs(taskName: string, args: { seed: number; index: number }): {
  seed: number;
  index: number;
  options: Record<string, unknown>;
} {
  const { seed, index, ...options } = args as { seed: number; index: number } & Record<string, unknown>;
  if (!Number.isSafeInteger(seed)) throw new TaskOptionsError(`task "${taskName}": seed must be a safe integer, got ${String(seed)}`);
  if (!Number.isSafeInteger(index) || index < 0) throw new TaskOptionsError(`task "${taskName}": index must be a non-negative integer, got ${String(index)}`);
  return { seed, index, options };
}
