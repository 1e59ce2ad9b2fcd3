// `ratio score --task <task>`: JSONL in (the task's example fields + "completion"), JSONL out, in input order.
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { getTask } from "../tasks/index.js";
import { action, UserError } from "./common.js";

interface Flags {
  task: string;
  rules?: string;
  input: string;
  output: string;
}

export function register(program: Command): void {
  program
    .command("score")
    .description("score completions: one JSON object per line in, {correct, reward, extracted, reason} per line out")
    .requiredOption("--task <task>", "addition | countdown | multiple-choice | math")
    .option("--rules <preset>", "countdown rule set when lines do not say (sos | tinyzero | reasoning-gym)")
    .option("--input <file>", "JSONL input, - for stdin", "-")
    .option("--output <file>", "JSONL output, - for stdout", "-")
    .addHelpText("after", `
Input lines hold the task's fields plus "completion", e.g.
  math:            {"answer": "\\\\frac{1}{2}", "completion": "… \\\\boxed{0.5}"}
  countdown:       {"numbers": [3, 5, 7], "target": 22, "completion": "<answer>3*5+7</answer>"}
  addition:        {"a": 624, "b": 259, "completion": "…"}
  multiple-choice: {"choices": ["red", "blue"], "answer": "B", "completion": "The answer is (B)."}
A malformed line gives {"line": n, "error": "…"} and the rest are still scored; the exit code is 1 if any line failed.

Example:
  ratio score --task countdown --rules tinyzero --input samples.jsonl --output scored.jsonl`)
    .action(action(async (o: Flags) => {
      const task = getTask(o.task);
      if (o.rules !== undefined && task.name !== "countdown") throw new UserError(`--rules applies to the countdown task, not ${task.name}`);
      const input = o.input === "-" ? process.stdin : createReadStream(o.input);
      input.on("error", (e: NodeJS.ErrnoException) => {
        process.stderr.write(`ratio: ${o.input}: cannot read (${e.code ?? e.message})\n`);
        process.exit(1);
      });
      const out: WriteStream | NodeJS.WriteStream = o.output === "-" ? process.stdout : createWriteStream(o.output);
      let failed = 0;
      let n = 0;
      const lines = createInterface({ input, crlfDelay: Infinity });
      for await (const line of lines) {
        n++;
        if (line.trim() === "") continue;
        let row: string;
        try {
          const rec = JSON.parse(line) as unknown;
          if (typeof rec !== "object" || rec === null || Array.isArray(rec)) throw new Error("expected a JSON object");
          const fields = rec as Record<string, unknown>;
          if (typeof fields.completion !== "string") throw new Error('field "completion" must be a string');
          if (o.rules !== undefined && fields.preset === undefined) fields.preset = o.rules;
          const example = task.fromFields(fields);
          const s = task.score(fields.completion, example);
          row = JSON.stringify({ correct: s.correct, reward: s.reward, extracted: s.extracted, reason: s.reason });
        } catch (e) {
          failed++;
          row = JSON.stringify({ line: n, error: `${o.input === "-" ? "stdin" : o.input}:${n}: ${e instanceof Error ? e.message : String(e)}` });
        }
        if (!out.write(row + "\n")) await new Promise<void>((r) => out.once("drain", () => r()));
      }
      if (out !== process.stdout) await new Promise<void>((r) => (out as WriteStream).end(() => r()));
      if (failed > 0) {
        process.stderr.write(`ratio: ${failed} of ${n} lines could not be scored (see the error objects in the output)\n`);
        process.exitCode = 1;
      }
    }));
}
