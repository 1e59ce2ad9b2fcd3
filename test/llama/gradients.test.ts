// Whole-model gradients of the training graph (forward + objective + autodiff backward) against central finite
// differences, both on the float64 reference evaluator, for a random subset of the entries of EVERY parameter.
// Finite differences: Richardson extrapolation of central differences with steps h = 2^−12 and 2^−13,
//   D(h) = (f(x+h) − f(x−h)) / 2h,  D* = (4·D(h/2) − D(h)) / 3   (error O(h⁴)),
// where the parameters lie on a 2^−16 grid so every perturbed float32 value is exact.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/index.js";
import type { LlamaConfig } from "../../src/model/config.js";
import { DEFAULT_OBJECTIVE, type ObjectiveOptions } from "../../src/model/objective.js";
import type { ParamStore } from "../../src/model/params.js";
import type { TrainSequence } from "../../src/train/batch.js";
import { buildTrainGraph, GRAD_PREFIX } from "../../src/train/graph.js";
import { Rng } from "../../src/util/rng.js";
import { buildForwardGraph, grpoSetting, logpOf, oneBatch, sftSetting, type Setting } from "./settings.js";
import { batchFeeds, f64, LLAMA_GQA, QWEN2_TIED, randomParams } from "./tiny.js";

const ENTRIES_PER_TENSOR = 3;
const H = 2 ** -12;
const REL_TOL = 1e-6;

interface GradCheck {
  checked: number;
  worst: number;
  worstAt: string;
  nonzero: number;
}

function checkGradients(config: LlamaConfig, params: ParamStore, s: Setting, seed: number): GradCheck {
  const train = evaluate(buildTrainGraph(config, s.objective), s.feeds);
  const fwd = buildForwardGraph(config, s.objective);
  const base = evaluate(fwd, s.feeds);
  // the train graph's forward outputs are those of the plain forward pass
  expect(f64(train.loss)[0]).toBeCloseTo(f64(base.loss)[0], 12);
  expect(Array.from(f64(train.logp))).toEqual(Array.from(f64(base.logp)));

  let gmax = 0;
  for (const name of params.names) for (const v of f64(train[GRAD_PREFIX + name])) gmax = Math.max(gmax, Math.abs(v));
  expect(gmax).toBeGreaterThan(1e-3);

  const f = () => s.target(evaluate(fwd, s.feeds), s.feeds);
  const rng = new Rng(`fd:${seed}`);
  const res: GradCheck = { checked: 0, worst: 0, worstAt: "", nonzero: 0 };
  for (const name of params.names) {
    const view = s.feeds[name].data as Float32Array;
    const auto = f64(train[GRAD_PREFIX + name]);
    expect(auto.length).toBe(view.length);
    const picks = rng.shuffle(Array.from({ length: view.length }, (_, i) => i)).slice(0, ENTRIES_PER_TENSOR);
    for (const k of picks) {
      const x = view[k];
      const central = (h: number) => {
        view[k] = x + h;
        const fp = f();
        view[k] = x - h;
        const fm = f();
        view[k] = x;
        return (fp - fm) / (2 * h);
      };
      const fd = (4 * central(H / 2) - central(H)) / 3;
      const err = Math.abs(auto[k] - fd) / Math.max(Math.abs(fd), 1e-2 * gmax);
      res.checked++;
      if (Math.abs(fd) > 1e-6 * gmax) res.nonzero++;
      if (err > res.worst || res.worstAt === "") {
        res.worst = err;
        res.worstAt = `${name}[${k}]: autodiff ${auto[k]}, finite differences ${fd}`;
      }
    }
  }
  return res;
}

const CASES: [string, LlamaConfig][] = [["Llama, GQA, untied head", LLAMA_GQA], ["Qwen2 biases, tied embeddings", QWEN2_TIED]];

describe("whole-model gradients = finite differences (float64 reference evaluator)", () => {
  for (const [label, config] of CASES) {
    it(`SFT objective: ${label}`, () => {
      const params = randomParams(config, 11);
      const r = checkGradients(config, params, sftSetting(config, params), 1);
      expect(r.checked).toBe(params.names.length * ENTRIES_PER_TENSOR);
      expect(r.nonzero).toBeGreaterThan(r.checked * 0.8);
      expect(r.worst, r.worstAt).toBeLessThan(REL_TOL);
    });

    it(`GRPO objective (old log-probs, ± advantages, clipping, k3 KL): ${label}`, () => {
      const params = randomParams(config, 12);
      const s = grpoSetting(config, params);
      expect(s.clipped).toBeGreaterThanOrEqual(3);
      const r = checkGradients(config, params, s, 2);
      expect(r.nonzero).toBeGreaterThan(r.checked * 0.8);
      expect(r.worst, r.worstAt).toBeLessThan(REL_TOL);
    });
  }

  it("GRPO objective at sampling temperature 0.7 (logits / T): Llama, GQA, untied head", () => {
    const params = randomParams(LLAMA_GQA, 14);
    const r = checkGradients(LLAMA_GQA, params, grpoSetting(LLAMA_GQA, params, { temperature: 0.7 }), 2);
    expect(r.nonzero).toBeGreaterThan(r.checked * 0.8);
    expect(r.worst, r.worstAt).toBeLessThan(REL_TOL);
  });

  it("clipped tokens contribute no gradient; unclipped ones do", () => {
    // One sequence, one trained token whose log-ratio is outside the clip range on the binding side → zero gradient.
    const config = LLAMA_GQA;
    const params = randomParams(config, 13);
    const objective: ObjectiveOptions = { ...DEFAULT_OBJECTIVE, oldLogp: "input" };
    const gradNorm = (logRatio: number, advantage: number) => {
      const seq: TrainSequence = { tokens: [1, 3, 4], mask: [0, 0, 1], advantage };
      const lp = logpOf(config, params, oneBatch([seq], "token-mean"));
      const mb = oneBatch([{ ...seq, oldLogp: [0, 0, lp[1] - logRatio], refLogp: [0, 0, 0] }], "token-mean", true);
      const out = evaluate(buildTrainGraph(config, objective), batchFeeds(config, params, mb));
      let s = 0;
      for (const name of params.names) for (const v of f64(out[GRAD_PREFIX + name])) s += v * v;
      return Math.sqrt(s);
    };
    expect(gradNorm(0.6, 1)).toBe(0);
    expect(gradNorm(-0.6, -1)).toBe(0);
    expect(gradNorm(-0.6, 1)).toBeGreaterThan(1e-3);
    expect(gradNorm(0.6, -1)).toBeGreaterThan(1e-3);
    expect(gradNorm(0.1, 1)).toBeGreaterThan(1e-3);
  });
});
