// One-line messages for zod issues in a config file: "expected a number, got \"abc\"", "unknown key \"lr_\"
// (expected one of: lr, steps, …)", "required key (expected a string)".
import { z } from "zod";
import type { KeyPath } from "./yaml-source.js";

const ARTICLE: Record<string, string> = {
  number: "a number", int: "an integer", string: "a string", boolean: "true or false", object: "a mapping (key: value)",
  array: "a list", record: "a mapping (key: value)", bigint: "an integer",
};

/** A short rendering of a YAML value for messages. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

/** The schema of the value at `path` inside `schema` (through optional/default/nullable wrappers), if known. */
export function schemaAt(schema: z.ZodType, path: KeyPath): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (s === undefined) return undefined;
    if (s instanceof z.ZodObject && typeof seg === "string") s = (s.shape as Record<string, z.ZodType>)[seg];
    else if (s instanceof z.ZodArray && typeof seg === "number") s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return undefined;
    s = s === undefined ? undefined : unwrap(s);
  }
  return s;
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (;;) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable) cur = cur.unwrap() as z.ZodType;
    else if (cur instanceof z.ZodDefault || cur instanceof z.ZodPrefault) cur = cur.unwrap() as z.ZodType;
    else if (cur instanceof z.ZodPipe) cur = cur.in as z.ZodType;
    else return cur;
  }
}

/** The keys a mapping at `path` accepts, when its schema is an object. */
export function knownKeys(schema: z.ZodType, path: KeyPath): string[] | undefined {
  const s = schemaAt(schema, path);
  return s instanceof z.ZodObject ? Object.keys(s.shape as Record<string, unknown>) : undefined;
}

/** The value at `path` in a plain JS value (undefined when absent). */
export function valueAt(root: unknown, path: KeyPath): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/**
 * The message for one issue. `value` is the whole parsed input (to say what was found), `schema` what it was
 * parsed with (to list the accepted keys).
 */
export function issueMessage(issue: z.core.$ZodIssue, value: unknown, schema: z.ZodType): string {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  switch (issue.code) {
    case "unrecognized_keys": {
      const keys = knownKeys(schema, path);
      return `unknown key ${JSON.stringify(issue.keys[0])}${keys ? ` (expected one of: ${keys.join(", ")})` : ""}`;
    }
    case "invalid_type": {
      const want = ARTICLE[issue.expected] ?? issue.expected;
      const got = valueAt(value, path);
      return got === undefined ? `required key missing (expected ${want})` : `expected ${want}, got ${describeValue(got)}`;
    }
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(valueAt(value, path))}`;
    case "too_small":
    case "too_big": {
      const got = valueAt(value, path);
      return `${issue.message.replace(/^Too (small|big): /, "")}${typeof got === "number" ? `, got ${got}` : ""}`;
    }
    default:
      return issue.message;
  }
}
