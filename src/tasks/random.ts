// Per-example random numbers: a counter-based generator keyed by a hash of (stream, seed, index), so example i of a
// seed is the same on any machine and in any generation order (reasoning-gym does the same with Random(seed+idx),
// which we avoid because seed+idx collides across neighbouring seeds).
// Mixer: splitmix32 finaliser ("lowbias32" constants from Hash Prospector), applied to state + golden-ratio steps.
//
// Ratio has two generators, for two jobs (docs/tasks.md, "Random numbers"): this keyed one, ExampleRng, whose
// draws for one example depend on nothing else, and the sequential Rng of src/util/rng.ts (xoshiro128**, with a
// state that checkpoints save) for initialization, sampling and batching. Both hash strings with the one FNV-1a of
// src/util/rng.ts.
import { hashString as fnv1a } from "../util/rng.js";

const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** 32-bit avalanche mix: z ^= z >>> 16; z *= 0x21f0aaad; z ^= z >>> 15; z *= 0x735a2d97; z ^= z >>> 15. */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** The key of a stream name: FNV-1a (src/util/rng.ts hashString) over its UTF-16 code units, then mixed. */
export function streamKey(s: string): number {
  return mix32(fnv1a(s));
}

/**
 * The id of an example read from fields without one (`ratio score`'s input): `<task>-<label, 32 chars>-<64-bit hash of
 * the parts>`, so two problems get one id only when every part is the same.
 */
export function fieldsId(task: string, label: string, parts: readonly unknown[]): string {
  const text = JSON.stringify(parts);
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  const head = label.slice(0, 32).trim();
  // two FNV-1a runs from different offset bases (one alone is a function of the other after mixing)
  return `${task}-${head === "" ? "" : `${head}-`}${hex(mix32(fnv1a(text)))}${hex(mix32(fnv1a(text, 0x9e3779b9)))}`;
}

/** @deprecated The old name of streamKey (not util/rng.ts's hashString, which it mixes). */
export const hashString = streamKey;

/** Hashes a safe integer (up to 2^53 in magnitude, sign included) into the running hash h. */
function absorbInteger(h: number, n: number): number {
  if (!Number.isSafeInteger(n)) throw new Error(`random: expected a safe integer, got ${n}`);
  const negative = n < 0 ? 1 : 0;
  const abs = Math.abs(n);
  const lo = abs % TWO_POW_32;
  const hi = Math.floor(abs / TWO_POW_32);
  h = mix32(h ^ lo);
  h = mix32((h + GOLDEN_GAMMA) ^ hi);
  return mix32((h + GOLDEN_GAMMA) ^ negative);
}

/** A keyed per-example generator (rngFor). */
export interface ExampleRng {
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive, a span up to 2^53), unbiased by rejection. */
  int(lo: number, hi: number): number;
  /** One element chosen uniformly. */
  choice<T>(items: readonly T[]): T;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}


/** A generator whose whole output is a function of (stream, seed, index). */
export function rngFor(stream: string, seed: number, index: number): ExampleRng {
  let state = absorbInteger(absorbInteger(streamKey(stream), seed), index);
  const nextU32 = (): number => {
    state = (state + GOLDEN_GAMMA) >>> 0;
    return mix32(state);
  };
  const int = (lo: number, hi: number): number => {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) throw new Error(`random: bad range [${lo}, ${hi}]`);
    const span = hi - lo + 1;
    if (!Number.isSafeInteger(span)) throw new Error(`random: range [${lo}, ${hi}] wider than 2^53`);
    // Rejection sampling: accept u < limit, the largest multiple of span below 2^32 (or 2^53 for wide ranges,
    // with u built from 21 + 32 random bits).
    const wide = span > TWO_POW_32;
    const range = wide ? TWO_POW_53 : TWO_POW_32;
    const limit = range - (range % span);
    for (;;) {
      const u = wide ? (nextU32() >>> 11) * TWO_POW_32 + nextU32() : nextU32();
      if (u < limit) return lo + (u % span);
    }
  };
  return {
    nextU32,
    next: () => nextU32() / TWO_POW_32,
    int,
    choice: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("random: choice from an empty list");
      return items[int(0, items.length - 1)];
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(0, i);
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
  };
}
