// The key/value cache of batched generation, owned by JS and fed to the decode graph without copying:
// per layer one keys and one values buffer [R, Hkv, P, hd] (R sequences, P slots), plus the additive mask over
// slots [R, 1, 1, P] (0 = visible, MASK_NEG = padding or not yet written).
import type { NDArray } from "../engine/index.js";
import { MASK_NEG } from "../model/llama.js";
import { pastKeyName, pastValueName } from "./graphs.js";

export class KvCache {
  readonly keys: Float32Array[] = [];
  readonly values: Float32Array[] = [];
  readonly mask: Float32Array;
  private readonly rowStride: number;

  constructor(
    readonly layers: number,
    readonly rows: number,
    readonly kvHeads: number,
    readonly slots: number,
    readonly headDim: number,
  ) {
    this.rowStride = kvHeads * slots * headDim;
    for (let l = 0; l < layers; l++) {
      this.keys.push(new Float32Array(rows * this.rowStride));
      this.values.push(new Float32Array(rows * this.rowStride));
    }
    this.mask = new Float32Array(rows * slots).fill(MASK_NEG);
  }

  /**
   * Fills slots [0, len) of every row from a prefill of distinct prompts ([U, Hkv, len, hd] per layer); row r
   * takes prompt ⌊r / n⌋; `padCount[u]` leading slots of prompt u stay masked (left padding).
   */
  fillFromPrefill(keys: readonly Float32Array[], values: readonly Float32Array[], len: number, n: number, padCount: readonly number[]): void {
    const { kvHeads: Hkv, slots: P, headDim: hd } = this;
    for (let l = 0; l < this.layers; l++) {
      for (let r = 0; r < this.rows; r++) {
        const u = Math.floor(r / n);
        for (let h = 0; h < Hkv; h++) {
          const src = (u * Hkv + h) * len * hd;
          const dst = r * this.rowStride + h * P * hd;
          this.keys[l].set(keys[l].subarray(src, src + len * hd), dst);
          this.values[l].set(values[l].subarray(src, src + len * hd), dst);
        }
      }
    }
    for (let r = 0; r < this.rows; r++) {
      const u = Math.floor(r / n);
      this.mask.fill(0, r * P + padCount[u], r * P + len);
    }
  }

  /**
   * Writes one decoding step's keys/values (`present` [2L, R, Hkv, 1, hd]) for each row r into its own slot
   * `slots[r]` and unmasks it; rows with slot −1 were idle this step and are left untouched (continuation sessions:
   * every row's cache stays contiguous whatever the other rows did).
   */
  appendRows(present: Float32Array, slots: Int32Array): void {
    const { kvHeads: Hkv, slots: P, headDim: hd, rows: R } = this;
    const layerStride = R * Hkv * hd;
    for (let l = 0; l < this.layers; l++) {
      for (const [buf, off] of [[this.keys[l], 2 * l * layerStride], [this.values[l], (2 * l + 1) * layerStride]] as const) {
        for (let r = 0; r < R; r++) {
          const slot = slots[r];
          if (slot < 0) continue;
          for (let h = 0; h < Hkv; h++) {
            const s = off + (r * Hkv + h) * hd;
            const d = ((r * Hkv + h) * P + slot) * hd;
            for (let j = 0; j < hd; j++) buf[d + j] = present[s + j];
          }
        }
      }
    }
    for (let r = 0; r < R; r++) if (slots[r] >= 0) this.mask[r * P + slots[r]] = 0;
  }

  /** Masks slots [from, slots) of one row again: what they hold is forgotten (a continuation rewound). */
  forget(row: number, from: number): void {
    this.mask.fill(MASK_NEG, row * this.slots + from, (row + 1) * this.slots);
  }

  /** A cache with `slots` ≥ this.slots slots per row holding the same keys, values and mask (slots beyond masked). */
  grown(slots: number): KvCache {
    if (slots < this.slots) throw new Error(`KvCache.grown: ${slots} slots < ${this.slots}`);
    const out = new KvCache(this.layers, this.rows, this.kvHeads, slots, this.headDim);
    const { kvHeads: Hkv, headDim: hd } = this;
    const len = this.slots * hd;
    for (let l = 0; l < this.layers; l++) {
      for (let r = 0; r < this.rows; r++) {
        for (let h = 0; h < Hkv; h++) {
          const src = (r * Hkv + h) * len;
          const dst = (r * Hkv + h) * slots * hd;
          out.keys[l].set(this.keys[l].subarray(src, src + len), dst);
          out.values[l].set(this.values[l].subarray(src, src + len), dst);
        }
      }
    }
    for (let r = 0; r < this.rows; r++) out.mask.set(this.mask.subarray(r * this.slots, (r + 1) * this.slots), r * slots);
    return out;
  }

  private feedObjects?: Record<string, NDArray>;

  /** Decode-graph feeds: the buffers themselves (zero-copy); the same objects on every call, so onnxruntime reuses its tensors. */
  feeds(): Record<string, NDArray> {
    if (this.feedObjects) return this.feedObjects;
    const shape = [this.rows, this.kvHeads, this.slots, this.headDim];
    const f: Record<string, NDArray> = { past_mask: { dtype: "float32", shape: [this.rows, 1, 1, this.slots], data: this.mask } };
    for (let l = 0; l < this.layers; l++) {
      f[pastKeyName(l)] = { dtype: "float32", shape, data: this.keys[l] };
      f[pastValueName(l)] = { dtype: "float32", shape, data: this.values[l] };
    }
    this.feedObjects = f;
    return f;
  }
}
