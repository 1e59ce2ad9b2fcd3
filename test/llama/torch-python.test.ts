// The PyTorch interpreter search of the reference tests (test/fixtures/torch-python.ts).
import { describe, expect, it } from "vitest";
import { findTorchPython } from "../fixtures/torch-python.js";

describe("findTorchPython", () => {
  it("says which interpreters were tried and why none imports torch", () => {
    const r = findTorchPython(["/nonexistent/python3", process.execPath]);
    expect(r.python).toBeNull();
    expect(r.skipReason).toMatch(/^no Python interpreter imports torch \(tried \/nonexistent\/python3: not found; /);
    expect(r.skipReason).toMatch(/install python3-torch or set RATIO_PYTHON$/);
  });

  it("finds the benchmark's interpreter when it imports torch, else gives a reason", () => {
    const r = findTorchPython();
    if (r.python === null) expect(r.skipReason).not.toBe("");
    else expect(r.version).toMatch(/^\d+\.\d+/);
  });
});
