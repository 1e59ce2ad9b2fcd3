// `ratio data list` and `ratio data generate <name>`: procedural SFT datasets (JSONL with a lineage sidecar).
import type { Command } from "commander";
import { z } from "zod";
import { getGenerator, generators } from "../datagen/index.js";
import { issueMessage } from "../pipeline/zod-message.js";
import { writeDataset } from "../run/dataset.js";
import { action, parseIntFlag, prepareOutputFile, printJson, UserError } from "./common.js";
import { registerExport } from "./data-export.js";
import { parseOptionPairs } from "./tasks.js";

const collect = (v: string, prev: string[]) => [...prev, v];

interface GenerateFlags {
  n: number;
  seed: number;
  out: string;
  option: string[];
  json?: boolean;
}

export function register(program: Command): void {
  const data = program.command("data").description("generate procedural training datasets (JSONL + lineage); export RL prompts for verl, OpenRLHF or TRL");
  data
    .command("list")
    .description("list the dataset generators")
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExample:\n  ratio data list")
    .action(action((o: { json?: boolean }) => {
      const all = generators.map((g) => ({ name: g.name, description: g.description }));
      if (o.json) return printJson({ generators: all });
      for (const g of all) process.stdout.write(`${g.name.padEnd(20)} ${g.description}\n`);
    }));
  data
    .command("generate")
    .description("write a dataset: one JSON row per line (prompt, completion, problem_id, …) and <out>.meta.json")
    .argument("<name>", "generator name (see `ratio data list`)")
    .requiredOption("--out <file>", "output JSONL file")
    .option("--n <n>", "number of rows", parseIntFlag("--n", 1), 1000)
    .option("--seed <n>", "seed", parseIntFlag("--seed"), 0)
    .option("--option <key=value>", "generator option (repeatable)", collect, [])
    .option("--json", "print a JSON summary")
    .addHelpText("after", "\nExamples:\n  ratio data list\n  ratio data generate sos --n 5000 --out data/sos.jsonl --option numbers=4 --option trace=search\n  ratio data generate priming --n 2000 --out data/priming.jsonl --option condition=only_backtracking")
    .action(action((name: string, o: GenerateFlags) => {
      let g;
      try {
        g = getGenerator(name);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      const given = parseOptionPairs(o.option);
      const parsed = g.options.safeParse(given);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const known = g.options instanceof z.ZodObject ? Object.keys(g.options.shape as Record<string, unknown>) : [];
        if (issue.code === "unrecognized_keys") throw new UserError(`--option ${issue.keys.join(", ")}: unknown option of generator ${name} (expected one of: ${known.join(", ")})`);
        throw new UserError(`--option ${issue.path.join(".") || "(options)"}: ${issueMessage(issue, given, g.options)}`);
      }
      prepareOutputFile("--out", o.out);
      const { rows, lineage } = g.generate(o.n, o.seed, parsed.data);
      writeDataset(o.out, rows, { stage: `data:${name}`, seed: o.seed, generator: name, options: parsed.data, ...lineage });
      if (o.json) return printJson({ generator: name, rows: rows.length, out: o.out });
      process.stdout.write(`wrote ${rows.length} rows to ${o.out} (lineage: ${o.out}.meta.json)\n`);
    }));
  registerExport(data);
}
