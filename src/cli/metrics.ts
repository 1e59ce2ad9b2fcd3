// `ratio metrics`: pass@k, cov@k, maj@k (first k / unbiased) and avg@n from per-sample correctness JSONL — ratio
// eval's results.jsonl and ratio score's output as they are (problem_id, sample_index, extracted, correct).
import { readFile } from "node:fs/promises";
import { InvalidArgumentError, Option, type Command } from "commander";
import { taskEquivalence } from "../inference/equivalence.js";
import { evaluateProblems, parseSampleRecords, type Equivalence, type Evaluation, type MajMode, type SampleRecord } from "../metrics/index.js";
import { mathEqual } from "../tasks/math/index.js";
import { writeFileAtomic } from "../util/atomic.js";
import { action, printJson, UserError, errnoReason } from "./common.js";

interface MetricsFlags {
  input: string;
  k: number[];
  majMode: MajMode;
  equal: string;
  perProblem?: string;
  json?: boolean;
}

function parseKList(value: string): number[] {
  const ks = value.split(",").map((s) => s.trim());
  const out: number[] = [];
  for (const s of ks) {
    const k = Number(s);
    if (s === "" || !Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`--k expects a comma-separated list of positive integers, got "${value}"`);
    out.push(k);
  }
  return out;
}

function formatTable(ev: Evaluation, input: string): string {
  const ns = ev.problems.map((p) => p.n);
  const minN = Math.min(...ns);
  const maxN = Math.max(...ns);
  const samples = ns.reduce((a, b) => a + b, 0);
  const nText = minN === maxN ? `n = ${minN}` : `n = ${minN}..${maxN}`;
  const lines = [`${input}: ${ev.problems.length} problems, ${samples} samples (${nText} per problem)`];
  const names = Object.keys(ev.summary);
  const width = Math.max(6, ...names.map((s) => s.length));
  lines.push(`${"metric".padEnd(width)}  value`);
  for (const name of names) lines.push(`${name.padEnd(width)}  ${ev.summary[name].toFixed(4)}`);
  return lines.join("\n") + "\n";
}

/** Vote grouping: math equivalence classes (the math task's grader) or exact strings. */
const EQUIVALENCES: Record<string, Equivalence | undefined> = {
  math: { equivalent: (a, b) => mathEqual(a, b) },
  exact: undefined,
};

interface LineKeys {
  line: number;
  sample: number | null;
  task: string | null;
}

/** sample_index and task of every non-blank line (ratio eval's results, ratio score's output), in record order. */
function lineKeys(text: string, file: string): LineKeys[] {
  const out: LineKeys[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim(); // as parseSampleRecords reads it (a byte order mark or a \r is whitespace)
    if (line === "") return;
    const o = JSON.parse(line) as Record<string, unknown>; // parseSampleRecords has checked every line
    const s = o.sample_index;
    if (s !== undefined && s !== null && !(Number.isInteger(s) && (s as number) >= 0)) {
      throw new UserError(`${file}:${i + 1}: field "sample_index" must be an integer ≥ 0 (or absent), got ${JSON.stringify(s)}`);
    }
    out.push({ line: i + 1, sample: typeof s === "number" ? s : null, task: typeof o.task === "string" ? o.task : null });
  });
  return out;
}

/**
 * Samples of a problem in sample_index order where every one has an index (a file written out of order, or merged),
 * with a duplicate (problem, sample index) an error naming both lines.
 */
function orderSamples(records: SampleRecord[], keys: readonly LineKeys[], file: string): SampleRecord[] {
  const byProblem = new Map<string, number[]>();
  records.forEach((r, i) => {
    const k = `${typeof r.id}:${r.id}`;
    let list = byProblem.get(k);
    if (!list) byProblem.set(k, (list = []));
    list.push(i);
  });
  const out: SampleRecord[] = [];
  for (const list of byProblem.values()) {
    const firstLine = new Map<number, number>();
    for (const i of list) {
      const s = keys[i].sample;
      if (s === null) continue;
      const prev = firstLine.get(s);
      if (prev !== undefined) throw new UserError(`${file}:${keys[i].line}: problem ${JSON.stringify(records[i].id)} sample_index ${s} appears twice (first on line ${prev})`);
      firstLine.set(s, keys[i].line);
    }
    const sorted = list.every((i) => keys[i].sample !== null) ? [...list].sort((a, b) => keys[a].sample! - keys[b].sample!) : list;
    for (const i of sorted) out.push(records[i]);
  }
  return out;
}

/** --equal auto: the task's equivalence when the records name one task (ratio eval), else math. */
function resolveEquivalence(flag: string, keys: readonly LineKeys[]): { name: string; equivalence: Equivalence | undefined } {
  if (flag !== "auto") return { name: flag, equivalence: EQUIVALENCES[flag] };
  const tasks = new Set(keys.map((k) => k.task));
  if (tasks.size === 1 && !tasks.has(null)) {
    const task = [...tasks][0]!;
    return { name: `task ${task}`, equivalence: taskEquivalence(task) };
  }
  return tasks.has(null) && tasks.size === 1 ? { name: "math", equivalence: EQUIVALENCES.math } : { name: "exact", equivalence: undefined };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function runMetrics(flags: MetricsFlags): Promise<void> {
  let text: string;
  try {
    text = flags.input === "-" ? await readStdin() : await readFile(flags.input, "utf8");
  } catch (e) {
    throw new UserError(`${flags.input}: cannot read (${errnoReason(e)})`);
  }
  const where = flags.input === "-" ? "stdin" : flags.input;
  let ev: Evaluation;
  let equal = flags.equal;
  try {
    const parsed = parseSampleRecords(text, where);
    const keys = lineKeys(text, where);
    const records = orderSamples(parsed, keys, where);
    const eq = resolveEquivalence(flags.equal, keys);
    equal = eq.name;
    ev = evaluateProblems(records, flags.k, { majMode: flags.majMode, equivalence: eq.equivalence });
  } catch (e) {
    if (e instanceof UserError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new UserError(msg.startsWith(`${where}:`) ? msg : `${where}: ${msg}`);
  }
  if (flags.perProblem) {
    try {
      await writeFileAtomic(flags.perProblem, ev.problems.map((p) => JSON.stringify(p)).join("\n") + "\n");
    } catch (e) {
      throw new UserError(`--per-problem ${flags.perProblem}: cannot write (${errnoReason(e)})`);
    }
  }
  if (flags.json) {
    const samples = ev.problems.reduce((a, p) => a + p.n, 0);
    printJson({ input: flags.input, problems: ev.problems.length, samples, ks: [...new Set(flags.k)].sort((a, b) => a - b), maj_mode: flags.majMode, equal, summary: ev.summary });
  } else {
    process.stdout.write(formatTable(ev, where));
  }
}

export function register(program: Command): void {
  program
    .command("metrics")
    .description("Compute pass@k, cov@k, maj@k (first k and/or unbiased over k-subsets) and avg@n from per-sample results")
    .requiredOption("--input <file>", 'JSONL (- for stdin), one sample per line: {"id", "correct", "answer"?} (or problem_id / extracted; sample_index orders a problem\'s samples): ratio eval\'s results.jsonl and ratio score\'s output as they are')
    .addOption(new Option("--k <list>", "comma-separated k values").argParser(parseKList).default([1], "1"))
    .addOption(new Option("--maj-mode <mode>", "maj@k over the first k samples, the unbiased estimate, or both").choices(["first", "unbiased", "both"]).default("both"))
    .addOption(new Option("--equal <kind>", "how answers are grouped into votes: math (0.5 = \\frac12, via the math grader), exact strings, or auto (the records' task as ratio eval writes it, else math)").choices(["auto", "math", "exact"]).default("auto"))
    .option("--per-problem <file>", "write per-problem metrics as JSONL")
    .option("--json", "print one JSON object instead of a table")
    .addHelpText(
      "after",
      "\nExamples:\n  ratio metrics --input results.jsonl --k 1,4,16 --maj-mode both --per-problem problems.jsonl\n" +
        "  ratio score --task math --input samples.jsonl | ratio metrics --input - --k 1 --json\n" +
        "\nmaj@k is the vote over the first k samples (as lm-eval, lighteval and s1 report it); maj@k_unbiased is its\n" +
        "exact expectation over all k-subsets. Ties go to the answer voted first; samples without an answer never win.",
    )
    .action(action(async (opts: MetricsFlags) => runMetrics(opts)));
}
