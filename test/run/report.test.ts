// report.html: written as stages finish or fail and as the run's status changes; it shows every stage with its
// lineage, summary, last metrics and plots, the datasets with their row counts, and escapes whatever it shows.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { writeDataset } from "../../src/run/dataset.js";
import { REPORT_FILE } from "../../src/run/report.js";
import { RunDir } from "../../src/run/run-dir.js";
import { freshDir } from "../fixtures/tmp.js";

describe("report.html", () => {
  it("follows the run: stages with lineage, summaries, last metrics, plots and datasets; failures escaped", () => {
    const dir = path.join(freshDir(), "run");
    const run = RunDir.open(dir, { seed: 7, command: ["ratio", "run", "x.yaml"] });
    const file = path.join(dir, REPORT_FILE);
    expect(existsSync(file)).toBe(false);

    run.startStage("sft", "sft", { model: "checkpoints/base/final" });
    run.logMetrics({ stage: "sft", step: 1, loss: 2.5 });
    run.logMetrics({ stage: "sft", step: 2, loss: 1.25 });
    mkdirSync(path.join(dir, "plots"), { recursive: true });
    writeFileSync(run.plotPath("sft-loss"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    writeDataset(run.datasetPath("rs", "kept"), [{ prompt: "p", completion: "c", problem_id: "1" }, { prompt: "p", completion: "d", problem_id: "2" }], { stage: "rs", seed: 0 });
    run.finishStage("sft", { checkpoint: "checkpoints/sft/final" }, { steps: 2, loss: 1.25 });
    let html = readFileSync(file, "utf8");
    expect(html).toContain('<span class="status running">running</span>');
    expect(html).toMatch(/<h2>sft <small>\(sft\)<\/small> <span class="status complete">complete<\/span><\/h2>/);
    expect(html).toContain("<dt>in: model</dt><dd>checkpoints/base/final</dd>"); // not in the directory: no link
    expect(html).toContain('<img src="plots/sft-loss.svg"');
    expect(html).toContain("<dt>loss</dt><dd>1.25</dd>");
    expect(html).toMatch(/<a href="datasets\/rs\/kept.jsonl">datasets\/rs\/kept.jsonl<\/a><\/td><td>2<\/td>/);
    expect(html).toContain("<code>ratio run x.yaml</code>");

    run.startStage("grpo", "grpo");
    run.failStage("grpo", "NaN loss <script>alert(1)</script>");
    html = readFileSync(file, "utf8");
    expect(html).toContain('<span class="status failed">failed</span>');
    expect(html).toContain("NaN loss &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");

    run.setStatus("complete");
    expect(readFileSync(file, "utf8")).toContain('<h1>run <span class="status complete">complete</span></h1>');
  });
});
