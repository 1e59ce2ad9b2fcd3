// The generation path (prefill + cached decode steps, left-padded batches, GQA, n samples sharing a prompt's cache)
// produces the same logits as the full forward pass without a cache, at every generated position.
import { describe, expect, it } from "vitest";
import type { Completion } from "../../src/sampling/generate.js";
import { testModel } from "./model.js";

const KV_TOL = 1e-4;

/** Worst |cached − full| over every generated position of every completion, and the logits' scale. */
async function compareWithFullForward(
  run: (onLogits: (p: number, s: number, pos: number, row: Float32Array) => void) => Promise<Completion[]>,
): Promise<{ worst: number; scale: number; positions: number; completions: Completion[] }> {
  const { full } = await testModel();
  const seen = new Map<string, Float32Array>();
  const completions = await run((p, s, pos, row) => {
    const key = `${p}:${s}:${pos}`;
    expect(seen.has(key), key).toBe(false);
    seen.set(key, row.slice());
  });
  let worst = 0;
  let scale = 0;
  let positions = 0;
  for (const c of completions) {
    const rows = await full([...c.promptIds, ...c.tokenIds]);
    c.tokenIds.forEach((_, i) => {
      const cached = seen.get(`${c.promptIndex}:${c.sampleIndex}:${i}`);
      expect(cached, `prompt ${c.promptIndex} sample ${c.sampleIndex} position ${i}`).toBeDefined();
      const want = rows[c.promptIds.length - 1 + i];
      want.forEach((v, k) => {
        worst = Math.max(worst, Math.abs(cached![k] - v));
        scale = Math.max(scale, Math.abs(v));
      });
      positions++;
    });
  }
  expect(positions).toBe(seen.size);
  return { worst, scale, positions, completions };
}

describe("KV cache = full forward", () => {
  it("left-padded prompts of different lengths, 4 query heads over 2 KV heads, 2 samples per prompt", async () => {
    const { gen } = await testModel();
    const prompts = ["a", "bcdhe", "ggfedcbaab"]; // 2, 6 and 11 ids with <bos>
    const r = await compareWithFullForward((onLogits) =>
      gen.generate(prompts, { n: 2, maxTokens: 14, temperature: 1, seed: 3, ignoreEos: true, onLogits }));
    expect(r.completions.map((c) => c.promptIds.length)).toEqual([2, 2, 6, 6, 11, 11]);
    expect(r.positions).toBe(6 * 14);
    expect(r.scale).toBeGreaterThan(1);
    expect(r.worst).toBeLessThan(KV_TOL);
    // the two samples of each prompt took different paths, so decoding used distinct cache rows
    for (let p = 0; p < prompts.length; p++) expect(r.completions[2 * p].tokenIds).not.toEqual(r.completions[2 * p + 1].tokenIds);
  });

  it("greedy decoding of token-id prompts, one long and one single-token prompt", async () => {
    const { gen } = await testModel();
    const prompts = [[1, 3, 4, 5, 6, 7, 8, 9, 10, 3, 4, 5, 6, 7, 8, 9, 10, 3], [4]];
    const r = await compareWithFullForward((onLogits) =>
      gen.generate(prompts, { maxTokens: 20, temperature: 0, ignoreEos: true, onLogits }));
    expect(r.positions).toBe(40);
    expect(r.worst).toBeLessThan(KV_TOL);
  });
});
