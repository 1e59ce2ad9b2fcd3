// Registry of dataset generators (`ratio data list`, `ratio data generate <name>`).
import { aprGenerator } from "./apr.js";
import { primingGenerator } from "./priming.js";
import { sosGenerator } from "./sos.js";
import type { DatasetGenerator } from "./types.js";

export type { DatasetGenerator, GeneratedDataset } from "./types.js";

/** Registered generators (one file each in src/datagen/). */
export const generators: DatasetGenerator[] = [aprGenerator, primingGenerator, sosGenerator];

export function getGenerator(name: string): DatasetGenerator {
  const g = generators.find((x) => x.name === name);
  if (!g) throw new Error(`unknown dataset generator "${name}" (expected one of: ${generators.map((x) => x.name).join(", ") || "none"})`);
  return g;
}
