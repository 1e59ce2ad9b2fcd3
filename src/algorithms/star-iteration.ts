// One STaR data-generation pass (Zelikman et al. 2022, Algorithm 1, lines 3–6), with model M_{i−1}:
//   r̂_j, ŷ_j ← M(x_j)                    rationale and answer for every problem x_j
//   r̂ʳ_j, ŷʳ_j ← M(add_hint(x_j, y_j))   rationalization, for the failures (ŷ_j ≠ y_j), each with prob. p_rationalization
//   D_i ← {(x_j, r̂_j) : ŷ_j = y_j} ∪ {(x_j, r̂ʳ_j) : ŷ_j ≠ y_j ∧ ŷʳ_j = y_j}
// A rationalization is saved as if no hint had been given: the prompt is the plain prompt x_j and the hint is
// stripped from the completion (task.rationalization.strip; original code p_show_hint_save = 0); it must still
// score correct after stripping. Seeds are pure functions of (seed, iteration), so a pass is reproducible.
import type { DatasetRow } from "../run/dataset.js";
import type { SampleRow } from "../run/run-dir.js";
import type { Generator } from "../sampling/generate.js";
import type { AnyTask } from "../tasks/registry.js";
import type { Example, PromptTemplate } from "../tasks/types.js";
import { hashString, Rng } from "../util/rng.js";
import { keptRow, selectCorrect } from "./rejection-sampling.js";
import { checkCompletionFits, rollout } from "./rollout.js";
import type { StarOptions } from "./star-options.js";

export interface StarIterationData {
  /** the iteration's fine-tuning set D_i: direct successes first, then rationalizations, each in problem order */
  rows: DatasetRow[];
  keptCorrect: number;
  keptRationalized: number;
  problems: number;
  /** problems with a correct rationale without hint */
  solved: number;
  /** failed problems given a hint (p_rationalization of the failures) */
  hinted: number;
  /** hinted problems whose rationalization reached the answer */
  rationalized: number;
  /** completions cut at max_completion_length (direct samples) */
  truncated: number;
  /** a few kept rationales for samples.jsonl */
  samples: Omit<SampleRow, "stage" | "step">[];
}

/** The seeds of iteration i's random streams. */
export function starSeeds(seed: number, iteration: number): { direct: number; hint: number; pick: string; data: number } {
  return {
    direct: hashString(`${seed}:star:${iteration}:direct`),
    hint: hashString(`${seed}:star:${iteration}:hint`),
    pick: `${seed}:star:${iteration}:p_rationalization`,
    data: hashString(`${seed}:star:${iteration}:data`),
  };
}

/** Errors (naming max_completion_length) when a prompt plus the completion budget exceeds the model's context. */
export function checkStarContext(gen: Generator, prompts: readonly string[], maxTokens: number, what: string): void {
  checkCompletionFits(gen, prompts, maxTokens, "star options", what);
}

export async function starIterationData(
  gen: Generator, task: AnyTask, examples: readonly Example[], o: StarOptions, template: PromptTemplate | undefined,
  seed: number, iteration: number, logSamples = 0,
): Promise<StarIterationData> {
  const seeds = starSeeds(seed, iteration);
  checkStarContext(gen, examples.map((e) => task.prompt(e, template)), o.max_completion_length, "");
  const direct = await rollout(gen, task, examples, {
    n: o.samples_per_problem, temperature: o.temperature, topP: o.top_p, maxTokens: o.max_completion_length, seed: seeds.direct, template, maxBatch: o.max_batch,
  });
  const keptDirect = selectCorrect(direct, { dedupe: true, maxPerPrompt: o.max_per_problem });
  const solvedSet = new Set(keptDirect.map((r) => r.problemIndex));
  const rows: DatasetRow[] = keptDirect.map((r) => keptRow(r, { source: "correct", iteration }));
  const samples: StarIterationData["samples"] = keptDirect.slice(0, logSamples).map((r) => ({ iteration, source: "correct", prompt: r.prompt, completion: r.completion, reward: r.score.reward }));

  let hinted = 0;
  let rationalized = 0;
  if (o.rationalization) {
    const rat = task.rationalization;
    if (!rat) throw new Error(`star options: field rationalization: task ${task.name} has no rationalization (hint prompt); set rationalization: false`);
    const pick = new Rng(seeds.pick);
    const failed = examples.map((ex, j) => ({ ex, j })).filter(({ j }) => !solvedSet.has(j)).filter(() => pick.uniform() < o.p_rationalization);
    hinted = failed.length;
    if (failed.length > 0) {
      const hintPrompts = failed.map((f) => rat.prompt(f.ex, template));
      checkStarContext(gen, hintPrompts, o.max_completion_length, "hinted (rationalization)");
      const hintedRollouts = await rollout(gen, task, failed.map((f) => f.ex), {
        n: o.rationalization_samples, temperature: o.rationalization_temperature ?? o.temperature, topP: o.top_p,
        maxTokens: o.max_completion_length, seed: seeds.hint, template, maxBatch: o.max_batch,
      }, hintPrompts);
      // strip the hint, then require the stripped rationale to still reach the answer
      const stripped = hintedRollouts.map((r) => {
        const completion = rat.strip(r.completion);
        return { ...r, completion, score: task.score(completion, r.example) };
      });
      const kept = selectCorrect(stripped, { dedupe: true, maxPerPrompt: o.max_per_problem });
      rationalized = new Set(kept.map((r) => r.problemIndex)).size;
      for (const r of kept) {
        const prompt = task.prompt(r.example, template);
        rows.push(keptRow(r, { source: "rationalized", iteration }, prompt));
        if (samples.length < 2 * logSamples) samples.push({ iteration, source: "rationalized", prompt, completion: r.completion, reward: r.score.reward });
      }
    }
  }
  return {
    rows, keptCorrect: keptDirect.length, keptRationalized: rows.length - keptDirect.length, problems: examples.length,
    solved: solvedSet.size, hinted, rationalized, truncated: direct.filter((r) => r.truncated).length, samples,
  };
}
