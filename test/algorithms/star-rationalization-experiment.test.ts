// `ratio experiment star-rationalization --quick`: both arms from one SFT model, a table and three plots.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { experiments } from "../../src/experiments/index.js";
import { freshDir } from "../fixtures/tmp.js";

describe("experiment star-rationalization", () => {
  it("--quick runs both arms with the same seed and writes the table and plots", async () => {
    const e = experiments.find((x) => x.name === "star-rationalization")!;
    const out = freshDir();
    const r = await e.run({ out, seed: 0, quick: true, json: true, say: () => undefined, progress: false });
    expect(r.markdown).toMatch(/\| with rationalization \| 0 \(SFT\) \|/);
    expect(r.markdown).toMatch(/\| without rationalization \| 0 \(SFT\) \|/);
    expect(r.plots).toHaveLength(3);
    for (const p of r.plots) expect(existsSync(p)).toBe(true);
    for (const d of ["sft", "with-rationalization", "without-rationalization"]) expect(existsSync(path.join(out, d, "manifest.json"))).toBe(true);
    const arms = r.data.arms as { rows: { iteration: number; accuracy: number }[] }[];
    expect(arms[0].rows[0]).toEqual(arms[1].rows[0]); // same SFT model, same held-out set
  });
});
