// Correctness reward: the task scorer's verdict. `use: "reward"` returns the scorer's own reward (partial credit
// included), `use: "correct"` returns 1 if correct else 0 (TRL accuracy_reward, verl's binary score).
import { requireCorrect, type RewardFn, type Scorer } from "./types.js";

export interface CorrectnessOptions<E = unknown> {
  /** Runs on (completion, example); without it the reward reads RewardInput.score / RewardInput.correct. */
  scorer?: Scorer<E>;
  /** "reward": the scorer's reward (falls back to 1/0 when it has none); "correct": 1/0. Default "correct". */
  use?: "reward" | "correct";
}

const NAME = "correctness";

export function correctnessReward<E = unknown>(options: CorrectnessOptions<E> = {}): RewardFn {
  const use = options.use ?? "correct";
  const scorer = options.scorer;
  return (x) => {
    if (scorer) {
      if (x.example === undefined) throw new Error(`reward "${NAME}" with a scorer needs RewardInput.example`);
      const s = scorer(x.completion, x.example as E);
      return use === "reward" && typeof s.reward === "number" ? s.reward : s.correct ? 1 : 0;
    }
    if (use === "reward" && x.score && typeof x.score.reward === "number") return x.score.reward;
    return requireCorrect(x, NAME) ? 1 : 0;
  };
}
