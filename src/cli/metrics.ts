// `ratio metrics`: pass@k, cov@k, maj@k (first k / unbiased) and avg@n from per-sample correctness JSONL.
import { readFile } from "node:fs/promises";
import { InvalidArgumentError, Option, type Command } from "commander";
import { evaluateProblems, parseSampleRecords, type Equivalence, type Evaluation, type MajMode } from "../metrics/index.js";
import { mathEqual } from "../tasks/math/index.js";
import { writeFileAtomic } from "../util/atomic.js";
import { action, printJson, UserError } from "./common.js";

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

async function runMetrics(flags: MetricsFlags): Promise<void> {
  let text: string;
  try {
    text = await readFile(flags.input, "utf8");
  } catch (e) {
    throw new UserError(`${flags.input}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let ev: Evaluation;
  try {
    const records = parseSampleRecords(text, flags.input);
    ev = evaluateProblems(records, flags.k, { majMode: flags.majMode, equivalence: EQUIVALENCES[flags.equal] });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new UserError(msg.startsWith(`${flags.input}:`) ? msg : `${flags.input}: ${msg}`);
  }
  if (flags.perProblem) await writeFileAtomic(flags.perProblem, ev.problems.map((p) => JSON.stringify(p)).join("\n") + "\n");
  if (flags.json) {
    const samples = ev.problems.reduce((a, p) => a + p.n, 0);
    printJson({ input: flags.input, problems: ev.problems.length, samples, ks: [...new Set(flags.k)].sort((a, b) => a - b), maj_mode: flags.majMode, summary: ev.summary });
  } else {
    process.stdout.write(formatTable(ev, flags.input));
  }
}

export function register(program: Command): void {
  program
    .command("metrics")
    .description("Compute pass@k, cov@k, maj@k (first k and/or unbiased over k-subsets) and avg@n from per-sample results")
    .requiredOption("--input <file>", 'JSONL, one sample per line: {"id", "correct", "answer"?} (or problem_id / extracted)')
    .addOption(new Option("--k <list>", "comma-separated k values").argParser(parseKList).default([1], "1"))
    .addOption(new Option("--maj-mode <mode>", "maj@k over the first k samples, the unbiased estimate, or both").choices(["first", "unbiased", "both"]).default("both"))
    .addOption(new Option("--equal <kind>", "how answers are grouped into votes: math (0.5 = \\frac12, via the math grader) or exact strings").choices(["math", "exact"]).default("math"))
    .option("--per-problem <file>", "write per-problem metrics as JSONL")
    .option("--json", "print one JSON object instead of a table")
    .addHelpText(
      "after",
      "\nExample:\n  ratio metrics --input results.jsonl --k 1,4,16 --maj-mode both --per-problem problems.jsonl\n" +
        "\nmaj@k is the vote over the first k samples (as lm-eval, lighteval and s1 report it); maj@k_unbiased is its\n" +
        "exact expectation over all k-subsets. Ties go to the answer voted first; samples without an answer never win.",
    )
    .action(action(async (opts: MetricsFlags) => runMetrics(opts)));
}
