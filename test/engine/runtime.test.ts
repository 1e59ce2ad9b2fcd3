// (d) session cache reuse, (e) dynamic dims, zero-copy inputs and feed validation.
import { describe, expect, it } from "vitest";
import { DEFAULT_THREADS, Graph, add, compile, evaluate, matmul, ndarray, reduceSum, sessionCacheSize } from "../../src/engine/index.js";
import { randomArray, relErr, rng } from "./helpers.js";

function linear(name = "lin"): Graph {
  const g = new Graph(name);
  const x = g.input("x", "float32", ["B", 3]);
  const w = g.input("w", "float32", [3, 2]);
  g.output("y", add(matmul(x, w), 1));
  return g;
}

describe("runtime", () => {
  it("reuses the cached session for the same graph and for an identical rebuilt graph", async () => {
    const g = linear();
    const a = await compile(g);
    const size = sessionCacheSize();
    const b = await compile(g);
    const c = await compile(linear());
    expect(b.session).toBe(a.session);
    expect(c.session).toBe(a.session);
    expect(sessionCacheSize()).toBe(size);
    // A thread count other than the effective default (RATIO_THREADS when set, else DEFAULT_THREADS) gets its own session.
    const effective = process.env.RATIO_THREADS ? Number(process.env.RATIO_THREADS) : DEFAULT_THREADS;
    const d = await compile(g, { threads: effective === 1 ? 2 : 1 });
    expect(d.session).not.toBe(a.session);
    expect(sessionCacheSize()).toBe(size + 1);
    const e = await compile(g, { spinning: true });
    expect(e.session).not.toBe(a.session);
    const out = await e.run({ x: ndarray("float32", [1, 3], [1, 2, 3]), w: ndarray("float32", [3, 2], [1, 0, 0, 1, 1, 1]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([5, 6]);
  });

  it("runs one compiled graph with two different batch sizes", async () => {
    const g = linear("dyn");
    const run = await compile(g);
    const w = randomArray("float32", [3, 2], "normal", rng(5));
    for (const batch of [2, 7]) {
      const feeds = { x: randomArray("float32", [batch, 3], "normal", rng(batch)), w };
      const out = await run.run(feeds);
      expect(out.y.shape).toEqual([batch, 2]);
      expect(relErr(out.y, evaluate(g, feeds).y)).toBeLessThan(1e-6);
    }
  });

  it("reads inputs without copying: subarray views and in-place updates are seen", async () => {
    const g = new Graph("views");
    const p = g.input("p", "float32", [4]);
    g.output("s", reduceSum(p, [], false));
    const run = await compile(g);
    const buf = new Float32Array([100, 1, 2, 3, 4, 200]);
    const view = { dtype: "float32" as const, shape: [4], data: buf.subarray(1, 5) };
    expect((await run.run({ p: view })).s.data[0]).toBe(10);
    buf[2] = 12; // visible through the same view
    expect((await run.run({ p: view })).s.data[0]).toBe(20);
    // the same feed object with new data, or with a bad new shape, is wrapped and checked again
    (view as { data: Float32Array }).data = new Float32Array([1, 1, 1, 1]);
    expect((await run.run({ p: view })).s.data[0]).toBe(4);
    view.shape[0] = 3;
    await expect(run.run({ p: view })).rejects.toThrow(/has 4 elements but shape \[3\]/);
  });

  it("rejects bad feeds with a one-line reason", async () => {
    const run = await compile(linear());
    const w = ndarray("float32", [3, 2], [1, 2, 3, 4, 5, 6]);
    await expect(run.run({ w })).rejects.toThrow(/missing feed for input "x"/);
    await expect(run.run({ x: ndarray("float32", [2, 4], new Array(8).fill(0)), w })).rejects.toThrow(/dim 1 must be 3/);
    await expect(run.run({ x: ndarray("float64", [2, 3], new Array(6).fill(0)), w })).rejects.toThrow(/must be float32/);
  });

  it("rejects inconsistent sizes of one symbolic dim", async () => {
    const g = new Graph("sym");
    const a = g.input("a", "float32", ["B"]);
    const b = g.input("b", "float32", ["B"]);
    g.output("c", add(a, b));
    const run = await compile(g);
    await expect(run.run({ a: ndarray("float32", [2], [1, 2]), b: ndarray("float32", [3], [1, 2, 3]) })).rejects.toThrow(/"B" = 2 elsewhere, got 3/);
  });
});
