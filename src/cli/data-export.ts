// `ratio data export`: RL prompt datasets for verl, OpenRLHF or TRL, labelled for `ratio reward-server`
// (src/datagen/export.ts, docs/reward-server.md).
import type { Command } from "commander";
import { writeFileAtomicSync } from "../util/atomic.js";
import { EXPORT_FORMATS, EXPORTABLE_TASKS, exportRows, rewardServerFor, writeExport, type ExportFormat } from "../datagen/export.js";
import { getTask, parseTaskOptions } from "../tasks/registry.js";
import { getTemplate } from "../templates/registry.js";
import { action, parseIntFlag, prepareOutputFile, printJson, UserError } from "./common.js";
import { parseOptionPairs } from "./tasks.js";

interface ExportFlags {
  task: string;
  option: string[];
  format: string;
  out: string;
  n: number;
  seed: number;
  offset: number;
  split: string;
  template?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function registerExport(data: Command): void {
  data
    .command("export")
    .description("write RL prompts with labels for verl (parquet), OpenRLHF or TRL (JSONL), scored by `ratio reward-server`")
    .requiredOption("--task <task>", `task whose problems are written: ${EXPORTABLE_TASKS.join(" | ")}`)
    .option("--option <key=value>", "task option (repeatable), e.g. preset=tinyzero", collect, [])
    .option("--format <format>", EXPORT_FORMATS.join(" | "), "verl")
    .requiredOption("--out <file>", "output file (.parquet for verl, .jsonl otherwise)")
    .option("--n <n>", "problems", parseIntFlag("--n", 1), 1000)
    .option("--seed <s>", "seed of the problem generator", parseIntFlag("--seed"), 0)
    .option("--offset <i>", "generator index of the first problem (a test split: another offset, e.g. 1000000)", parseIntFlag("--offset", 0), 0)
    .option("--split <name>", "split name written to verl's extra_info", "train")
    .option("--template <name>", "prompt template: r1 | plain | star | l1-exact | l1-max | s1 | qwen3 (default: the task's own prompt)")
    .option("--json", "print a JSON summary")
    .addHelpText("after", [
      "",
      "Writes <out> and <out>.meta.json (task, options, seed, offset, template, format, and the reward-server command that scores the labels).",
      "",
      "Examples:",
      "  ratio data export --task countdown --option preset=tinyzero --n 10000 --format verl --out data/countdown-train.parquet",
      "  ratio data export --task countdown --option preset=tinyzero --n 500 --offset 1000000 --split test --out data/countdown-test.parquet",
      "  ratio data export --task math --format openrlhf --template r1 --n 5000 --out data/math.jsonl",
    ].join("\n"))
    .action(action((o: ExportFlags) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) throw new UserError(`--format: unknown format "${o.format}" (expected one of: ${EXPORT_FORMATS.join(", ")})`);
      const format = o.format as ExportFormat;
      const ext = format === "verl" ? ".parquet" : ".jsonl";
      if (!o.out.endsWith(ext)) throw new UserError(`--out ${o.out}: the ${format} format is written as ${ext}`);
      let server;
      let task;
      let options;
      let template;
      try {
        server = rewardServerFor(o.task);
        task = getTask(o.task);
        options = parseTaskOptions(o.task, parseOptionPairs(o.option));
        template = o.template === undefined ? undefined : getTemplate(o.template);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      prepareOutputFile("--out", o.out);
      const rows = exportRows({ task, taskOptions: options, n: o.n, seed: o.seed, offset: o.offset, split: o.split, template });
      const bytes = writeExport(o.out, rows, format, o.task, o.split);
      const meta = {
        rows: rows.length, format, task: o.task, task_options: options, seed: o.seed, offset: o.offset, split: o.split, template: o.template ?? null,
        reward_server: { command: server.command, preset: server.preset, fields: server.fields },
      };
      writeFileAtomicSync(`${o.out}.meta.json`, JSON.stringify(meta, null, 2) + "\n");
      if (o.json) return printJson({ out: o.out, bytes, ...meta });
      process.stdout.write(`wrote ${rows.length} ${o.task} prompts (${format}, ${bytes.toLocaleString("en-US")} bytes) to ${o.out}; score them with: ${server.command}\n`);
    }));
}
