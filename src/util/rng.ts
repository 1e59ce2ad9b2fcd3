// Seeded PRNG: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
// seeded through SplitMix32. Integer-only state updates (Math.imul, >>>), so the same seed gives the same
// stream on every machine; normal() uses Math.log/cos/sin, which V8 implements in software (fdlibm port),
// so those are reproducible across platforms for a given Node major as well.

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_26 = 67108864;

/** Serializable generator state: four uint32 words and the cached second Box–Muller deviate. */
export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

/** 32-bit FNV-1a over the UTF-16 code units of a string (used to turn labels and string seeds into numbers). */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** SplitMix32 step (Vigna): a well-mixed 32-bit output per call, used only for seeding. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) >>> 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function seedWords(seed: number | string): [number, number, number, number] {
  let lo: number;
  let hi: number;
  if (typeof seed === "string") {
    lo = hashString(seed);
    hi = hashString(seed, 0x01000193);
  } else {
    if (!Number.isSafeInteger(seed)) throw new Error(`rng: seed must be a safe integer or a string, got ${seed}`);
    const abs = Math.abs(seed);
    lo = abs % TWO_POW_32 >>> 0;
    hi = (Math.floor(abs / TWO_POW_32) ^ (seed < 0 ? 0x80000000 : 0)) >>> 0;
  }
  const sm = { x: (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0 };
  const s: [number, number, number, number] = [splitmix32(sm), splitmix32(sm), splitmix32(sm), splitmix32(sm)];
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point
  return s;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number | string = 0) {
    [this.s0, this.s1, this.s2, this.s3] = seedWords(seed);
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** Next uint32: xoshiro128** — result = rotl(s1 * 5, 7) * 9. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** Normal deviate (Box–Muller): z0 = √(−2 ln u1)·cos(2π u2), z1 = √(−2 ln u1)·sin(2π u2); z1 is cached. */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  /** Unbiased integer in [0, n) for 1 ≤ n ≤ 2^32 (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new Error(`rng.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("rng.choice: empty array");
    return items[this.int(items.length)];
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /**
   * An independent stream derived from this generator's current state and a label. Does not advance this
   * generator: the same state and label always give the same child.
   */
  fork(label: string | number): Rng {
    const child = new Rng(0);
    const tag = hashString(String(label));
    const sm = { x: (this.s0 ^ rotl(this.s1, 7) ^ rotl(this.s2, 13) ^ rotl(this.s3, 19) ^ tag) >>> 0 };
    const words = [this.s0, this.s1, this.s2, this.s3].map((w) => (w ^ splitmix32(sm) ^ Math.imul(tag, 0x9e3779b1)) >>> 0);
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    child.setState({ s: [words[0], words[1], words[2], words[3]], spare: null });
    child.nextUint32(); // decorrelate the first output from the raw mix
    return child;
  }

  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  setState(state: RngState): void {
    const s = state?.s;
    const valid = Array.isArray(s) && s.length === 4 && s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32);
    if (!valid || (s[0] | s[1] | s[2] | s[3]) === 0) throw new Error("rng.setState: expected { s: four uint32 words, not all zero, spare }");
    if (state.spare !== null && typeof state.spare !== "number") throw new Error("rng.setState: spare must be a number or null");
    [this.s0, this.s1, this.s2, this.s3] = s;
    this.spare = state.spare;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
