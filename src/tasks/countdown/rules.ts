// Countdown rule sets. Three incompatible definitions exist (docs/tasks.md, "Countdown: three rule sets"); each
// preset reproduces one of them.

export type CountdownPreset = "sos" | "tinyzero" | "reasoning-gym";
export const COUNTDOWN_PRESETS: readonly CountdownPreset[] = ["sos", "tinyzero", "reasoning-gym"];

/** How intermediate results may be formed. */
export type Arithmetic =
  /** Stream of Search combine_nums: +, ×, larger − smaller, larger ÷ smaller only if exact; integers ≥ 0. */
  | "sos-integer"
  /** Exact rationals: + − × ÷ in any order, negative and fractional intermediates allowed. */
  | "rational";

export interface PresetRules {
  minNumbers: number;
  maxNumbers: number;
  minValue: number;
  maxValue: number;
  minTarget: number;
  maxTarget: number;
  arithmetic: Arithmetic;
}

export const PRESET_RULES: Record<CountdownPreset, PresetRules> = {
  // kanishkg/stream-of-search: 4 numbers (code supports 2–5), each randint(1, max_target − 1), target 10..100.
  sos: { minNumbers: 4, maxNumbers: 4, minValue: 1, maxValue: 99, minTarget: 10, maxTarget: 100, arithmetic: "sos-integer" },
  // Jiayi-Pan/Countdown-Tasks-3to4: 3–4 numbers; value and target ranges follow the SoS generator it derives from.
  tinyzero: { minNumbers: 3, maxNumbers: 4, minValue: 1, maxValue: 99, minTarget: 10, maxTarget: 100, arithmetic: "rational" },
  // open-thought/reasoning-gym games/countdown.py CountdownConfig defaults.
  "reasoning-gym": { minNumbers: 4, maxNumbers: 6, minValue: 1, maxValue: 100, minTarget: 100, maxTarget: 999, arithmetic: "rational" },
};

/** SoS metric_fn max_nodes: C(n,2)·4 · C(n−1,2)·4 · … for 2/3/4/5 inputs (countdown_utils.py). */
export const SOS_MAX_NODES: Readonly<Record<number, number>> = { 2: 4, 3: 48, 4: 1152, 5: 46080 };
export const SOS_MIN_NUMBERS = 2;
export const SOS_MAX_NUMBERS = 5;

/** TinyZero countdown.py: format_score = 0.1, score = 1.0, correct iff |result − target| < 1e-5. */
export const TINYZERO_REWARD = { correct: 1.0, format: 0.1, none: 0 } as const;
export const TINYZERO_TOLERANCE = { num: 1n, den: 100000n } as const; // 1e-5, strict <
/** TinyZero evaluate_equation allowed-characters check: ^[\d+\-*\/().\s]+$ */
export const TINYZERO_ALLOWED = /^[0-9+\-*/().\s]+$/;

/** reasoning-gym score_answer: 1.0 solved, 0.05 wrong numbers or value, 0.01 unparseable, 0 no answer. */
export const REASONING_GYM_REWARD = { correct: 1.0, wrong: 0.05, unparseable: 0.01, none: 0 } as const;
/** math.isclose(rel_tol=1e-9 (Python default), abs_tol=1e-6) as exponents of ten. */
export const REASONING_GYM_CLOSE = { relExp: 9, absExp: 6 } as const;

/** One SoS operation `a op b=c` as produced by combine_nums. */
export interface SosOp {
  a: number;
  b: number;
  op: "+" | "-" | "*" | "/";
  result: number;
  text: string;
}

/**
 * Stream of Search combine_nums(a, b), same order: a+b, a*b, then (a ≤ b) b−a and b/a if a ≠ 0 and a | b,
 * else a−b and a/b if b ≠ 0 and b | a. Division text is "{x}/{y}={x//y}".
 */
export function combineNums(a: number, b: number): SosOp[] {
  const out: SosOp[] = [
    { a, b, op: "+", result: a + b, text: `${a}+${b}=${a + b}` },
    { a, b, op: "*", result: a * b, text: `${a}*${b}=${a * b}` },
  ];
  const [hi, lo] = a <= b ? [b, a] : [a, b];
  out.push({ a: hi, b: lo, op: "-", result: hi - lo, text: `${hi}-${lo}=${hi - lo}` });
  if (lo !== 0 && hi % lo === 0) out.push({ a: hi, b: lo, op: "/", result: hi / lo, text: `${hi}/${lo}=${hi / lo}` });
  return out;
}

/** Python repr of a list of ints: [42, 61, 66]. */
export function pyIntList(nums: readonly (number | bigint)[]): string {
  return `[${nums.join(", ")}]`;
}

/** Python repr of a list of strings without quotes inside: ['66-42=24', '54-52=2']. */
export function pyStrList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s}'`).join(", ")}]`;
}

/** The SoS prompt / first trace line: "Current State: {target}:{nums}, Operations: []". */
export function sosHeader(target: number, nums: readonly number[]): string {
  return `Current State: ${target}:${pyIntList(nums)}, Operations: []`;
}
