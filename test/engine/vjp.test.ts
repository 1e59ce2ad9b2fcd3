// (a) every differentiable op: VJP vs central finite differences on the float64 reference evaluator;
// (b) the same graphs in float32 on onnxruntime vs the reference (forward and backward outputs).
import { describe, expect, it } from "vitest";
import { VJP_CASES } from "./cases.js";
import { checkVjp, ortVsReference } from "./helpers.js";

/** float32 kernels vs float64 reference math */
const ORT_TOL = 2e-5;

describe("VJP rules vs finite differences (float64 reference)", () => {
  for (const c of VJP_CASES) {
    it(c.name, () => {
      const { grads } = checkVjp(c);
      expect(grads.length).toBeGreaterThan(0);
    });
  }
});

describe("forward + backward graphs: onnxruntime vs reference", () => {
  for (const c of VJP_CASES) {
    it(c.name, async () => {
      expect(await ortVsReference(c, true)).toBeLessThan(ORT_TOL);
    });
  }
});
