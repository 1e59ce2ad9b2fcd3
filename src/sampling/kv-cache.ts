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

  /** Writes one decoding step's keys/values (`present` [2L, R, Hkv, 1, hd]) into `slot` and unmasks it. */
  append(present: Float32Array, slot: number): void {
    const { kvHeads: Hkv, slots: P, headDim: hd, rows: R } = this;
    const layerStride = R * Hkv * hd;
    for (let l = 0; l < this.layers; l++) {
      copyStep(present, 2 * l * layerStride, this.keys[l], R, Hkv, hd, P, slot);
      copyStep(present, (2 * l + 1) * layerStride, this.values[l], R, Hkv, hd, P, slot);
    }
    for (let r = 0; r < R; r++) this.mask[r * P + slot] = 0;
  }

  /** Decode-graph feeds: the buffers themselves (zero-copy). */
  feeds(): Record<string, NDArray> {
    const shape = [this.rows, this.kvHeads, this.slots, this.headDim];
    const f: Record<string, NDArray> = { past_mask: { dtype: "float32", shape: [this.rows, 1, 1, this.slots], data: this.mask } };
    for (let l = 0; l < this.layers; l++) {
      f[pastKeyName(l)] = { dtype: "float32", shape, data: this.keys[l] };
      f[pastValueName(l)] = { dtype: "float32", shape, data: this.values[l] };
    }
    return f;
  }
}

/** dst[r, h, slot, :] = src[off + ((r·Hkv + h)·hd) …] for every row and head. */
function copyStep(src: Float32Array, off: number, dst: Float32Array, R: number, Hkv: number, hd: number, P: number, slot: number): void {
  for (let r = 0; r < R; r++) {
    for (let h = 0; h < Hkv; h++) {
      const s = off + (r * Hkv + h) * hd;
      const d = ((r * Hkv + h) * P + slot) * hd;
      for (let j = 0; j < hd; j++) dst[d + j] = src[s + j];
    }
  }
}
