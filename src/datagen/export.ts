// RL prompt datasets for trainers that run elsewhere, in the layouts they read, each label in the form
// `ratio reward-server` scores (docs/reward-server.md):
//   verl      parquet: data_source, prompt (a chat list), ability, reward_model {style: "rule", ground_truth},
//             extra_info {split, index, id} — verl's own GSM8K/MATH preprocessing writes these columns
//   openrlhf  JSONL {"input": prompt, "label": label}: --data.input_key input --data.label_key label
//   trl       JSONL {"prompt": prompt, "solution": label}: GRPOTrainer passes extra columns to reward functions
// Labels: the gold answer for math; a JSON record for Countdown ({"target", "numbers"}, verl's and TinyZero's
// names) and multiple choice (CommonsenseQA's {"question": {"stem", "choices"}, "answerKey"}). Problems are
// task.generate({ seed, index: offset + i }), so a test split is another offset (held-out evals start at 1 000 000).
import { parquetWriteBuffer } from "hyparquet-writer";
import { drawProblems } from "../algorithms/task-problems.js";
import type { Example, PromptTemplate, Task } from "../tasks/types.js";
import { writeFileAtomicSync } from "../util/atomic.js";

export const EXPORT_FORMATS = ["verl", "openrlhf", "trl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How `ratio reward-server` must be started to score a task's labels. */
export interface RewardServerSetting {
  preset: "plain" | "countdown" | "commonsenseqa";
  fields: Record<string, string>;
  /** the command line, for the lineage and the CLI's summary */
  command: string;
}

const SERVER: Record<string, RewardServerSetting> = {
  math: { preset: "plain", fields: {}, command: "ratio reward-server" },
  countdown: { preset: "countdown", fields: { numbers: "numbers" }, command: "ratio reward-server --preset countdown --field numbers=numbers" },
  "multiple-choice": { preset: "commonsenseqa", fields: {}, command: "ratio reward-server --preset commonsenseqa" },
};

/** The tasks whose labels the reward server reads. */
export const EXPORTABLE_TASKS = Object.keys(SERVER);

export function rewardServerFor(task: string): RewardServerSetting {
  const s = SERVER[task];
  if (!s) throw new Error(`task "${task}": the reward server has no verifier for its labels (exportable tasks: ${EXPORTABLE_TASKS.join(", ")})`);
  return s;
}

/** The label of an example, as the reward server reads it for the task. */
export function exportLabel(task: string, e: Example): string {
  rewardServerFor(task);
  const m = e.metadata;
  if (task === "countdown") return JSON.stringify({ target: m.target, numbers: m.numbers });
  if (task === "multiple-choice") return JSON.stringify({ question: { stem: m.stem, choices: m.choices }, answerKey: e.answer });
  return e.answer;
}

export interface ExportRow {
  prompt: string;
  label: string;
  id: string;
  index: number;
}

export interface ExportOptions {
  task: Task;
  taskOptions: Record<string, unknown>;
  n: number;
  seed: number;
  /** generator index of the first problem */
  offset: number;
  split: string;
  template?: PromptTemplate;
}

export function exportRows(o: ExportOptions): ExportRow[] {
  const examples = drawProblems(o.task, { seed: o.seed, offset: o.offset, count: o.n, taskOptions: o.taskOptions });
  return examples.map((e, i) => ({ prompt: o.task.prompt(e, o.template), label: exportLabel(o.task.name, e), id: e.id, index: o.offset + i }));
}

const ABILITY: Record<string, string> = { math: "math", countdown: "math", "multiple-choice": "commonsense" };

const utf8 = (name: string) => ({ name, type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const, repetition_type: "OPTIONAL" as const });

/** verl's parquet: the nested columns with the standard three-level LIST encoding (as pyarrow writes them). */
export function verlParquet(rows: readonly ExportRow[], task: string, split: string): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: [
      { name: "data_source", data: rows.map(() => `ratio/${task}`) },
      { name: "prompt", data: rows.map((r) => [{ role: "user", content: r.prompt }]) },
      { name: "ability", data: rows.map(() => ABILITY[task] ?? "reasoning") },
      { name: "reward_model", data: rows.map((r) => ({ style: "rule", ground_truth: r.label })) },
      { name: "extra_info", data: rows.map((r) => ({ split, index: BigInt(r.index), id: r.id })) },
    ],
    schema: [
      { name: "root", num_children: 5 },
      utf8("data_source"),
      { name: "prompt", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
      utf8("role"),
      utf8("content"),
      utf8("ability"),
      { name: "reward_model", repetition_type: "OPTIONAL", num_children: 2 },
      utf8("style"),
      utf8("ground_truth"),
      { name: "extra_info", repetition_type: "OPTIONAL", num_children: 3 },
      utf8("split"),
      { name: "index", type: "INT64", repetition_type: "OPTIONAL" },
      utf8("id"),
    ],
  });
}

/** Writes the rows in a trainer's layout (atomically); returns the file's byte count. */
export function writeExport(file: string, rows: readonly ExportRow[], format: ExportFormat, task: string, split: string): number {
  if (format === "verl") {
    const buf = Buffer.from(verlParquet(rows, task, split));
    writeFileAtomicSync(file, buf);
    return buf.length;
  }
  const line = (r: ExportRow) => JSON.stringify(format === "openrlhf" ? { input: r.prompt, label: r.label } : { prompt: r.prompt, solution: r.label });
  const text = rows.map((r) => line(r) + "\n").join("");
  writeFileAtomicSync(file, text);
  return Buffer.byteLength(text);
}
