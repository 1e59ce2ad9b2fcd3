// `ratio data generate sos`: Stream-of-Search Countdown data, as countdown_generate.py writes it, in SFT rows.
// Each row is one problem of a split (sos-split.ts) with its SoS record (nums, target, solution, search_path,
// rating, search_type, optimal_path, heuristic); prompt = the trace's first line ("Current State: t:[…],
// Operations: []", what the SoS evaluation prompts with) and completion = the rest of the trace: the search stream
// of the problem's strategy (trace=search) or the straight path of the solver's solution (trace=optimal).
// Candidate k of a seed is a function of (split, seed, k) alone, and which candidates are kept depends only on the
// search trace, so trace=search and trace=optimal with the same seed and options hold the same problems.
import { z } from "zod";
import { sosHeader } from "../tasks/countdown/rules.js";
import { drawSosProblem, SOS_SPLITS, sosProblemRng, sosTargetSplit } from "../tasks/countdown/sos-split.js";
import { drawSosStrategy, parseStrategyMix, sosRecord, strategyName, type SosRecord } from "../tasks/countdown/sos-strategies.js";
import { rngFor } from "../tasks/random.js";
import type { DatasetRow } from "../run/dataset.js";
import type { DatasetGenerator, GeneratedDataset } from "./types.js";

/** Candidates tried per requested row before giving up (max_trace_chars / only_solved too strict). */
const MAX_CANDIDATES_PER_ROW = 50;

export const sosDataOptions = z
  .strictObject({
    numbers: z.number().int().min(2).max(5).default(4).describe("input numbers per problem (SoS: 4; its code supports 2–5)"),
    trace: z.enum(["search", "optimal"]).default("search").describe("completion: the strategy's search stream, or the optimal path (the solution without search)"),
    strategy: z.string().default("random").describe("strategy per problem: random (SoS's draw), uniform (over the 12), or comma-separated names like dfs/sum_heuristic,bfs_3/mult_heuristic"),
    split: z.enum(SOS_SPLITS).default("train").describe("train (seen targets), val (seen targets, other problems) or val_target (held-out targets)"),
    max_target: z.number().int().min(19).max(1000).default(100).describe("targets 10..max_target, numbers 1..max_target−1"),
    max_number: z.number().int().min(2).max(999).optional().describe("largest input number (SoS: max_target − 1, the default); smaller makes a smaller game"),
    split_seed: z.number().int().default(0).describe("seed of the held-out target split (keep it fixed across datasets)"),
    max_trace_chars: z.number().int().positive().optional().describe("skip problems whose search trace is longer (in both trace modes, so they keep the same problems)"),
    only_solved: z.boolean().default(false).describe("skip problems whose search trace does not reach the goal (SoS keeps them, rated 0)"),
  })
  .superRefine((o, ctx) => {
    try {
      parseStrategyMix(o.strategy);
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["strategy"], message: (e as Error).message });
    }
  });

export type SosDataOptions = z.output<typeof sosDataOptions>;

export interface SosRow extends DatasetRow, SosRecord {
  split: string;
  strategy: string;
}

/** n rows of the sos generator; see the file comment. */
export function generateSos(n: number, seed: number, options: Partial<z.input<typeof sosDataOptions>> = {}): { rows: SosRow[]; lineage: GeneratedDataset["lineage"] } {
  const o = sosDataOptions.parse(options);
  const split = sosTargetSplit(o.split_seed, o.max_target);
  const mix = parseStrategyMix(o.strategy);
  const rows: SosRow[] = [];
  let skippedLong = 0;
  let skippedUnsolved = 0;
  const limit = Math.max(1, n) * MAX_CANDIDATES_PER_ROW;
  let k = 0;
  for (; rows.length < n; k++) {
    if (k >= limit) throw new Error(`sos: only ${rows.length} of ${n} problems pass max_trace_chars=${o.max_trace_chars} / only_solved after ${k} candidates`);
    const p = drawSosProblem(split, o.split, o.numbers, sosProblemRng(o.split, seed, k), o.max_number);
    const strategyRng = rngFor(`countdown/sos/${o.split}/strategy`, seed, k);
    const strategy = drawSosStrategy(mix, strategyRng);
    const rec = sosRecord(p.target, p.nums, p.steps, strategy, strategyRng);
    if (o.max_trace_chars !== undefined && rec.search_path.length > o.max_trace_chars) {
      skippedLong++;
      continue;
    }
    if (o.only_solved && rec.rating <= 0) {
      skippedUnsolved++;
      continue;
    }
    const trace = o.trace === "search" ? rec.search_path : rec.optimal_path;
    const header = sosHeader(p.target, p.nums);
    if (!trace.startsWith(header)) throw new Error(`sos: trace of problem ${k} does not start with its header`); // never: every generator starts so
    rows.push({
      prompt: header, completion: trace.slice(header.length), problem_id: `sos-${o.split}-${seed}-${k}`,
      split: o.split, strategy: strategyName(strategy), ...rec,
    });
  }
  const solved = rows.filter((r) => r.rating > 0).length;
  return {
    rows,
    lineage: {
      source: "Stream of Search countdown_generate.py (kanishkg/stream-of-search), re-implemented in src/tasks/countdown",
      split: o.split, trace: o.trace, numbers: o.numbers, strategy: o.strategy, max_target: o.max_target, max_number: o.max_number ?? o.max_target - 1, split_seed: o.split_seed,
      held_out_targets: split.valTarget, candidates: k, skipped_long: skippedLong, skipped_unsolved: skippedUnsolved,
      search_solved_fraction: rows.length > 0 ? solved / rows.length : 0,
    },
  };
}

export const sosGenerator: DatasetGenerator<typeof sosDataOptions> = {
  name: "sos",
  description: "Stream-of-Search Countdown traces (search stream or optimal path) with the SoS record, splits train/val/val_target",
  options: sosDataOptions,
  generate: (n, seed, options) => generateSos(n, seed, options),
};
