// The server's key/value cache: one row per running sequence, rows 0…used−1 always the active ones (a finished
// row is filled by moving the last row into it), so a decoding step feeds the first `used` rows as zero-copy views.
// Unlike the Generator's cache, every row has its own length: a sequence's token at position p lives in slot p (no
// left padding), the mask shows slots [0, length) of the row, and a row can be cut back (budget forcing rewinds).
// Buffers per layer [rows, Hkv, slots, hd]; they grow (rows, and slots by doubling up to the context) as needed.
import type { NDArray } from "../../engine/index.js";
import { MASK_NEG } from "../../model/llama.js";
import { pastKeyName, pastValueName } from "../../sampling/graphs.js";
import type { PrefillOutput } from "./model-runner.js";

export class KvPool {
  keys: Float32Array[] = [];
  values: Float32Array[] = [];
  mask = new Float32Array(0);
  /** row capacity */
  rows = 0;
  /** slots per row */
  slots = 0;
  /** active rows: 0…used−1 */
  used = 0;
  /** the last feeds() result, valid while `used` and the buffers (a new mask ↔ new buffers) are the same */
  private cachedFeeds: { rows: number; mask: Float32Array; feeds: Record<string, NDArray> } | null = null;

  constructor(readonly layers: number, readonly kvHeads: number, readonly headDim: number, readonly maxSlots: number) {}

  private get rowStride(): number {
    return this.kvHeads * this.slots * this.headDim;
  }

  /** Room for `rows` active rows with `slots` slots each; the active rows keep their contents. */
  reserve(rows: number, slots: number): void {
    if (slots > this.maxSlots) throw new Error(`kv pool: ${slots} slots exceed the context of ${this.maxSlots}`);
    if (rows <= this.rows && slots <= this.slots) return;
    const newRows = Math.max(rows, this.rows);
    const newSlots = slots <= this.slots ? this.slots : Math.min(this.maxSlots, Math.max(slots, 2 * this.slots));
    const { kvHeads: Hkv, headDim: hd } = this;
    const stride = Hkv * newSlots * hd;
    const copy = (old: Float32Array): Float32Array => {
      const next = new Float32Array(newRows * stride);
      for (let r = 0; r < this.used; r++) {
        for (let h = 0; h < Hkv; h++) {
          const src = (r * Hkv + h) * this.slots * hd;
          next.set(old.subarray(src, src + this.slots * hd), (r * Hkv + h) * newSlots * hd);
        }
      }
      return next;
    };
    this.keys = this.keys.length ? this.keys.map(copy) : Array.from({ length: this.layers }, () => new Float32Array(newRows * stride));
    this.values = this.values.length ? this.values.map(copy) : Array.from({ length: this.layers }, () => new Float32Array(newRows * stride));
    const mask = new Float32Array(newRows * newSlots).fill(MASK_NEG);
    for (let r = 0; r < this.used; r++) mask.set(this.mask.subarray(r * this.slots, (r + 1) * this.slots), r * newSlots);
    this.mask = mask;
    this.rows = newRows;
    this.slots = newSlots;
  }

  /** Drops the buffers when no row is active (a burst of long requests does not pin memory forever). */
  shrinkIfIdle(): void {
    if (this.used > 0) return;
    this.keys = [];
    this.values = [];
    this.mask = new Float32Array(0);
    this.rows = 0;
    this.slots = 0;
  }

  /** A fresh active row (empty: every slot masked); reserve room first. */
  acquire(): number {
    if (this.used >= this.rows) throw new Error("kv pool: no free row (reserve first)");
    const row = this.used++;
    this.mask.fill(MASK_NEG, row * this.slots, (row + 1) * this.slots);
    return row;
  }

  /**
   * Frees `row`: the last active row moves into it. Returns the index the moved row had (its sequence must
   * learn its new row), or −1 when nothing moved.
   */
  release(row: number): number {
    const last = this.used - 1;
    if (row < 0 || row > last) throw new Error(`kv pool: row ${row} is not active`);
    this.used--;
    if (row === last) return -1;
    const n = this.rowStride;
    for (let l = 0; l < this.layers; l++) {
      this.keys[l].copyWithin(row * n, last * n, (last + 1) * n);
      this.values[l].copyWithin(row * n, last * n, (last + 1) * n);
    }
    this.mask.copyWithin(row * this.slots, last * this.slots, (last + 1) * this.slots);
    return last;
  }

  /** Copies prompt `u` of a prefill (without its padding) into slots [0, length) of `row`. */
  writePrefill(row: number, pre: PrefillOutput, u: number, length: number): void {
    const { kvHeads: Hkv, headDim: hd, slots: P } = this;
    const Lp = pre.length;
    const pad = pre.padCount[u];
    for (let l = 0; l < this.layers; l++) {
      for (let h = 0; h < Hkv; h++) {
        const src = ((u * Hkv + h) * Lp + pad) * hd;
        const dst = (row * Hkv + h) * P * hd;
        this.keys[l].set(pre.keys[l].subarray(src, src + length * hd), dst);
        this.values[l].set(pre.values[l].subarray(src, src + length * hd), dst);
      }
    }
    this.mask.fill(0, row * P, row * P + length);
  }

  /** Writes batch row `row`'s keys/values from a decoding step (`present` [2L, used, Hkv, 1, hd]) into `slot`. */
  writeStep(present: Float32Array, row: number, slot: number): void {
    const { kvHeads: Hkv, headDim: hd, slots: P, used: B } = this;
    const layerStride = B * Hkv * hd;
    for (let l = 0; l < this.layers; l++) {
      const k = this.keys[l];
      const v = this.values[l];
      for (let h = 0; h < Hkv; h++) {
        const src = 2 * l * layerStride + (row * Hkv + h) * hd;
        const dst = ((row * Hkv + h) * P + slot) * hd;
        for (let j = 0; j < hd; j++) {
          k[dst + j] = present[src + j];
          v[dst + j] = present[src + layerStride + j];
        }
      }
    }
    this.mask[row * P + slot] = 0;
  }

  /** Hides slots [length, slots) of `row` (their contents are stale after a rewind). */
  truncate(row: number, length: number): void {
    this.mask.fill(MASK_NEG, row * this.slots + length, (row + 1) * this.slots);
  }

  /**
   * Decode-graph feeds over the active rows, as views of the buffers. The same objects come back while the rows
   * and buffers stay as they are, so onnxruntime reuses its tensors over them.
   */
  feeds(): Record<string, NDArray> {
    const B = this.used;
    const c = this.cachedFeeds;
    if (c && c.rows === B && c.mask === this.mask) return c.feeds;
    const shape = [B, this.kvHeads, this.slots, this.headDim];
    const n = B * this.rowStride;
    const f: Record<string, NDArray> = {
      past_mask: { dtype: "float32", shape: [B, 1, 1, this.slots], data: this.mask.subarray(0, B * this.slots) },
    };
    for (let l = 0; l < this.layers; l++) {
      f[pastKeyName(l)] = { dtype: "float32", shape, data: this.keys[l].subarray(0, n) };
      f[pastValueName(l)] = { dtype: "float32", shape, data: this.values[l].subarray(0, n) };
    }
    this.cachedFeeds = { rows: B, mask: this.mask, feeds: f };
    return f;
  }
}
