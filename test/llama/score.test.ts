// tokenLogprobs (the scoring graph on onnxruntime, micro-batched and padded) gives, for every sequence, entry j =
// log π(token j | tokens < j) and the entropy of that distribution, as the float64 reference forward pass does one
// sequence at a time; entry 0 is NaN.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/index.js";
import { buildLogitsGraph, paramFeeds, positionFeeds } from "../../src/train/graph.js";
import { tokenLogprobs } from "../../src/train/score.js";
import { Trainer } from "../../src/train/trainer.js";
import { f64, LLAMA_BIAS, randomParams } from "./tiny.js";

const TOL = 1e-5;

describe("tokenLogprobs", () => {
  it("matches the reference forward pass per sequence, whatever the micro-batching and padding", async () => {
    const config = LLAMA_BIAS;
    const params = randomParams(config, 41, 0.3);
    const seqs = [[1, 2, 3], [1, 6, 5, 4, 3, 2, 0, 6, 5], [2, 2], [1, 3, 5, 0, 2, 4, 6], [6, 5, 4, 3]].map((tokens) => ({ tokens }));
    const V = config.vocab_size;
    const want = seqs.map(({ tokens }) => {
      const T = tokens.length;
      const z = f64(evaluate(buildLogitsGraph(config), {
        ...paramFeeds(config, params.views), ...positionFeeds(config, T),
        input_ids: { dtype: "int64", shape: [1, T], data: BigInt64Array.from(tokens, BigInt) },
      }).logits);
      const logp = [NaN];
      const entropy = [NaN];
      for (let j = 1; j < T; j++) {
        const row = z.subarray((j - 1) * V, j * V);
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
        logp.push(row[tokens[j]] - lse);
        entropy.push(-row.reduce((a, v) => a + Math.exp(v - lse) * (v - lse), 0));
      }
      return { logp, entropy };
    });
    for (const microBatchSize of [1, 2, 5]) {
      const got = await tokenLogprobs(seqs, { config, params, microBatchSize, padId: 0 });
      seqs.forEach((s, i) => {
        expect(got.logp[i].length).toBe(s.tokens.length);
        expect(got.logp[i][0]).toBeNaN();
        expect(got.entropy[i][0]).toBeNaN();
        for (let j = 1; j < s.tokens.length; j++) {
          expect(Math.abs(got.logp[i][j] - want[i].logp[j]), `mb ${microBatchSize} seq ${i} token ${j}`).toBeLessThan(TOL);
          expect(Math.abs(got.entropy[i][j] - want[i].entropy[j])).toBeLessThan(TOL);
        }
      });
    }
  });

  it("at temperature T scores softmax(z / T), the same log-probs the trainer's objective uses at T (GRPO's KL starts at 0)", async () => {
    const config = LLAMA_BIAS;
    const params = randomParams(config, 42, 0.3);
    const seqs = [[1, 2, 3, 4], [1, 6, 5, 4, 3, 2]].map((tokens) => ({ tokens, start: 1 }));
    const T = 0.6;
    const plain = await tokenLogprobs(seqs, { config, params, padId: 0 });
    const cold = await tokenLogprobs(seqs, { config, params, padId: 0, temperature: T });
    const trainer = await Trainer.create({ config, params, schedule: { type: "constant", lr: 0 }, padId: 0, objective: { temperature: T } });
    const policy = await trainer.logprobs(seqs);
    seqs.forEach((s, i) => {
      for (let j = 1; j < s.tokens.length; j++) {
        expect(Math.abs(cold.logp[i][j] - policy.logp[i][j])).toBeLessThan(TOL);
        expect(Math.abs(cold.logp[i][j] - plain.logp[i][j])).toBeGreaterThan(1e-3);
      }
    });
  });
});
