// The float32 training graph on onnxruntime computes what the float64 reference evaluator computes from the
// same inputs: loss, per-token log-probs, entropies, KL and every parameter gradient, within float32 tolerance.
import { describe, expect, it } from "vitest";
import { compile, evaluate } from "../../src/engine/index.js";
import type { LlamaConfig } from "../../src/model/config.js";
import { buildTrainGraph, GRAD_PREFIX } from "../../src/train/graph.js";
import { grpoSetting, sftSetting, type Setting } from "./settings.js";
import { f64, LLAMA_BIAS, LLAMA_GQA, QWEN2_TIED, randomParams, relMaxErr } from "./tiny.js";

/** float32 rounding over a few hundred ops: measured worst errors 3e-6…8e-6 of an output's largest entry */
const F32_TOL = 5e-5;

async function compare(config: LlamaConfig, s: Setting): Promise<Record<string, number>> {
  const graph = buildTrainGraph(config, s.objective);
  const want = evaluate(graph, s.feeds);
  const got = await (await compile(graph)).run(s.feeds);
  const errs: Record<string, number> = {};
  for (const name of Object.keys(want)) {
    expect(got[name].dtype).toBe("float32");
    expect(got[name].shape).toEqual(want[name].shape);
    errs[name] = relMaxErr(f64(got[name]), f64(want[name]));
  }
  return errs;
}

const CASES: [string, LlamaConfig][] = [
  ["Llama, GQA, untied head", LLAMA_GQA],
  ["Qwen2 biases, tied embeddings", QWEN2_TIED],
  ["Llama attention_bias (o_proj bias), 4 heads over 2 KV heads", LLAMA_BIAS],
];

describe("onnxruntime train graph (float32) = reference evaluator (float64)", () => {
  for (const [label, config] of CASES) {
    it(`SFT and GRPO settings: ${label}`, async () => {
      const params = randomParams(config, 21);
      for (const s of [sftSetting(config, params), grpoSetting(config, params)]) {
        const errs = await compare(config, s);
        const names = Object.keys(errs);
        expect(names).toEqual(expect.arrayContaining(["loss", "logp", "entropy", ...params.names.map((n) => GRAD_PREFIX + n)]));
        if (s.objective.beta > 0) expect(names).toContain("kl");
        for (const [name, err] of Object.entries(errs)) expect(err, name).toBeLessThan(F32_TOL);
      }
    });
  }
});
