import { describe, expect, it } from "vitest";
import { ParamStore } from "../../src/model/params.js";
import { AdamW } from "../../src/train/adamw.js";
import { Rng } from "../../src/util/rng.js";

/** torch.optim.adamw._single_tensor_adamw (amsgrad=False, maximize=False), transcribed in float64. */
function torchAdamW(p: number[], grads: number[][], lr: number, b1: number, b2: number, eps: number, wd: number, decay: boolean[]): number[] {
  const param = [...p];
  const expAvg = param.map(() => 0);
  const expAvgSq = param.map(() => 0);
  grads.forEach((grad, s) => {
    const step = s + 1;
    for (let i = 0; i < param.length; i++) {
      if (decay[i]) param[i] *= 1 - lr * wd; // param.mul_(1 - lr * weight_decay)
      expAvg[i] += (grad[i] - expAvg[i]) * (1 - b1); // exp_avg.lerp_(grad, 1 - beta1)
      expAvgSq[i] = expAvgSq[i] * b2 + (1 - b2) * grad[i] * grad[i]; // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
      const bc1 = 1 - b1 ** step;
      const bc2 = 1 - b2 ** step;
      const stepSize = lr / bc1;
      const denom = Math.sqrt(expAvgSq[i]) / Math.sqrt(bc2) + eps; // (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
      param[i] -= stepSize * (expAvg[i] / denom); // param.addcdiv_(exp_avg, denom, value=-step_size)
    }
  });
  return param;
}

const SPECS = [
  { name: "w", shape: [1], decay: true },
  { name: "norm", shape: [1], decay: false },
];

describe("AdamW", () => {
  it("matches a hand-computed two-step reference (decay on weights only)", () => {
    const params = new ParamStore(SPECS, new Float32Array([1, 1]));
    const opt = new AdamW(params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
    opt.update(new Float32Array([0.5, 0.5]), 0.1);
    // t=1: p = 1·(1 − 0.1·0.01) − (0.1/0.1)·0.05 / (√0.00025/√0.001 + 1e-8)
    expect(params.flat[0]).toBeCloseTo(0.89900000199999996, 7);
    expect(params.flat[1]).toBeCloseTo(0.90000000199999996, 7);
    opt.update(new Float32Array([-0.25, -0.25]), 0.1);
    // t=2: m = 0.02, v = 0.00031225, bc1 = 0.19, bc2 = 0.001999 (exact decimal arithmetic, 40 digits)
    expect(params.flat[0]).toBeCloseTo(0.87146729870584616, 7);
    expect(params.flat[1]).toBeCloseTo(0.87336629870784616, 7);
    expect(opt.m.flat[0]).toBeCloseTo(0.02, 8); // moments are stored in float32 between steps
    expect(opt.v.flat[0]).toBeCloseTo(0.00031225, 10);
    expect(opt.step).toBe(2);
  });

  it("agrees with torch's AdamW formula on random tensors over several steps", () => {
    const rng = new Rng(11);
    const specs = [
      { name: "a", shape: [7, 5], decay: true },
      { name: "b", shape: [5], decay: false },
      { name: "c", shape: [3, 4], decay: true },
    ];
    const params = new ParamStore(specs);
    for (let i = 0; i < params.count; i++) params.flat[i] = rng.normal();
    const start = Array.from(params.flat);
    const decay = specs.flatMap((s) => new Array(s.shape.reduce((x, y) => x * y, 1)).fill(s.decay));
    const grads = Array.from({ length: 4 }, () => Array.from({ length: params.count }, () => Math.fround(rng.normal(0, 0.1))));
    const [lr, b1, b2, eps, wd] = [3e-3, 0.9, 0.95, 1e-8, 0.1];
    const opt = new AdamW(params, { beta1: b1, beta2: b2, eps, weightDecay: wd });
    for (const g of grads) opt.update(Float32Array.from(g), lr);
    const ref = torchAdamW(start, grads, lr, b1, b2, eps, wd, decay);
    let maxErr = 0;
    for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(params.flat[i] - ref[i]));
    expect(maxErr).toBeLessThan(1e-6); // float32 storage of params and moments
  });

  it("saves and restores its state so training resumes identically", () => {
    const make = () => new ParamStore(SPECS, new Float32Array([0.3, -0.7]));
    const a = new AdamW(make());
    a.update(new Float32Array([0.1, 0.2]), 0.01);
    const saved = a.state();
    const b = new AdamW(make());
    b.params.flat.set(a.params.flat);
    b.loadState({ step: saved.step, m: saved.m.clone(), v: saved.v.clone() });
    a.update(new Float32Array([-0.3, 0.05]), 0.01);
    b.update(new Float32Array([-0.3, 0.05]), 0.01);
    expect(Array.from(b.params.flat)).toEqual(Array.from(a.params.flat));
    expect(b.step).toBe(2);
  });

  it("rejects bad inputs", () => {
    const opt = new AdamW(new ParamStore(SPECS));
    expect(() => opt.update(new Float32Array(3), 0.1)).toThrow("AdamW: gradient has 3 elements, parameters 2");
    expect(() => opt.update(new Float32Array(2), NaN)).toThrow(/learning rate must be a finite number/);
    expect(() => new AdamW(new ParamStore(SPECS), { beta1: 1 })).toThrow(/betas must be in \[0, 1\)/);
  });
});
