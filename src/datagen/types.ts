// A dataset generator: procedurally builds SFT rows (prompt, completion, problem_id, …) with lineage, for
// `ratio data generate <name>` and for the experiments that train on them. One generator per file.
import type { z } from "zod";
import type { DatasetRow } from "../run/dataset.js";

export interface GeneratedDataset {
  rows: DatasetRow[];
  /** extra lineage written to the dataset's `.meta.json` (strategy mix, split, rules, …) */
  lineage: Record<string, unknown>;
}

export interface DatasetGenerator<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  description: string;
  /** options schema (zod, strict): unknown or mistyped options are errors naming the key */
  options: S;
  /** builds `n` rows deterministically from `seed` */
  generate(n: number, seed: number, options: z.output<S>): GeneratedDataset;
}
