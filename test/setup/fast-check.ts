// Every fast-check property runs with a fixed seed, so a failure reproduces: the seed is FAST_CHECK_SEED when set
// (to explore other inputs), else a constant. fast-check prints the seed and the path of a failing run; rerun with
// FAST_CHECK_SEED=<seed> to replay it. Properties that pass their own { seed } keep it.
import fc from "fast-check";

const DEFAULT_SEED = 20241204;
const raw = process.env.FAST_CHECK_SEED;
const seed = raw === undefined || raw === "" ? DEFAULT_SEED : Number(raw);
if (!Number.isInteger(seed)) throw new Error(`FAST_CHECK_SEED must be an integer, got "${raw}"`);

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
