// Continuation sessions: a continuation from a prefix reuses the prompt's key/value cache (no second prefill) and
// equals a fresh generation of prompt + prefix; rewinding (truncate) and appended ids keep every row's logits equal to
// the full forward pass; rows continue independently of each other.
import { describe, expect, it, vi } from "vitest";
import type { CompiledGraph } from "../../src/engine/index.js";
import { testModel, tokenizer } from "./model.js";

const KV_TOL = 1e-4;
const greedy = { temperature: 0, ignoreEos: true } as const;

function graphs(gen: object): { prefill: CompiledGraph; decode: CompiledGraph } {
  return gen as unknown as { prefill: CompiledGraph; decode: CompiledGraph };
}

describe("GenerationSession", () => {
  it("a continuation after appended ids equals a fresh greedy generate of prompt + prefix, without a second prefill", async () => {
    const { gen } = await testModel();
    const prompts = ["abc", "hgfedcba"];
    const prefillRuns = vi.spyOn(graphs(gen).prefill, "run");
    const decodeRuns = vi.spyOn(graphs(gen).decode, "run");
    try {
      const session = await gen.session(prompts);
      const first = await session.generate([{ row: 0, maxTokens: 6 }, { row: 1, maxTokens: 6 }], greedy);
      const forced = tokenizer.encode("dd");
      const second = await session.generate([{ row: 0, append: forced, maxTokens: 7 }, { row: 1, append: forced, maxTokens: 7 }], greedy);
      expect(prefillRuns).toHaveBeenCalledTimes(1);
      // 5 steps to feed the first segment's sampled ids but the last; then the pending id + 2 forced + 6 feeds
      expect(decodeRuns).toHaveBeenCalledTimes(5 + 1 + forced.length + 6);
      for (const [i, p] of prompts.entries()) {
        const prefix = [...gen.encodePrompt(p), ...first[i].tokenIds, ...forced];
        const [fresh] = await gen.generate([prefix], { ...greedy, maxTokens: 7 });
        expect(second[i].tokenIds).toEqual(fresh.tokenIds);
        second[i].logprobs.forEach((lp, k) => expect(lp).toBeCloseTo(fresh.logprobs[k], 4));
        expect(session.tokens(i)).toEqual([...first[i].tokenIds, ...forced, ...second[i].tokenIds]);
      }
    } finally {
      prefillRuns.mockRestore();
      decodeRuns.mockRestore();
    }
  });

  it("truncate rewinds a row: the next continuation equals a fresh generate from the kept prefix", async () => {
    const { gen } = await testModel();
    const session = await gen.session(["cab"]);
    const [a] = await session.generate([{ row: 0, maxTokens: 10 }], greedy);
    session.truncate(0, 4);
    const [b] = await session.generate([{ row: 0, maxTokens: 8 }], greedy);
    const [fresh] = await gen.generate([[...gen.encodePrompt("cab"), ...a.tokenIds.slice(0, 4)]], { ...greedy, maxTokens: 8 });
    expect(b.tokenIds).toEqual(fresh.tokenIds);
    session.truncate(0, 0);
    const [c] = await session.generate([{ row: 0, maxTokens: 10 }], greedy);
    expect(c.tokenIds).toEqual(a.tokenIds);
  });

  it("rows continue independently: logits of sampled continuations with different appends equal the full forward pass", async () => {
    const { gen, full } = await testModel();
    const session = await gen.session(["a", "bcdhe"], { n: 2, seed: 5 });
    const seen = new Map<string, Float32Array>();
    const onLogits = (p: number, s: number, pos: number, row: Float32Array) => { seen.set(`${p}:${s}:${pos}`, row.slice()); };
    await session.generate([0, 1, 2, 3].map((row) => ({ row, maxTokens: 3 + row })), { temperature: 1, ignoreEos: true });
    const appends = ["h", "", "ggg", "ab"].map((t) => tokenizer.encode(t));
    // only rows 0, 2 and 3 continue; row 1 keeps its state
    const rows = [0, 2, 3];
    const segs = await session.generate(rows.map((row) => ({ row, append: appends[row], maxTokens: 5 })), { temperature: 1, ignoreEos: true, onLogits });
    let worst = 0;
    for (const [k, row] of rows.entries()) {
      const ids = [...session.promptIds(row), ...session.tokens(row)];
      const logits = await full(ids);
      const start = ids.length - segs[k].tokenIds.length;
      segs[k].tokenIds.forEach((_, i) => {
        const got = seen.get(`${Math.floor(row / 2)}:${row % 2}:${i}`)!;
        logits[start - 1 + i].forEach((v, j) => { worst = Math.max(worst, Math.abs(got[j] - v)); });
      });
    }
    expect(worst).toBeLessThan(KV_TOL);
    expect(session.tokens(1).length).toBe(4);
  });

  it("a session's first continuation equals generate (same seed, same streams)", async () => {
    const { gen } = await testModel();
    const session = await gen.session(["abc", "e"], { n: 2, seed: 11 });
    const segs = await session.generate([0, 1, 2, 3].map((row) => ({ row, maxTokens: 9 })), { temperature: 1, ignoreEos: true });
    const plain = await gen.generate(["abc", "e"], { n: 2, seed: 11, temperature: 1, ignoreEos: true, maxTokens: 9 });
    expect(segs.map((s) => s.tokenIds)).toEqual(plain.map((c) => c.tokenIds));
  });

  it("errors name the row and the limit", async () => {
    const { gen } = await testModel();
    const session = await gen.session(["abc"]);
    await expect(session.generate([{ row: 3, maxTokens: 2 }])).rejects.toThrow(/row 3 is outside the session/);
    await expect(session.generate([{ row: 0, maxTokens: 200 }])).rejects.toThrow(/exceeds max_position_embeddings 64/);
    expect(() => session.truncate(0, 5)).toThrow(/row 0 has 0 ids/);
  });
});
