// Stream of Search's data splits (countdown_generate.py): the targets 10..max_target are shuffled with the seed and
// the first tenth is held out. "train" draws targets from the other nine tenths, "val" from the same seen targets
// (new problems, from their own random stream), "val_target" only from the held-out targets — no train or val
// problem ever has a held-out target. Problems are drawn as CountDown.generate does: a target from the split's
// list, then numbers randint(1, max_target − 1) until the target is reachable under combine_nums.
import { rngFor, type ExampleRng } from "../random.js";
import { solveCountdown, type FoldStep } from "./solver.js";

export const SOS_SPLITS = ["train", "val", "val_target"] as const;
export type SosSplit = (typeof SOS_SPLITS)[number];

export const SOS_MIN_TARGET = 10;
/** Number draws for one target before another target of the split is drawn (SoS retries the same one forever). */
const DRAWS_PER_TARGET = 500;
const SOLVER_BUDGET = 200_000;

export interface SosTargetSplit {
  seed: number;
  maxTarget: number;
  /** targets of "train" and "val", ascending */
  train: number[];
  /** held-out targets of "val_target", ascending */
  valTarget: number[];
}

/** The deterministic target split of a seed: ⌊(max_target − 9)/10⌋ held-out targets. */
export function sosTargetSplit(seed: number, maxTarget = 100): SosTargetSplit {
  if (!Number.isInteger(maxTarget) || maxTarget < SOS_MIN_TARGET + 9) throw new Error(`SoS split: max_target must be an integer ≥ ${SOS_MIN_TARGET + 9}, got ${maxTarget}`);
  const targets = Array.from({ length: maxTarget - SOS_MIN_TARGET + 1 }, (_, i) => SOS_MIN_TARGET + i);
  rngFor("countdown/sos/target-split", seed, maxTarget).shuffle(targets);
  const held = Math.floor(targets.length / 10);
  const asc = (xs: number[]) => xs.sort((a, b) => a - b);
  return { seed, maxTarget, valTarget: asc(targets.slice(0, held)), train: asc(targets.slice(held)) };
}

/** The targets a split draws from. */
export function splitTargets(split: SosTargetSplit, which: SosSplit): readonly number[] {
  return which === "val_target" ? split.valTarget : split.train;
}

export interface SosProblem {
  split: SosSplit;
  target: number;
  nums: number[];
  /** the solver's solution as fold steps (pathTrace replays them) */
  steps: FoldStep[];
}

/**
 * A problem of a split: target from the split's list, numbers in [1, maxNumber] that reach it (SoS: maxNumber =
 * max_target − 1, the default; smaller values make a smaller game for small models).
 */
export function drawSosProblem(split: SosTargetSplit, which: SosSplit, count: number, rng: ExampleRng, maxNumber = split.maxTarget - 1): SosProblem {
  if (!Number.isInteger(maxNumber) || maxNumber < 1) throw new Error(`SoS problems: the largest number must be an integer ≥ 1, got ${maxNumber}`);
  const targets = splitTargets(split, which);
  for (;;) {
    const target = rng.choice(targets);
    for (let d = 0; d < DRAWS_PER_TARGET; d++) {
      const nums = Array.from({ length: count }, () => rng.int(1, maxNumber));
      const solved = solveCountdown(nums, target, "sos-integer", SOLVER_BUDGET);
      if (solved.status === "solved") return { split: which, target, nums, steps: solved.steps };
    }
  }
}

/** The random stream of problem `index` of a split (val and train never share one). */
export const sosProblemRng = (which: SosSplit, seed: number, index: number): ExampleRng => rngFor(`countdown/sos/${which}`, seed, index);
