// `ratio run <pipeline.yaml>`: runs a pipeline (docs/pipelines.md) into a run directory, one summary line per
// stage; --resume continues an interrupted run where it stopped.
import * as path from "node:path";
import type { Command } from "commander";
import { loadPipeline } from "../pipeline/spec.js";
import { runPipeline } from "../pipeline/runner.js";
import { RunDir } from "../run/run-dir.js";
import { action, parseIntFlag, printJson, UserError } from "./common.js";

interface Flags {
  out?: string;
  resume?: boolean;
  json?: boolean;
  stopAfter?: number;
}

const EXAMPLES = `
Examples:
  ratio run examples/star-addition.yaml                    # into runs/<name of the pipeline>
  ratio run examples/r1-recipe.yaml --out runs/r1          # a chosen run directory
  ratio run examples/r1-recipe.yaml --out runs/r1 --resume # continue after a crash or Ctrl-C
  ratio run examples/grpo-countdown.yaml --json            # one JSON object with every stage's summary

The run directory holds manifest.json (stages, lineage, status), metrics.jsonl, samples.jsonl,
checkpoints/<stage>/ and plots/; see docs/pipelines.md and docs/runs.md.`;

export function register(program: Command): void {
  program
    .command("run")
    .description("run a pipeline file: a model, tasks and stages (sft, eval, …) with checkpoints and --resume")
    .argument("<pipeline>", "pipeline file (.yaml)")
    .option("--out <dir>", "run directory (default runs/<pipeline name>)")
    .option("--resume", "continue the run in --out: skip complete stages, resume the interrupted one from its last checkpoint")
    .option("--stop-after <n>", "stop (with a checkpoint) after n steps of the first stage that runs; continue with --resume", parseIntFlag("--stop-after", 1))
    .option("--json", "print one JSON object at the end (also when the run fails) instead of progress and summary lines; diagnostics still go to stderr")
    .addHelpText("after", EXAMPLES)
    .action(action(async (file: string, o: Flags) => {
      let pipeline;
      try {
        pipeline = loadPipeline(file);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      const out = o.out ?? path.join("runs", pipeline.name);
      // diagnostics ("warning [stage step N]: …") reach stderr with or without --json, and the JSON lists them
      const warnings: string[] = [];
      const say = (m: string) => {
        const warning = m.startsWith("warning");
        if (warning) warnings.push(m);
        if (!o.json || warning) process.stderr.write(m + "\n");
      };
      const t0 = performance.now();
      const startedAt = Date.now();
      let result: Awaited<ReturnType<typeof runPipeline>>;
      try {
        result = await runPipeline(pipeline, {
          out, resume: o.resume === true, say, progress: !o.json && process.stderr.isTTY === true,
          report: (line) => { if (!o.json) process.stdout.write(line + "\n"); },
          command: ["ratio", ...process.argv.slice(2)], stopAfterSteps: o.stopAfter,
        });
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        const stage = failedStage(out, startedAt);
        const seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
        if (o.json) printJson({ out, name: pipeline.name, status: "failed", stage: stage ?? null, error, warnings, seconds });
        const resume = stage === undefined ? "" : `; fix it and continue with: ratio run ${file} --out ${out} --resume`;
        throw new UserError(`${stage === undefined ? "" : `stage "${stage}" failed: `}${error.split("\n")[0]}${resume}`);
      }
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) return printJson({ ...result, warnings, seconds: Number(seconds.toFixed(2)) });
      const tail = result.status === "complete" ? "complete" : `stopped; continue with: ratio run ${file} --out ${out} --resume`;
      process.stdout.write(`${pipeline.name}: ${tail} in ${seconds.toFixed(1)} s; run directory ${out}\n`);
    }));
}

/** The stage this invocation's failed run marks failed (none when it failed before any stage, or wrote no manifest). */
function failedStage(out: string, since: number): string | undefined {
  try {
    const m = RunDir.readManifest(out);
    if (m.status !== "failed" || !(Date.parse(m.updated) >= since - 1000)) return undefined; // another run's manifest
    return m.stages.find((x) => x.status === "failed")?.name;
  } catch {
    return undefined;
  }
}
