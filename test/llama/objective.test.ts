// The objective's values against a direct transcription of its formulas over the model's logits (float64):
//   logp_t = log softmax(z_t)[y_t],  H_t = −Σ_v p_v log p_v,  ρ_t = exp(logp_t − oldlogp_t),
//   L = Σ_t w_t · (−min(ρ_t A_t, clip(ρ_t, 1 − ε_low, 1 + ε_high) A_t) + β · KL_t),
//   log r = ref − logp: k1 = −log r, k2 = ½ (log r)², k3 = (r − 1) − log r  (Schulman 2020).
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/index.js";
import type { KlEstimator, ObjectiveOptions } from "../../src/model/objective.js";
import { buildLogitsGraph } from "../../src/train/graph.js";
import { buildForwardGraph, grpoSetting } from "./settings.js";
import { f64, LLAMA_GQA, randomParams } from "./tiny.js";

// the graph holds its scalars as float32 constants
const LO = Math.fround(1 - 0.2);
const HI = Math.fround(1 + 0.28);
const BETA = Math.fround(0.3);

const KL: Record<KlEstimator, (logRatio: number) => number> = {
  k1: (lr) => -lr,
  k2: (lr) => 0.5 * lr * lr,
  k3: (lr) => Math.exp(lr) - 1 - lr,
};

describe("objective values = the formulas", () => {
  for (const kl of ["k1", "k2", "k3"] as KlEstimator[]) {
    it(`clipped surrogate with asymmetric ε and ${kl} KL`, () => {
      const config = LLAMA_GQA;
      const params = randomParams(config, 31);
      const o: Partial<ObjectiveOptions> = { epsLow: 0.2, epsHigh: 0.28, beta: 0.3, kl };
      const s = grpoSetting(config, params, o);
      expect(s.clipped).toBe(4);
      const out = evaluate(buildForwardGraph(config, s.objective), s.feeds);
      const z = f64(evaluate(buildLogitsGraph(config), s.feeds).logits);
      const [B, T] = s.feeds.targets.shape;
      const V = config.vocab_size;
      const targets = f64(s.feeds.targets);
      const [w, adv, old, ref] = ["weight", "advantages", "old_logp", "ref_logp"].map((k) => f64(s.feeds[k]));
      const logp = f64(out.logp);
      const entropy = f64(out.entropy);
      const klOut = f64(out.kl);
      let loss = 0;
      for (let n = 0; n < B * T; n++) {
        const row = z.subarray(n * V, (n + 1) * V);
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
        expect(logp[n]).toBeCloseTo(row[targets[n]] - lse, 12);
        const h = -row.reduce((a, v) => a + Math.exp(v - lse) * (v - lse), 0);
        expect(entropy[n]).toBeCloseTo(h, 12);
        const k = KL[kl](ref[n] - logp[n]);
        expect(klOut[n]).toBeCloseTo(k, 12);
        const rho = Math.exp(logp[n] - old[n]);
        const clipped = Math.min(Math.max(rho, LO), HI);
        loss += w[n] * (-Math.min(rho * adv[n], clipped * adv[n]) + BETA * k);
      }
      expect(f64(out.loss)[0]).toBeCloseTo(loss, 12);
      expect(Math.abs(loss)).toBeGreaterThan(0.1);
    });
  }

  it("temperature T: log-probs and entropy of softmax(z / T), as TRL and verl score sampled tokens", () => {
    const config = LLAMA_GQA;
    const params = randomParams(config, 32);
    const T = 0.7;
    const s = grpoSetting(config, params, { temperature: T });
    const out = evaluate(buildForwardGraph(config, s.objective), s.feeds);
    const z = f64(evaluate(buildLogitsGraph(config), s.feeds).logits);
    const [B, L] = s.feeds.targets.shape;
    const V = config.vocab_size;
    const targets = f64(s.feeds.targets);
    const logp = f64(out.logp);
    const entropy = f64(out.entropy);
    const scale = Math.fround(1 / T); // the graph's float32 constant
    let differs = 0;
    for (let n = 0; n < B * L; n++) {
      const row = Array.from(z.subarray(n * V, (n + 1) * V), (v) => v * scale);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
      expect(logp[n]).toBeCloseTo(row[targets[n]] - lse, 12);
      expect(entropy[n]).toBeCloseTo(-row.reduce((a, v) => a + Math.exp(v - lse) * (v - lse), 0), 12);
      const plain = z[n * V + targets[n]] - Math.log(z.subarray(n * V, (n + 1) * V).reduce((a, v) => a + Math.exp(v), 0));
      if (Math.abs(plain - logp[n]) > 1e-3) differs++;
    }
    expect(differs).toBeGreaterThan(0);
  });
});
