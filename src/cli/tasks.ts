// `ratio tasks list` and `ratio tasks show <task>`: the procedural tasks, their options, and examples with gold.
import type { Command } from "commander";
import { describeTaskOptions, getTask, listTasks, parseTaskOptions } from "../tasks/index.js";
import { action, parseIntFlag, printJson, UserError } from "./common.js";

/** `--option key=value` pairs → an options object (numbers and booleans parsed, the rest kept as strings). */
export function parseOptionPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UserError(`--option: expected key=value, got "${p}"`);
    const key = p.slice(0, eq);
    const raw = p.slice(eq + 1);
    out[key] = raw === "true" ? true : raw === "false" ? false : raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function register(program: Command): void {
  const tasks = program.command("tasks").description("procedural verifiable tasks: list them, show examples");
  tasks
    .command("list")
    .description("list the tasks and their options")
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExample:\n  ratio tasks list --json")
    .action(action((o: { json?: boolean }) => {
      const all = listTasks().map((t) => ({ name: t.name, description: t.description, options: describeTaskOptions(t.name) }));
      if (o.json) return printJson({ tasks: all });
      for (const t of all) {
        process.stdout.write(`${t.name} — ${t.description}\n`);
        for (const op of t.options) process.stdout.write(`    ${op.name}${op.default !== undefined ? ` (default ${JSON.stringify(op.default)})` : ""}: ${op.description}\n`);
      }
    }));
  tasks
    .command("show")
    .description("print examples of a task with their gold answers (and gold rationales where the task has them)")
    .argument("<task>", "task name (see `ratio tasks list`)")
    .option("--n <n>", "how many examples", parseIntFlag("--n", 1), 5)
    .option("--seed <s>", "generation seed", parseIntFlag("--seed"), 0)
    .option("--start <i>", "index of the first example", parseIntFlag("--start", 0), 0)
    .option("--option <key=value>", "task option (repeatable; `ratio tasks list` shows each task's), e.g. --option maxDigits=3", collect, [])
    .option("--json", "print one JSON object per example (JSONL)")
    .addHelpText("after", "\nExamples:\n  ratio tasks show addition --n 2 --option minDigits=3 --option maxDigits=3\n  ratio tasks show countdown --option preset=sos --n 1 --json")
    .action(action((name: string, o: { n: number; seed: number; start: number; option: string[]; json?: boolean }) => {
      const task = getTask(name);
      const opts = parseTaskOptions(name, parseOptionPairs(o.option));
      for (let i = o.start; i < o.start + o.n; i++) {
        const ex = task.generate({ ...opts, seed: o.seed, index: i });
        const prompt = task.prompt(ex);
        const rationale = task.rationale?.(ex);
        if (o.json) {
          printJson({ ...ex, prompt, ...(rationale !== undefined ? { rationale } : {}) });
          continue;
        }
        process.stdout.write(`── ${ex.id} ──\n${prompt}${rationale !== undefined ? rationale : ""}\n[gold answer: ${ex.answer}]\n\n`);
      }
    }));
}
