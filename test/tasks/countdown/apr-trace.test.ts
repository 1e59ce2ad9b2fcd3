import { describe, expect, it } from "vitest";
import { aprDataOptions, aprProblem, generateApr } from "../../../src/datagen/apr.js";
import { aprWinningPath } from "../../../src/tasks/countdown/apr-markers.js";
import { aprThreads, aprTrace, checkAprPath, scoreAprRoot, validateAprTrace } from "../../../src/tasks/countdown/apr-trace.js";
import { sosHeader } from "../../../src/tasks/countdown/rules.js";
import { checkSosTrace } from "../../../src/tasks/countdown/sos-check.js";
import { dfsTrace } from "../../../src/tasks/countdown/sos-trace.js";

const OPTS = { beam: 4, subCalls: 4, maxDepth: 1, threshold: true };

describe("APR trace generator", () => {
  it("builds valid trees: every thread's SoS search and every winning path check (3 and 4 numbers, 1 and 2 levels)", () => {
    let solved = 0;
    let nested = 0;
    for (const [numbers, maxDepth] of [[3, 1], [4, 1], [4, 2]] as const) {
      const o = aprDataOptions.parse({ numbers, max_value: 30, max_target: 50 });
      for (let i = 0; i < 12; i++) {
        const p = aprProblem(5, i, o);
        const tree = aprTrace(p.target, p.nums, { ...OPTS, maxDepth });
        expect(validateAprTrace(tree, p.target, p.nums)).toBeNull();
        if (tree.goal) {
          solved++;
          const r = scoreAprRoot(tree.text, p.target, p.nums);
          expect(r.valid).toBe(true);
          // the root's path replays to the target from the problem's numbers
          expect(r.ops!.length).toBe(numbers - 1);
        } else {
          expect(tree.text.endsWith("No solution found.\n")).toBe(true);
        }
        if (aprThreads(tree).some((t) => t.depth === 2)) nested++;
      }
    }
    expect(solved).toBeGreaterThan(10);
    expect(nested).toBeGreaterThan(0);
  });

  it("children are SoS DFS searches from their node and return APR's winning path", () => {
    const tree = aprTrace(28, [1, 7, 4], OPTS);
    const child = tree.spawns[0][0];
    expect(child.prompt).toBe("Moving to Node #0,0\nCurrent State: 28:[1, 28], Operations: ['7*4=28']\n");
    const path = aprWinningPath(child.text)!;
    expect(path.startsWith("Moving to Node #0,0\nCurrent State: 28:[1, 28]")).toBe(true);
    expect(checkAprPath(path, 28, [1, 7, 4])).toMatchObject({ valid: true, ops: ["7*4=28", "1*28=28"] });
    // the parent's second call starts after the join block that replaced its spawn block
    expect(tree.calls).toHaveLength(2);
    expect(tree.calls[0].completion.endsWith("<End Calling Sub Searches>")).toBe(true);
    expect(tree.calls[1].prompt).toContain("<Sub Searches>\n<Goal Reached in Sub Search 0 at level 1 at Node #0,0>\n");
    expect(tree.calls[1].prompt).not.toContain("<Calling Sub Searches>");
  });

  it("catches a corrupted child search (the SoS checker rejects it)", () => {
    const tree = aprTrace(28, [1, 7, 4], OPTS);
    tree.spawns[0][0].text = tree.spawns[0][0].text.replace("1*28=28", "1*28=27");
    expect(validateAprTrace(tree, 28, [1, 7, 4])).toMatch(/thread #0,0/);
  });

  it("is deterministic and the serial baseline is the SoS DFS over the same pruning", () => {
    const a = generateApr(5, 9, { numbers: 3, max_value: 30, max_target: 50 });
    const b = generateApr(5, 9, { numbers: 3, max_value: 30, max_target: 50 });
    expect(a.rows).toEqual(b.rows);
    expect(new Set(a.rows.map((r) => r.problem_id)).size).toBe(5);
    expect(a.rows.filter((r) => r.role === "parent").length).toBeGreaterThanOrEqual(5);
    expect(a.rows.some((r) => r.role === "child" && r.depth === 1)).toBe(true);
    const s = generateApr(5, 9, { numbers: 3, max_value: 30, max_target: 50, rows: "serial" });
    expect(s.rows).toHaveLength(5);
    for (const r of s.rows) {
      expect(r.prompt).toBe(sosHeader(r.target, r.nums) + "\n");
      expect(r.prompt + r.completion).toBe(dfsTrace(r.target, r.nums, { threshold: r.target, beam: 4 }));
      if (r.solved) expect(checkSosTrace(r.prompt + r.completion, r.target, r.nums).valid).toBe(true);
    }
    expect(() => aprDataOptions.parse({ numbers: 2 })).toThrow();
  });

  it("conditions prompts as APR does: Sub Call Budget on the root, Token Budget on every thread", () => {
    const opts = { numbers: 4, max_value: 30, max_target: 50 } as const;
    const plain = generateApr(3, 4, opts).rows;
    const sub = generateApr(3, 4, { ...opts, condition: "sub_calls" }).rows;
    const tok = generateApr(3, 4, { ...opts, condition: "token_budget" }).rows;
    expect(sub.map((r) => r.completion)).toEqual(plain.map((r) => r.completion));
    for (const [i, r] of plain.entries()) {
      const children = plain.filter((c) => c.problem_id === r.problem_id && c.role === "child" && c.call === 0).length;
      if (r.role === "parent") expect(sub[i].prompt).toBe(`Sub Call Budget: ${children} ${r.prompt}`);
      else expect(sub[i].prompt).toBe(r.prompt);
      const generated = plain.filter((c) => c.problem_id === r.problem_id).reduce((n, c) => n + c.completion.length, 0);
      expect(tok[i].prompt).toBe(`Token Budget: ${Math.ceil(generated / 512) * 512} ${r.prompt}`);
    }
    expect(sub.some((r) => /^Sub Call Budget: [1-9]\d* Moving to Node #0\n/.test(r.prompt))).toBe(true);
    expect(() => generateApr(1, 0, { ...opts, rows: "serial", condition: "sub_calls" })).toThrow(/condition=sub_calls needs rows=apr/);
  });
});
