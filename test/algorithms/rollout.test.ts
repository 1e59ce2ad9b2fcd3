import { describe, expect, it } from "vitest";
import { rollout } from "../../src/algorithms/rollout.js";
import { presetConfig } from "../../src/model/config.js";
import { initParams } from "../../src/model/init.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { Generator } from "../../src/sampling/generate.js";
import { mathTask } from "../../src/tasks/math-task.js";
import type { Task } from "../../src/tasks/types.js";

describe("rollout", () => {
  it("scores math samples through the bounded worker-pool path with the same verdicts as task.score", async () => {
    const tokenizer = CharTokenizer.fromSpec("chars:0123456789+-/ \\{}boxed=");
    const config = presetConfig("tiny", { vocab_size: tokenizer.vocabSize, bos_token_id: tokenizer.bosId, eos_token_id: tokenizer.eosId, pad_token_id: tokenizer.padId });
    const gen = await Generator.create({ config, params: initParams(config, 1), tokenizer });
    const examples = [0, 1, 2].map((i) => mathTask.generate({ seed: 3, index: i }));
    const rolls = await rollout(gen, mathTask as unknown as Task, examples, { n: 4, temperature: 1, maxTokens: 12, seed: 0 }, examples.map(() => "1+1="));
    expect(rolls.length).toBe(12);
    for (const r of rolls) {
      expect(r.score.reason).not.toMatch(/internal-error/);
      expect(r.score.correct).toBe(mathTask.score(r.completion, r.example).correct);
      expect(r.tokenIds.length).toBeLessThanOrEqual(12);
    }
    expect(rolls.map((r) => [r.problemIndex, r.sampleIndex])).toEqual([0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((s) => [p, s])));
  });
});
