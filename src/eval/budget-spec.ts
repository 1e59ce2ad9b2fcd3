// The --budget-forcing flag: comma-separated key=value pairs, e.g.
//   min=2,max=512,ext=Wait,accounting=truncate,preset=s1,answer=Final Answer:,min-tokens=100
// min = extensions N (s1 "ignore the end N times"), max = thinking budget B, ext = the extension string,
// accounting = decrement | truncate, preset = the delimiters (default: those of --template), answer = the answer
// prefix of a forced end, min-tokens = extend only while thinking is shorter. Values may not contain commas.
import { BUDGET_FORCING_PRESET_NAMES, type BudgetForcingPreset } from "../inference/presets.js";
import type { BudgetAccounting } from "../inference/budget-forcing.js";

export interface BudgetForcingSpec {
  /** extensions N */
  min: number;
  /** thinking budget B; null = none */
  max: number | null;
  ext: string;
  accounting: BudgetAccounting;
  preset: BudgetForcingPreset | null;
  /** answer prefix override; null = the preset's */
  answer: string | null;
  minTokens: number | null;
}

const KEYS = ["min", "max", "ext", "accounting", "preset", "answer", "min-tokens"] as const;

export function parseBudgetForcing(value: string, flag = "--budget-forcing"): BudgetForcingSpec {
  const spec: BudgetForcingSpec = { min: 0, max: null, ext: "Wait", accounting: "truncate", preset: null, answer: null, minTokens: null };
  const seen = new Set<string>();
  for (const part of value.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq < 0) throw new Error(`${flag}: "${part}" is not key=value (keys: ${KEYS.join(", ")})`);
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1);
    if (!(KEYS as readonly string[]).includes(key)) throw new Error(`${flag}: unknown key "${key}" (expected one of: ${KEYS.join(", ")})`);
    if (seen.has(key)) throw new Error(`${flag}: key "${key}" given twice`);
    seen.add(key);
    const int = (min: number) => {
      const n = Number(raw.trim());
      if (raw.trim() === "" || !Number.isInteger(n) || n < min) throw new Error(`${flag}: ${key} must be an integer ≥ ${min}, got "${raw}"`);
      return n;
    };
    switch (key) {
      case "min": spec.min = int(0); break;
      case "max": spec.max = int(1); break;
      case "min-tokens": spec.minTokens = int(1); break;
      case "ext":
        if (raw === "") throw new Error(`${flag}: ext must not be empty`);
        spec.ext = raw;
        break;
      case "answer": spec.answer = raw; break;
      case "accounting":
        if (raw !== "decrement" && raw !== "truncate") throw new Error(`${flag}: accounting must be decrement or truncate, got "${raw}"`);
        spec.accounting = raw;
        break;
      case "preset":
        if (!(BUDGET_FORCING_PRESET_NAMES as string[]).includes(raw)) throw new Error(`${flag}: preset must be one of ${BUDGET_FORCING_PRESET_NAMES.join(", ")}, got "${raw}"`);
        spec.preset = raw as BudgetForcingPreset;
        break;
    }
  }
  return spec;
}

/** The flag text of a spec (for reports). */
export function formatBudgetForcing(s: BudgetForcingSpec): string {
  const parts = [`min=${s.min}`];
  if (s.max !== null) parts.push(`max=${s.max}`);
  parts.push(`ext=${s.ext}`, `accounting=${s.accounting}`);
  if (s.preset) parts.push(`preset=${s.preset}`);
  if (s.answer !== null) parts.push(`answer=${s.answer}`);
  if (s.minTokens !== null) parts.push(`min-tokens=${s.minTokens}`);
  return parts.join(",");
}
