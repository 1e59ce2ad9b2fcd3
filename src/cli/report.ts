// `ratio report <run-dir>`: (re)writes the run's report.html — status, stages with lineage, summaries, plots and
// datasets on one page (src/run/report.ts). Runs write it themselves as they go; this is for any run, at any time.
import type { Command } from "commander";
import { writeRunReport } from "../run/report.js";
import { RunDir } from "../run/run-dir.js";
import { action, printJson, UserError } from "./common.js";

export function register(program: Command): void {
  program
    .command("report")
    .description("write <run-dir>/report.html: the run's stages, lineage, summaries, plots and datasets on one page")
    .argument("<run-dir>", "a run directory (with manifest.json)")
    .option("--json", "print {report, status, stages} as one JSON object")
    .addHelpText("after", "\nExamples:\n  ratio report runs/demo        # then open runs/demo/report.html\n  ratio report runs/r1 --json")
    .action(action((dir: string, o: { json?: boolean }) => {
      let manifest;
      try {
        manifest = RunDir.readManifest(dir);
      } catch (e) {
        throw new UserError(`${dir}: not a ratio run directory (${(e as Error).message})`);
      }
      const file = writeRunReport(dir, manifest);
      if (o.json) return printJson({ report: file, status: manifest.status, stages: manifest.stages.map((s) => ({ name: s.name, kind: s.kind, status: s.status })) });
      process.stdout.write(`wrote ${file} (${manifest.status}, ${manifest.stages.length} stages)\n`);
    }));
}
