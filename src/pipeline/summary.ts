// One-line stage summaries for the terminal: "✓ sft warmup (12.3 s): steps 200, loss 0.412 → checkpoints/warmup/final".

const PERCENT = /^(accuracy|maj@\d+|pass@\d+|pass_rate|keep_rate)$/;

function formatValue(key: string, v: unknown): string | undefined {
  if (typeof v === "number") {
    if (PERCENT.test(key)) return `${(v * 100).toFixed(1)}%`;
    return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  }
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${k}: ${formatValue(key, x) ?? "?"}`);
    return `{${parts.join(", ")}}`;
  }
  return undefined;
}

/** "steps 200, loss 0.4120, accuracy 93.0%" from a stage summary (nulls left out). */
export function formatSummary(summary: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(summary)) {
    const s = formatValue(k.replace(/_by_bucket$/, ""), v);
    if (s !== undefined) parts.push(`${k} ${s}`);
  }
  return parts.join(", ");
}
