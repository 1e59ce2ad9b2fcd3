/**
 * Math verification throughput on one core (main thread, no pool): checks per second for numeric, fraction and
 * symbolic answers. Each check is a full verifyMath call on a short completion ("… $\boxed{X}$."): extraction,
 * normalization, shape parsing and comparison.
 *
 * Rates are checks per CPU-second of this process (process.cpuUsage), so other jobs on a shared machine do not
 * distort them; the wall-clock rates are printed too. Every check uses distinct strings (generated from a fixed-seed LCG), so the per-text caches of equal.ts and
 * symbolic.ts never hit and the numbers are the uncached cost. Half of the pairs are equal, half are not.
 *
 *   npx tsx src/bench/math-verify.ts (or `ratio bench --only verify`)
 */
import { pathToFileURL } from "node:url";
import { verifyMath } from "../tasks/math/index.js";

export interface MathVerifyBench {
  numeric_per_s: number;
  fraction_per_s: number;
  symbolic_per_s: number;
}

const NUMERIC_CHECKS = 40_000;
const FRACTION_CHECKS = 40_000;
const SYMBOLIC_CHECKS = 8_000;
const SEED = 12345;

type Pair = readonly [gold: string, pred: string];

/** Deterministic integer stream (Numerical Recipes LCG). */
function lcg(seed: number): (max: number) => number {
  let s = seed >>> 0;
  return (max: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 1 + (s % max);
  };
}

function numericPairs(n: number): Pair[] {
  const r = lcg(SEED);
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const wrong = i % 2 === 1 ? 1 : 0;
    const a = r(1_000_000) + i;
    const c = r(99);
    const e = r(20);
    switch (i % 5) {
      case 0:
        out.push([`${a}`, `${a + wrong}`]);
        break;
      case 1:
        out.push([`${a + 1000}`, (a + 1000 + wrong).toLocaleString("en-US")]);
        break;
      case 2:
        out.push([`${a % 10_000}.${c}`, `${(a % 10_000) + wrong}.${c}0`]); // small enough that ±1 exceeds relTol
        break;
      case 3:
        out.push([`${a % 100}.5\\%`, `${(a % 100) + wrong}.5`]);
        break;
      default:
        out.push([`${a}e${e}`, `${a + wrong}\\times10^{${e}}`]);
    }
  }
  return out;
}

function fractionPairs(n: number): Pair[] {
  const r = lcg(SEED + 1);
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const wrong = i % 2 === 1 ? 1 : 0;
    const a = r(997) + i;
    const b = r(997) + 1;
    const k = r(9) + 1;
    switch (i % 4) {
      case 0:
        out.push([`\\frac{${a}}{${b}}`, `\\frac{${a * k + wrong}}{${b * k}}`]);
        break;
      case 1:
        out.push([`\\dfrac{${a}}{${b}}`, `${a * k}/${b * k + wrong}`]);
        break;
      case 2: {
        const q = b + 1;
        const p = (a % q) + 0 || 1;
        out.push([`${k}\\frac{${p}}{${q}}`, `\\frac{${k * q + p + wrong}}{${q}}`]);
        break;
      }
      default:
        out.push([`\\frac{${a}}{8}`, `${(a + wrong) / 8}`]);
    }
  }
  return out;
}

function symbolicPairs(n: number): Pair[] {
  const r = lcg(SEED + 2);
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const wrong = i % 2 === 1 ? 1 : 0;
    const a = r(50) + 1;
    const b = r(50) + i;
    switch (i % 6) {
      case 0:
        out.push([`${a}\\sqrt{${b}}`, `\\sqrt{${a * a * b + wrong}}`]);
        break;
      case 1:
        out.push([`${a}x+${b}`, `${b + wrong}+${a}x`]);
        break;
      case 2:
        out.push([`(x+${a})^2`, `x^2+${2 * a + wrong}x+${a * a}`]);
        break;
      case 3:
        out.push([`\\frac{${a}\\pi}{${b}}`, `${a + wrong}\\pi/${b}`]);
        break;
      case 4:
        out.push([`\\frac{1}{\\sqrt{${b}}}`, `\\frac{\\sqrt{${b}}}{${b + wrong}}`]);
        break;
      default:
        out.push([`${a}x^2-${b}y`, `-${b}y+${a + wrong}x^2`]);
    }
  }
  return out;
}

interface Rate {
  /** Checks per CPU-second of this process (stable when other jobs share the machine). */
  cpu: number;
  /** Checks per wall-clock second. */
  wall: number;
}

function rate(pairs: readonly Pair[]): Rate {
  const completions = pairs.map(([, pred]) => `We simplify and obtain $\\boxed{${pred}}$.`);
  let correct = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < pairs.length; i++) if (verifyMath(pairs[i][0], completions[i]).correct) correct++;
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const expected = Math.ceil(pairs.length / 2);
  if (correct !== expected) throw new Error(`bench/math-verify: expected ${expected} correct checks, got ${correct}`);
  return { cpu: Math.round(pairs.length / cpuSeconds), wall: Math.round(pairs.length / wallSeconds) };
}

async function measure(): Promise<{ numeric: Rate; fraction: Rate; symbolic: Rate }> {
  verifyMath("x+1", "\\boxed{1+x}"); // load the CAS outside the timed region
  rate(numericPairs(2000)); // JIT warm-up
  rate(symbolicPairs(500));
  return {
    numeric: rate(numericPairs(NUMERIC_CHECKS)),
    fraction: rate(fractionPairs(FRACTION_CHECKS)),
    symbolic: rate(symbolicPairs(SYMBOLIC_CHECKS)),
  };
}

/** Checks per CPU-second on one core (main thread, no pool), uncached, for the three answer kinds. */
export async function benchMathVerify(): Promise<MathVerifyBench> {
  const m = await measure();
  return { numeric_per_s: m.numeric.cpu, fraction_per_s: m.fraction.cpu, symbolic_per_s: m.symbolic.cpu };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measure().then(
    (m) => {
      const r: MathVerifyBench = { numeric_per_s: m.numeric.cpu, fraction_per_s: m.fraction.cpu, symbolic_per_s: m.symbolic.cpu };
      console.log(JSON.stringify(r));
      console.log(`wall-clock: numeric ${m.numeric.wall}/s, fraction ${m.fraction.wall}/s, symbolic ${m.symbolic.wall}/s`);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
