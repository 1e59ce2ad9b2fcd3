// (b) every non-differentiable op: onnxruntime output equals the reference evaluator's.
import { describe, expect, it } from "vitest";
import { FORWARD_CASES } from "./cases.js";
import { ortVsReference } from "./helpers.js";

describe("ops without gradients: onnxruntime vs reference", () => {
  for (const c of FORWARD_CASES) {
    it(c.name, async () => {
      expect(await ortVsReference(c, false)).toBeLessThan(1e-6);
    });
  }
});
