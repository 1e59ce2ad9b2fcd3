import { describe, expect, it } from "vitest";
import { criticalPathTokens, runThreads, runThreadsBatch, threadsOf, totalTokens, type ChildOutcome, type RoundOutcome, type TextEdit, type ThreadFormat, type ThreadNode } from "../../../src/inference/parallel/index.js";
import { CharTokenizer } from "../../../src/model/tokenizer.js";
import { ScriptedBackend } from "./scripted-backend.js";

// A small test format: `<spawn>a;b</spawn>` spawns children with prompts "task:a\n", "task:b\n"; a child returns the
// word after its last "answer="; the join replaces the spawn block by `<join>a=…;b=FAIL:reason</join>`.
const testFormat: ThreadFormat = {
  name: "test",
  stop: ["</spawn>"],
  afterRound(_prompt: string, text: string): RoundOutcome {
    if (!text.endsWith("</spawn>")) return { kind: "done" };
    const body = text.slice(text.lastIndexOf("<spawn>") + 7, -8);
    return { kind: "spawn", children: body.split(";").map((x) => ({ label: x, prompt: `task:${x}\n` })) };
  },
  childResult(_prompt: string, text: string): string | null {
    const m = [...text.matchAll(/answer=(\w+)/g)].pop();
    return m ? m[1] : null;
  },
  renderJoin(children: readonly ChildOutcome[], _level: number, parentText: string): TextEdit {
    return { strip: parentText.length - parentText.lastIndexOf("<spawn>"), append: `<join>${children.map((c) => `${c.label}=${c.result ?? `FAIL:${c.failure}`}`).join(";")}</join>` };
  },
};

/** root spawns x and y; x spawns g (two levels); y is a longer leaf. */
function tree(overrides: Record<string, string | Error> = {}): Map<string, string | Error> {
  return new Map<string, string | Error>(Object.entries({
    "root\n": "R1 <spawn>x;y</spawn>",
    "root\nR1 <join>x=gx;y=y</join>": " R2 done",
    "task:x\n": "X1 <spawn>g</spawn>",
    "task:x\nX1 <join>g=gg</join>": " answer=gx",
    "task:g\n": "G answer=gg",
    "task:y\n": "Y1234567890 answer=y",
    ...overrides,
  }));
}

const backendFor = (table: Map<string, string | Error>): ScriptedBackend =>
  new ScriptedBackend((p) => table.get(p) ?? new Error(`unscripted prompt ${JSON.stringify(p)}`));

const byLabel = (root: ThreadNode, label: string): ThreadNode => threadsOf(root).find((t) => t.label === label)!;

describe("runThreads (spawn/join scheduler)", () => {
  it("runs two levels of nesting, joins results into the parent and batches concurrent children", async () => {
    const b = backendFor(tree());
    const r = await runThreads(b, "root\n", { format: testFormat });
    expect(r.root.text).toBe("R1 <join>x=gx;y=y</join> R2 done");
    expect(r.root.status).toBe("done");
    expect(byLabel(r.root, "x").text).toBe("X1 <join>g=gg</join> answer=gx");
    expect(byLabel(r.root, "g").depth).toBe(2);
    expect(r.stats.depth).toBe(2);
    expect(r.stats.threads).toBe(4);
    // step 2 runs both children of the root in one call
    expect(b.calls[1].prompts).toEqual(["task:x\n", "task:y\n"]);
    expect(r.stats.steps).toBe(5);
  });

  it("accounts tokens on a hand-computed tree: total = Σ threads, critical path = parent + max over concurrent children", async () => {
    const r = await runThreads(backendFor(tree()), "root\n", { format: testFormat });
    // root "R1 <spawn>x;y</spawn>" (21) + " R2 done" (8) = 29; x "X1 <spawn>g</spawn>" (19) + " answer=gx" (10) = 29;
    // g "G answer=gg" = 11; y "Y1234567890 answer=y" = 20. The spawn block is generated, so it counts.
    expect(byLabel(r.root, "root").tokens).toBe(29);
    expect(byLabel(r.root, "x").tokens).toBe(29);
    expect(byLabel(r.root, "g").tokens).toBe(11);
    expect(byLabel(r.root, "y").tokens).toBe(20);
    expect(r.stats.totalTokens).toBe(29 + 29 + 11 + 20);
    // critical path: 29 + max(29 + 11, 20) = 69
    expect(r.stats.criticalPathTokens).toBe(69);
    expect(totalTokens(r.root)).toBe(89);
    expect(criticalPathTokens(r.root)).toBe(69);
    // join text is forced: "<join>g=gg</join>" is 17 characters, not generated tokens of x
    expect(byLabel(r.root, "x").forcedTokens).toBe(17);
  });

  it("a child over its per-thread budget fails and is rendered as a failure; the parent goes on", async () => {
    const long = "Y" + "1".repeat(40) + " answer=y";
    const r = await runThreads(backendFor(tree({ "task:y\n": long, "root\nR1 <join>x=gx;y=FAIL:thread-budget</join>": " R2 alone" })), "root\n", { format: testFormat, maxThreadTokens: 30 });
    const y = byLabel(r.root, "y");
    expect(y.status).toBe("failed");
    expect(y.failure).toBe("thread-budget");
    expect(y.tokens).toBe(30);
    expect(r.root.text).toBe("R1 <join>x=gx;y=FAIL:thread-budget</join> R2 alone");
    expect(r.root.status).toBe("done");
    expect(r.root.tokens).toBe(30);
  });

  it("admits children only while the total budget covers minChildTokens each", async () => {
    const r = await runThreads(backendFor(tree({
      "task:x\nX1 <join>g=FAIL:not-started</join>": " answer=x",
      "root\nR1 <join>x=x;y=FAIL:not-started</join>": " R2 budget",
    })), "root\n", { format: testFormat, maxTotalTokens: 60, minChildTokens: 21 });
    // root 21 → 39 left: x starts (39 ≥ 21), y does not (39 < 2·21); x spawns with 19 → 20 left < 21: g not started;
    // x answers (9) and the root ends (10): 21 + 19 + 9 + 10 = 59.
    expect(byLabel(r.root, "y").failure).toBe("not-started");
    expect(byLabel(r.root, "g").failure).toBe("not-started");
    expect(byLabel(r.root, "x").result).toBe("x");
    expect(r.root.status).toBe("done");
    expect(r.stats.totalTokens).toBe(59);
  });

  it("cuts a thread at the total budget: a fair share smaller than its need ends it with total-budget", async () => {
    const r = await runThreads(backendFor(tree({ "root\nR1 <join>x=FAIL:not-started;y=FAIL:not-started</join>": " R2 long tail here" })), "root\n", { format: testFormat, maxTotalTokens: 30 });
    // root 21 → 9 left < 16: no child starts; the root's next round may use 9 of its 18 characters
    expect(r.stats.totalTokens).toBe(30);
    expect(r.root.status).toBe("failed");
    expect(r.root.failure).toBe("total-budget");
    expect(r.root.text.endsWith(" R2 long ")).toBe(true);
  });

  it("shares the total budget fairly between concurrent children and never exceeds it", async () => {
    const r = await runThreads(backendFor(tree({ "task:x\nX1 <join>g=FAIL:total-budget</join>": " answer=late" })), "root\n", { format: testFormat, maxTotalTokens: 60, minChildTokens: 16 });
    // x and y each get floor(39/2) = 19: x spawns g (20 left ≥ 16), y is cut at 19; then g and y get floor(1/2) = 0
    expect(byLabel(r.root, "y").tokens).toBe(19);
    expect(byLabel(r.root, "y").failure).toBe("total-budget");
    expect(byLabel(r.root, "g").failure).toBe("total-budget");
    expect(r.stats.totalTokens).toBeLessThanOrEqual(60);
  });

  it("a child whose backend call throws fails alone (the batch is retried thread by thread)", async () => {
    const b = backendFor(tree({ "task:y\n": new Error("boom"), "root\nR1 <join>x=gx;y=FAIL:error</join>": " R2 anyway" }));
    const r = await runThreads(b, "root\n", { format: testFormat });
    const y = byLabel(r.root, "y");
    expect(y.status).toBe("failed");
    expect(y.failure).toBe("error");
    expect(y.error).toBe("boom");
    expect(byLabel(r.root, "x").result).toBe("gx");
    expect(r.root.text).toBe("R1 <join>x=gx;y=FAIL:error</join> R2 anyway");
    expect(r.root.status).toBe("done");
  });

  it("limits children per spawn and nesting depth", async () => {
    const r = await runThreads(backendFor(tree({
      "task:x\nX1 <join>g=FAIL:depth</join>": " answer=x",
      "root\nR1 <join>x=x;y=FAIL:not-started</join>": " R2 two",
    })), "root\n", { format: testFormat, maxChildren: 1, maxDepth: 1 });
    expect(byLabel(r.root, "y").failure).toBe("not-started");
    expect(byLabel(r.root, "g").failure).toBe("depth");
    expect(r.root.text).toBe("R1 <join>x=x;y=FAIL:not-started</join> R2 two");
    expect(r.stats.failedChildren).toBe(2);
  });

  it("a root that cannot run is a failed result, not a throw", async () => {
    const r = await runThreads(backendFor(new Map()), "root\n", { format: testFormat });
    expect(r.root.status).toBe("failed");
    expect(r.root.error).toContain("unscripted prompt");
    const s = await runThreads(backendFor(tree()), "root\n", { format: testFormat, resume: "session" });
    expect(s.root.failure).toBe("error");
    expect(s.root.error).toContain("no sessions");
  });

  it("continues threads through sessions (the join's spawn block cut back at token boundaries) with the same tree", async () => {
    const table = tree();
    const tok = CharTokenizer.fromAlphabet([...new Set([...table.keys(), ...table.values()].join(""))].sort().join("") + "FAIL:-");
    const b = new ScriptedBackend((p) => table.get(p) ?? new Error(`unscripted prompt ${JSON.stringify(p)}`), tok);
    const r = await runThreads(b, "root\n", { format: testFormat, resume: "session" });
    const alone = await runThreads(backendFor(tree()), "root\n", { format: testFormat });
    expect(r.root.text).toBe(alone.root.text);
    expect(r.stats.totalTokens).toBe(89);
    expect(r.stats.criticalPathTokens).toBe(69);
  });

  it("runs several roots in shared steps with separate budgets and the same trees as alone", async () => {
    const table = tree({ "other\n": "O answer=o" });
    const b = backendFor(table);
    const [a, o] = await runThreadsBatch(b, ["root\n", "other\n"], { format: testFormat, maxTotalTokens: 200 });
    expect(b.calls[0].prompts).toEqual(["root\n", "other\n"]);
    const alone = await runThreads(backendFor(tree()), "root\n", { format: testFormat, maxTotalTokens: 200 });
    expect(a.root.text).toBe(alone.root.text);
    expect(a.stats.totalTokens).toBe(alone.stats.totalTokens);
    expect(o.stats.totalTokens).toBe(10);
  });

  it("rejects bad options with the option's name", async () => {
    await expect(runThreads(backendFor(tree()), "root\n", { format: testFormat, maxTotalTokens: 0 })).rejects.toThrow(/maxTotalTokens/);
  });
});
