// Field paths and mappings: "question.stem" reads record.question.stem; "choices.0.text" indexes arrays.
// A mapping `question=problem` makes the logical field "question" read the record's "problem".

export class DatasetError extends Error {
  override name = "DatasetError";
}

/** Reads a dotted path; a key that itself contains dots is tried whole first. */
export function getPath(record: unknown, path: string): unknown {
  if (record !== null && typeof record === "object" && Object.prototype.hasOwnProperty.call(record, path)) {
    return (record as Record<string, unknown>)[path];
  }
  let cur: unknown = record;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}

/** Parses field-mapping specs `name=path` (a list, or comma-separated) into a mapping object. */
export function parseFieldMapping(specs: string | readonly string[], allowed?: readonly string[]): Record<string, string> {
  const list = (typeof specs === "string" ? [specs] : specs).flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "");
  const out: Record<string, string> = {};
  for (const spec of list) {
    const eq = spec.indexOf("=");
    const name = spec.slice(0, eq).trim();
    const path = spec.slice(eq + 1).trim();
    if (eq <= 0 || name === "" || path === "") throw new DatasetError(`field mapping "${spec}": expected name=path, e.g. question=problem`);
    if (allowed && !allowed.includes(name)) throw new DatasetError(`field mapping "${spec}": unknown field "${name}" (expected one of: ${allowed.join(", ")})`);
    out[name] = path;
  }
  return out;
}

/** JSON-safe copy: BigInt (parquet INT64) becomes a number when exact, else a decimal string; typed arrays become arrays. */
export function normalizeValue(v: unknown, depth = 0): unknown {
  if (depth > 64) return null;
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map((x) => normalizeValue(x, depth + 1));
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => normalizeValue(x, depth + 1));
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normalizeValue(x, depth + 1);
    return out;
  }
  return v;
}
