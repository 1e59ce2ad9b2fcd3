// The twelve symbolic search strategies of Stream of Search (kanishkg/stream-of-search countdown_generate.py):
// search_type "dfs" (pruned at heuristic > target) or "bfs_1".."bfs_5" (beam search with that beam width), each with
// heuristic "sum_heuristic" or "mult_heuristic"; and the record the SoS generator writes per problem,
// {nums, target, solution, search_path, rating, search_type, optimal_path, heuristic}.
//
// SoS's `--search random` draws a strategy per problem in a fixed order: heuristic = choice([sum, mult]), search =
// choice([dfs, bfs]), then for bfs beam = choice([1..5]) — so DFS makes half the data and each beam width a tenth.
// drawSosStrategy reproduces that distribution; a fixed mix (a list of strategy names) is drawn from uniformly.
import type { ExampleRng } from "../random.js";
import { SOS_MAX_NODES } from "./rules.js";
import { checkSosTrace } from "./sos-check.js";
import { bfsTrace, dfsTrace, pathTrace, type SosHeuristic } from "./sos-trace.js";
import type { FoldStep } from "./solver.js";

export const SOS_SEARCH_TYPES = ["dfs", "bfs_1", "bfs_2", "bfs_3", "bfs_4", "bfs_5"] as const;
export type SosSearchType = (typeof SOS_SEARCH_TYPES)[number];
export const SOS_HEURISTICS = ["sum_heuristic", "mult_heuristic"] as const;
export type SosHeuristicName = (typeof SOS_HEURISTICS)[number];

export interface SosStrategy {
  search_type: SosSearchType;
  heuristic: SosHeuristicName;
}

/** "dfs/sum_heuristic", "bfs_3/mult_heuristic": search_type and heuristic as SoS names them. */
export const strategyName = (s: SosStrategy): string => `${s.search_type}/${s.heuristic}`;

/** All 12 strategies: dfs, bfs_1 … bfs_5, each with sum_heuristic then mult_heuristic. */
export const SOS_STRATEGIES: readonly SosStrategy[] = SOS_SEARCH_TYPES.flatMap((search_type) => SOS_HEURISTICS.map((heuristic) => ({ search_type, heuristic })));
export const SOS_STRATEGY_NAMES: readonly string[] = SOS_STRATEGIES.map(strategyName);

/** Parses "bfs_3/mult_heuristic" (also accepts the short heuristic names "sum" / "mult"). */
export function parseStrategy(name: string): SosStrategy {
  const [search, h] = name.trim().split("/");
  const heuristic = h === "sum" ? "sum_heuristic" : h === "mult" ? "mult_heuristic" : h;
  if (!(SOS_SEARCH_TYPES as readonly string[]).includes(search) || !(SOS_HEURISTICS as readonly string[]).includes(heuristic)) {
    throw new Error(`unknown SoS strategy "${name}" (expected search_type/heuristic, one of: ${SOS_STRATEGY_NAMES.join(", ")})`);
  }
  return { search_type: search as SosSearchType, heuristic: heuristic as SosHeuristicName };
}

/**
 * How a strategy is chosen per problem: "random" is SoS's draw (heuristic, then dfs/bfs, then the beam), "uniform"
 * is uniform over the 12, and a list of names (repeats weigh) is drawn from uniformly; one name fixes the strategy.
 */
export type StrategyMix = "random" | "uniform" | readonly SosStrategy[];

/** Parses a mix option: "random", "uniform" or comma-separated strategy names. */
export function parseStrategyMix(spec: string): StrategyMix {
  const s = spec.trim();
  if (s === "random" || s === "uniform") return s;
  const list = s.split(",").filter((x) => x.trim() !== "").map(parseStrategy);
  if (list.length === 0) throw new Error(`empty SoS strategy mix "${spec}"`);
  return list;
}

/** The strategy of one problem under a mix (draws from rng). */
export function drawSosStrategy(mix: StrategyMix, rng: ExampleRng): SosStrategy {
  if (mix === "uniform") return rng.choice(SOS_STRATEGIES);
  if (mix !== "random") return mix.length === 1 ? mix[0] : rng.choice(mix);
  const heuristic = rng.choice(SOS_HEURISTICS);
  const search = rng.choice(["dfs", "bfs"] as const);
  if (search === "dfs") return { search_type: "dfs", heuristic };
  const beam = rng.choice([1, 2, 3, 4, 5] as const);
  return { search_type: `bfs_${beam}`, heuristic };
}

const shortHeuristic = (h: SosHeuristicName): SosHeuristic => (h === "sum_heuristic" ? "sum" : "mult");

/** The search trace of a strategy, as countdown_generate.py calls it: dfs(threshold=target) or bfs(beam). */
export function traceFor(strategy: SosStrategy, target: number, nums: readonly number[], rng: ExampleRng): string {
  const heuristic = shortHeuristic(strategy.heuristic);
  if (strategy.search_type === "dfs") return dfsTrace(target, nums, { heuristic, threshold: target });
  return bfsTrace(target, nums, { beamSize: Number(strategy.search_type.slice(4)), heuristic, rng });
}

/** One problem as countdown_generate.py writes it. */
export interface SosRecord {
  nums: number[];
  target: number;
  /** the solver's operations, SoS style: ["66-42=24", "61-24=37"] */
  solution: string[];
  search_path: string;
  /** 1 − (explored + 1)/max_nodes for a trace that reaches the goal (at least 0), else 0 */
  rating: number;
  search_type: SosSearchType;
  /** the straight trace of `solution` (pathTrace: the DFS grammar, see docs/tasks.md) */
  optimal_path: string;
  heuristic: SosHeuristicName;
}

/** Rating of a search path as countdown_generate.py computes it (0 unless it reaches the goal). */
export function rateSearchPath(trace: string, target: number, nums: readonly number[]): number {
  if (SOS_MAX_NODES[nums.length] === undefined) return 0;
  return checkSosTrace(trace, target, nums).rating;
}

/** The SoS record of a solved problem with a given strategy; `rng` feeds BFS's shuffle. */
export function sosRecord(target: number, nums: readonly number[], steps: readonly FoldStep[], strategy: SosStrategy, rng: ExampleRng): SosRecord {
  const search_path = traceFor(strategy, target, nums, rng);
  const optimal_path = pathTrace(target, nums, steps);
  const solution = [...optimal_path.matchAll(/^Exploring Operation: (\S+), Resulting Numbers/gm)].map((m) => m[1]);
  return {
    nums: [...nums], target, solution, search_path, rating: rateSearchPath(search_path, target, nums),
    search_type: strategy.search_type, optimal_path, heuristic: strategy.heuristic,
  };
}
