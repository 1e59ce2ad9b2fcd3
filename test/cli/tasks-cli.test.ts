// End-to-end tests of `ratio tasks` and `ratio score` (JSONL in, JSONL out, input order, per-line errors).
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const jsonl = (s: string) => s.trim().split("\n").map((l) => JSON.parse(l));

describe("ratio tasks / score", () => {
  it("tasks list names every task with its options", () => {
    const r = ratio(["tasks", "list", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const names = JSON.parse(r.stdout).tasks.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(["addition", "countdown", "multiple-choice", "math"]));
  });

  it("tasks show prints seeded examples whose gold rationale scores correct", () => {
    const a = ratio(["tasks", "show", "addition", "--n", "2", "--seed", "4", "--option", "minDigits=3", "--option", "maxDigits=3", "--json"]);
    const b = ratio(["tasks", "show", "addition", "--n", "2", "--seed", "4", "--option", "minDigits=3", "--option", "maxDigits=3", "--json"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const rows = jsonl(a.stdout);
    expect(rows).toHaveLength(2);
    const scored = jsonl(ratio(["score", "--task", "addition"], rows.map((x) => JSON.stringify({ ...x.metadata, completion: x.rationale })).join("\n")).stdout);
    expect(scored.every((s) => s.correct === true)).toBe(true);
    const bad = ratio(["tasks", "show", "addition", "--option", "digits=3"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown option "digits"/);
  });

  it("score keeps input order, scores the issue's examples, and reports a malformed line without losing the rest", () => {
    const lines = [
      JSON.stringify({ answer: "\\frac{1}{2}", completion: "so \\boxed{0.5}" }),
      "not json",
      JSON.stringify({ answer: "7", completion: "\\boxed{8}" }),
    ].join("\n");
    const r = ratio(["score", "--task", "math"], lines);
    expect(r.code).toBe(1);
    const out = jsonl(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ correct: true, reward: 1, extracted: "0.5" });
    expect(out[1]).toMatchObject({ line: 2 });
    expect(out[1].error).toMatch(/stdin:2/);
    expect(out[2]).toMatchObject({ correct: false, reward: 0, extracted: "8" });
    expect(r.stderr).toBe("ratio score: 2 scored, 1 correct, 0 timed out, 0 internal errors, 1 lines could not be scored (see the error objects in the output)\n");

    const cd = ratio(["score", "--task", "countdown", "--preset", "tinyzero"], [
      JSON.stringify({ numbers: [3, 5, 7], target: 22, completion: "<answer>3*5+7</answer>" }),
      JSON.stringify({ numbers: [3, 5, 7], target: 22, completion: "<answer>3*5+5+2</answer>" }),
      JSON.stringify({ numbers: [3, 5, 7], target: 22, completion: "no tag" }),
    ].join("\n"));
    expect(cd.code, cd.stderr).toBe(0);
    expect(jsonl(cd.stdout).map((x) => x.reward)).toEqual([1, 0.1, 0]);
    const old = ratio(["score", "--task", "countdown", "--rules", "tinyzero"], JSON.stringify({ numbers: [3, 5, 7], target: 22, completion: "<answer>3*5+7</answer>" }));
    expect(jsonl(old.stdout)[0]).toMatchObject({ reward: 1 }); // --rules: the old name of --preset
    const notCountdown = ratio(["score", "--task", "math", "--preset", "sos"], "");
    expect(notCountdown.stderr).toBe("ratio: --preset applies to the countdown task, not math\n");
    const mc = ratio(["score", "--task", "multiple-choice"], JSON.stringify({ choices: ["red", "blue"], answer: "B", completion: "The answer is (B)." }));
    expect(jsonl(mc.stdout)[0]).toMatchObject({ correct: true });
  });

  it("score's output feeds ratio metrics through a pipe (--input -)", () => {
    const scored = ratio(["score", "--task", "math", "--workers", "0"], [
      JSON.stringify({ id: "p", answer: "5", completion: "\\boxed{5}" }),
      JSON.stringify({ id: "p", answer: "5", completion: "\\boxed{4}" }),
    ].join("\n"));
    const m = ratio(["metrics", "--input", "-", "--k", "1,2", "--json"], scored.stdout);
    expect(m.code, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ problems: 1, samples: 2, summary: { "pass@1": 0.5, "pass@2": 1 } });
  });

  it("score names the task on every line, so metrics --equal auto votes with the task's equivalence", () => {
    const pad = (answer: string) => JSON.stringify({ id: "p", a: 7, b: 9, completion: `<scratch>\n</scratch>\n${answer}` });
    const scored = ratio(["score", "--task", "addition"], [pad("1 6"), pad("0 1 6"), pad("1 5")].join("\n"));
    expect(jsonl(scored.stdout).map((x) => x.task)).toEqual(["addition", "addition", "addition"]);
    const m = ratio(["metrics", "--input", "-", "--k", "3", "--json"], scored.stdout);
    expect(m.code, m.stderr).toBe(0);
    // "1 6" and "0 1 6" are one vote under addition's equivalence (two of three), not two singletons beside "1 5"
    expect(JSON.parse(m.stdout)).toMatchObject({ equal: "task addition", summary: { "maj@3": 1 } });
  });

  it("score: an unwritable --output is one line naming the flag, not a stack trace", () => {
    const r = ratio(["score", "--task", "math", "--output", "/no-such-dir/out.jsonl"], JSON.stringify({ answer: "1", completion: "\\boxed{1}" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ratio: --output /no-such-dir/out.jsonl: cannot write (ENOENT)\n");
  });

  it("score: lines without an id get distinct problem ids unless they are the same problem; a BOM is skipped", () => {
    const mc = ratio(["score", "--task", "multiple-choice"], [
      "\uFEFF" + JSON.stringify({ choices: ["red", "blue"], answer: "B", completion: "(B)" }),
      JSON.stringify({ choices: ["green", "blue"], answer: "A", completion: "(B)" }),
      JSON.stringify({ choices: ["red", "blue"], answer: "B", completion: "(A)" }),
      JSON.stringify({ choices: ["red", "blue"], answer: "Z", completion: "(A)" }),
    ].join("\n"));
    const rows = jsonl(mc.stdout);
    expect(rows[0].problem_id).not.toBe(rows[1].problem_id);
    expect([rows[0].problem_id, rows[0].sample_index]).toEqual([rows[2].problem_id, 0]);
    expect(rows[2].sample_index).toBe(1);
    expect(rows[3].error).toBe('stdin:4: multiple-choice: field "answer": answer key "Z" is not one of the labels A, B');
    const q = "Farah has 33 apples. Then Farah gives away";
    const math = jsonl(ratio(["score", "--task", "math", "--workers", "0"], [
      JSON.stringify({ question: `${q} 22 apples. How many are left?`, answer: "11", completion: "\\boxed{11}" }),
      JSON.stringify({ question: `${q} 1 apple. How many are left?`, answer: "32", completion: "\\boxed{32}" }),
      "not json",
    ].join("\n")).stdout);
    expect(math[0].problem_id).not.toBe(math[1].problem_id);
    expect(math.map((x) => x.sample_index)).toEqual([0, 0, undefined]);
    expect(math[2].error).toMatch(/^stdin:3: invalid JSON \(/);
  });
});
