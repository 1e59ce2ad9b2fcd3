// Rewards of a step's completions: the weighted list from the reward registry (TRL's reward_funcs + reward_weights),
//   r_i = Σ_k w_k · R_k(x_i)
// with every length in tokens of the policy's tokenizer: the response is the generated ids (a final eos included,
// as TRL counts completion_ids), the thinking part is the template's think block re-encoded. A completion cut at
// max_completion_length gets r_i = truncated_reward instead, when that option is set.
import type { Tokenizer } from "../../model/tokenizer.js";
import { buildRewardInput, composeRewards, type ComposedReward, type RewardInput } from "../../rewards/index.js";
import type { RewardSpec } from "../../rewards/types.js";
import type { Template } from "../../templates/types.js";
import type { Rollout } from "../rollout.js";
import type { Problem } from "./problems.js";

export interface ScoredCompletion {
  rollout: Rollout;
  problem: Problem;
  /** r_i, the weighted total (or truncated_reward) */
  reward: number;
  /** each reward, unweighted, by label */
  parts: Record<string, number>;
  correct: boolean;
  truncated: boolean;
  /** completion length in tokens */
  length: number;
}

export interface ScoringOptions {
  specs: readonly RewardSpec[];
  tokenizer: Tokenizer;
  template?: Template;
  openThink: boolean;
  maxCompletionLength: number;
  truncatedReward: number | null;
}

/** The RewardInput of one rollout (token counts, LCPO target, the task's score). */
export function rewardInputOf(r: Rollout, p: Problem, o: ScoringOptions): RewardInput {
  const t = o.template;
  let thinking: number | undefined;
  if (t?.thinkStart && t.thinkEnd) {
    const text = t.parse(r.completion, { openThink: o.openThink }).thinking;
    thinking = text === null ? 0 : o.tokenizer.encode(text).length;
  }
  return buildRewardInput({
    completion: r.completion,
    example: r.example,
    scorer: () => r.score,
    tokens: thinking === undefined ? { response: r.tokenIds.length } : { response: r.tokenIds.length, thinking },
    tokenIds: r.tokenIds,
    maxTokens: o.maxCompletionLength,
    targetTokens: p.targetTokens,
  });
}

/** A scorer for rollouts in problem order (rollouts[k] belongs to problems[rollouts[k].problemIndex]). */
export function completionScorer(o: ScoringOptions): (rollouts: readonly Rollout[], problems: readonly Problem[]) => ScoredCompletion[] {
  const compose = composeRewards(o.specs);
  return (rollouts, problems) =>
    rollouts.map((r) => {
      const problem = problems[r.problemIndex];
      const composed: ComposedReward = compose(rewardInputOf(r, problem, o));
      const reward = r.truncated && o.truncatedReward !== null ? o.truncatedReward : composed.total;
      return { rollout: r, problem, reward, parts: composed.parts, correct: r.score.correct, truncated: r.truncated, length: r.tokenIds.length };
    });
}

/** Splits completions (problem by problem, G each) into groups. */
export function toGroups<T>(items: readonly T[], groupSize: number): T[][] {
  if (items.length % groupSize !== 0) throw new Error(`toGroups: ${items.length} completions are not whole groups of ${groupSize}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += groupSize) out.push(items.slice(i, i + groupSize));
  return out;
}
