// One validator for every stage's options (from YAML or code): the first problem as a one-line error naming the
// field, unknown fields listed with the expected ones.
import type { z } from "zod";

export function parseStageOptions<S extends z.ZodObject<z.ZodRawShape>>(schema: S, raw: unknown, where: string): z.output<S> {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  if (i.code === "unrecognized_keys") {
    throw new Error(`${where}: unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")} (expected one of: ${Object.keys(schema.shape).join(", ")})`);
  }
  throw new Error(`${where}: field ${i.path.map(String).join(".") || "(options)"}: ${i.message}`);
}
