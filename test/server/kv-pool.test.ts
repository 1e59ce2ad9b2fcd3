// The server's KV pool: rows keep their contents when the pool grows, a released row is filled by the last one,
// cut-back rows hide their stale slots, and feeds are views of the active rows.
import { describe, expect, it } from "vitest";
import { MASK_NEG } from "../../src/model/llama.js";
import { KvPool } from "../../src/server/engine/kv-pool.js";

const L = 2, H = 2, D = 4;

/** Writes `value` into every slot of `row` up to `len` through writeStep (one-row steps). */
function fill(pool: KvPool, row: number, len: number, value: number): void {
  const B = pool.used;
  for (let slot = 0; slot < len; slot++) {
    const present = new Float32Array(2 * L * B * H * D);
    for (let l = 0; l < 2 * L; l++) for (let h = 0; h < H; h++) present.fill(value + l * 0.1, ((l * B + row) * H + h) * D, ((l * B + row) * H + h + 1) * D);
    pool.writeStep(present, row, slot);
  }
}

const keyAt = (pool: KvPool, l: number, row: number, h: number, slot: number) => pool.keys[l][((row * H + h) * pool.slots + slot) * D];

describe("KvPool", () => {
  it("grows without losing rows, moves the last row into a released one, and hides cut slots", () => {
    const pool = new KvPool(L, H, D, 64);
    pool.reserve(2, 4);
    const a = pool.acquire();
    const b = pool.acquire();
    fill(pool, a, 3, 1);
    fill(pool, b, 4, 2);
    pool.reserve(3, 10); // more rows and slots: contents kept
    expect(pool.slots).toBeGreaterThanOrEqual(10);
    expect(keyAt(pool, 1, b, 1, 3)).toBeCloseTo(2 + 0.2, 6);
    expect(pool.mask[a * pool.slots + 2]).toBe(0);
    expect(pool.mask[a * pool.slots + 3]).toBe(MASK_NEG);
    const c = pool.acquire();
    fill(pool, c, 2, 3);
    expect(pool.release(a)).toBe(c); // c moved into a's row
    expect(pool.used).toBe(2);
    expect(keyAt(pool, 0, a, 0, 1)).toBe(3);
    expect(pool.mask[a * pool.slots + 2]).toBe(MASK_NEG);
    pool.truncate(b, 1);
    expect(pool.mask[b * pool.slots]).toBe(0);
    expect(pool.mask[b * pool.slots + 1]).toBe(MASK_NEG);
    const f = pool.feeds();
    expect(f.past_key_0.shape).toEqual([2, H, pool.slots, D]);
    expect(pool.feeds()).toBe(f); // same objects while nothing changed
    expect(pool.release(1)).toBe(-1);
    expect(pool.feeds()).not.toBe(f);
    expect(() => pool.reserve(1, 65)).toThrow(/exceed the context/);
  });
});
