// `ratio experiment <name>`: runs one of the experiments of docs/results/ and writes its report.
import * as path from "node:path";
import type { Command } from "commander";
import { experiments } from "../experiments/index.js";
import { writeFileAtomic } from "../util/atomic.js";
import { action, makeDirFlag, parseIntFlag, printJson, UserError } from "./common.js";

interface Flags {
  out?: string;
  seed: number;
  quick?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("experiment")
    .description("run an experiment of docs/results/ (a table, a plot and what it shows)")
    .argument("[name]", "experiment name (omit to list them)")
    .option("--out <dir>", "output directory (default runs/experiments/<name>)")
    .option("--seed <n>", "seed", parseIntFlag("--seed"), 0)
    .option("--quick", "a small budget (for tests; the numbers mean little)")
    .option("--json", "print the result's numbers as one JSON object")
    .addHelpText("after", "\nExamples:\n  ratio experiment                       # list (--json: as one JSON object)\n  ratio experiment star-rationalization --out runs/exp-star\n  ratio experiment sos --quick           # seconds; the numbers mean little")
    .action(action(async (name: string | undefined, o: Flags) => {
      if (name === undefined) {
        if (o.json) return printJson({ experiments: experiments.map((e) => ({ name: e.name, description: e.description })) });
        for (const e of experiments) process.stdout.write(`${e.name.padEnd(24)} ${e.description}\n`);
        return;
      }
      const e = experiments.find((x) => x.name === name);
      if (!e) throw new UserError(`unknown experiment "${name}" (expected one of: ${experiments.map((x) => x.name).join(", ") || "none"})`);
      const out = o.out ?? path.join("runs", "experiments", name);
      makeDirFlag("--out", out);
      const say = (m: string) => { if (!o.json) process.stderr.write(m + "\n"); };
      const r = await e.run({ out, seed: o.seed, quick: o.quick === true, json: o.json === true, say, progress: !o.json && process.stderr.isTTY === true });
      const report = path.join(out, "report.md");
      await writeFileAtomic(report, r.markdown);
      if (o.json) return printJson({ experiment: name, ...r.data, report, plots: r.plots });
      process.stdout.write(r.markdown + `\nreport: ${report}\n`);
    }));
}
