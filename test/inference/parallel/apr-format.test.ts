import { describe, expect, it } from "vitest";
import { aprCountdownFormat, runThreads, threadsOf } from "../../../src/inference/parallel/index.js";
import { APR_MARKERS, aprJoinBlock, aprNodePrompt, aprSpawnBlock, aprWinningPath, parseAprSpawn } from "../../../src/tasks/countdown/apr-markers.js";
import { aprThreads, aprTrace, scoreAprRoot, type AprThreadTrace } from "../../../src/tasks/countdown/apr-trace.js";
import { ScriptedBackend } from "./scripted-backend.js";

const PARENT = [
  "Moving to Node #0",
  "Current State: 28:[1, 7, 4], Operations: []",
  "Exploring Operation: 7*4=28, Resulting Numbers: [1, 28]",
  "Generated Node #0,0: 28:[1, 28] Operation: 7*4=28",
  "Exploring Operation: 1+7=8, Resulting Numbers: [4, 8]",
  "Generated Node #0,1: 28:[4, 8] Operation: 1+7=8",
  "",
].join("\n");

describe("APR Countdown format", () => {
  it("renders a spawn block with APR's exact markers and parses it back into child prompts", () => {
    const block = aprSpawnBlock(["0,0", "0,1"], 1);
    expect(block).toBe("<Calling Sub Searches>\n<Start Sub Search 0 at level 1> Moving to Node #0,0\n<Start Sub Search 1 at level 1> Moving to Node #0,1\n<End Calling Sub Searches>");
    const kids = parseAprSpawn(PARENT + block);
    expect(kids.map((k) => k.label)).toEqual(["0,0", "0,1"]);
    expect(kids[0].prompt).toBe("Moving to Node #0,0\nCurrent State: 28:[1, 28], Operations: ['7*4=28']\n");
    expect(kids[1].prompt).toBe(aprNodePrompt("0,1", 28, [4, 8], ["1+7=8"]));
    expect(parseAprSpawn(PARENT + aprSpawnBlock(["0,7"], 1))[0].error).toMatch(/never generated/);
  });

  it("renders a join block and reads each child's winning path back", () => {
    const path = "Moving to Node #0,0\nCurrent State: 28:[1, 28], Operations: ['7*4=28']\nExploring Operation: 1*28=28, Resulting Numbers: [28]\n28,28 equal: Goal Reached";
    const child = `Exploring Operation: 1*28=28, Resulting Numbers: [28]\n28,28 equal: Goal Reached\n${path}\n`;
    expect(aprWinningPath(child)).toBe(path);
    expect(aprWinningPath("Exploring Operation: 4*8=32, Resulting Numbers: [32]\n32,28 unequal: No Solution\nNo solution found.\n")).toBeNull();
    const join = aprJoinBlock([{ label: "0,0", result: path }, { label: "0,1", result: null }], 1);
    expect(join).toBe(`<Sub Searches>\n<Goal Reached in Sub Search 0 at level 1 at Node #0,0>\n${path}\n<No Solution in Sub Search 1 at level 1 at Node #0,1>\n<End Sub Searches>\n`);
    const lines = join.split("\n");
    expect(lines[1]).toMatch(/^<Goal Reached in Sub Search (\d+) at level (\d+) at Node #([\d,]+)>$/);
    expect(join.slice(join.indexOf(lines[2]), join.indexOf("\n<No Solution")).trim()).toBe(path);
  });

  it("as a ThreadFormat: spawns at <End Calling Sub Searches>, rewrites a model-written <Sub Searches>, replaces the spawn block on join", () => {
    const f = aprCountdownFormat();
    expect(f.stop).toEqual([APR_MARKERS.endCall, APR_MARKERS.results]);
    const text = PARENT.split("\n").slice(2).join("\n") + aprSpawnBlock(["0,0"], 1);
    const spawn = f.afterRound(PARENT.split("\n").slice(0, 2).join("\n") + "\n", text, "stop");
    expect(spawn.kind).toBe("spawn");
    expect(f.afterRound("", "Exploring…\n<Sub Searches>", "stop")).toEqual({ kind: "continue", strip: "<Sub Searches>".length, append: "<Calling Sub Searches>" });
    expect(f.afterRound("", "x,28 equal: Goal Reached\n", "stop").kind).toBe("done");
    const edit = f.renderJoin([{ label: "0,0", result: null, failure: "error" }], 1, text);
    expect(text.slice(0, text.length - edit.strip).endsWith("Operation: 1+7=8\n")).toBe(true);
    expect(edit.append.startsWith("<Sub Searches>\n<No Solution in Sub Search 0 at level 1 at Node #0,0>\n")).toBe(true);
    expect(aprCountdownFormat({ tokenBudget: true }).budgetPrefix?.(700)).toBe("Token Budget: 1024 ");
    expect(aprCountdownFormat({ tokenBudget: true }).budgetPrefix?.(512)).toBe("Token Budget: 512 ");
  });
});

/** A scripted model that writes exactly the generator's calls: thread prompt + text so far → the call's completion. */
function replayBackend(tree: AprThreadTrace): ScriptedBackend {
  const table = new Map<string, string>();
  for (const t of aprThreads(tree)) for (const c of t.calls) table.set(c.prompt, c.completion);
  return new ScriptedBackend((p) => table.get(p) ?? new Error(`unscripted prompt ${JSON.stringify(p.slice(-80))}`));
}

describe("the runtime reproduces the generator's APR traces", () => {
  it.each([
    { nums: [1, 7, 4], target: 28, maxDepth: 1 },
    { nums: [3, 9, 14, 25], target: 56, maxDepth: 2 },
  ])("$nums → $target, $maxDepth level(s) of spawning", async ({ nums, target, maxDepth }) => {
    const tree = aprTrace(target, nums, { beam: 4, subCalls: 4, maxDepth, threshold: true });
    const r = await runThreads(replayBackend(tree), aprNodePrompt("0", target, nums, []), { format: aprCountdownFormat(), maxChildren: 4, maxDepth, maxThreadTokens: 100_000 });
    expect(r.root.text).toBe(tree.text);
    expect(r.stats.threads).toBe(aprThreads(tree).length);
    expect(threadsOf(r.root).map((t) => t.text)).toEqual(aprThreads(tree).map((t) => t.text));
    expect(threadsOf(r.root).every((t) => t.status === "done" || t.failure === "no-result")).toBe(true);
    expect(scoreAprRoot(r.root.text, target, nums).valid).toBe(tree.goal !== null);
    if (maxDepth === 2) expect(r.stats.depth).toBe(2);
    // the critical path is shorter than the total as soon as two children ran side by side
    expect(r.stats.criticalPathTokens).toBeLessThan(r.stats.totalTokens);
  });
});
