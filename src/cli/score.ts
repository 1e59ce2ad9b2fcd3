// `ratio score --task <task>`: JSONL in (the task's example fields + "completion"), JSONL out, in input order.
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { Option, type Command } from "commander";
import { getTask, isInternalError, TaskScorer, type Score } from "../tasks/index.js";
import { action, parseIntFlag, UserError } from "./common.js";

/** Lines scored concurrently by the math worker pool before their results are written (in input order). */
const MATH_CHUNK = 256;

/**
 * The problem id and sample index of an input line, so every output line can be joined and fed to `ratio metrics`:
 * the line's "problem_id" or "id" (else the id the task gives the example), its "sample_index" or "index" (else how
 * many lines of that problem came before).
 */
function sampleKey(fields: Record<string, unknown>, exampleId: string, seen: Map<string, number>): { problemId: string; sampleIndex: number } {
  const raw = fields.problem_id ?? fields.id;
  const problemId = typeof raw === "string" || (typeof raw === "number" && Number.isFinite(raw)) ? String(raw) : exampleId;
  const count = seen.get(problemId) ?? 0;
  seen.set(problemId, count + 1);
  const given = fields.sample_index ?? fields.index;
  if (given !== undefined && !(Number.isInteger(given) && (given as number) >= 0)) throw new Error(`field "${fields.sample_index !== undefined ? "sample_index" : "index"}" must be an integer ≥ 0, got ${JSON.stringify(given)}`);
  return { problemId, sampleIndex: given === undefined ? count : (given as number) };
}

/** A write stream on `file`, open (a path that cannot be written is a UserError naming it); a later write error ends the command. */
async function openOutput(file: string): Promise<WriteStream> {
  const out = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    out.once("open", () => resolve());
    out.once("error", (e: NodeJS.ErrnoException) => reject(new UserError(`--output ${file}: cannot write (${e.code ?? e.message})`)));
  });
  out.on("error", (e: NodeJS.ErrnoException) => {
    process.stderr.write(`ratio: --output ${file}: cannot write (${e.code ?? e.message})\n`);
    process.exit(1);
  });
  return out;
}

interface Flags {
  task: string;
  preset?: string;
  rules?: string;
  input: string;
  output: string;
  workers: number;
  timeoutMs: number;
}

export function register(program: Command): void {
  program
    .command("score")
    .description("score completions: one JSON object per line in, {problem_id, sample_index, task, correct, reward, extracted, reason} per line out")
    .requiredOption("--task <task>", "addition | countdown | multiple-choice | math")
    .option("--preset <preset>", "countdown preset (rule set) when lines do not say: sos | tinyzero | reasoning-gym (the task option `preset`)")
    .addOption(new Option("--rules <preset>", "old name of --preset").hideHelp())
    .option("--input <file>", "JSONL input, - for stdin", "-")
    .option("--output <file>", "JSONL output, - for stdout", "-")
    .option("--workers <n>", "math: verification worker threads (0 = main thread)", parseIntFlag("--workers", 0), 2)
    .option("--timeout-ms <ms>", "math: time limit per check in a worker (a check over it scores as incorrect, reason \"timeout\")", parseIntFlag("--timeout-ms", 1), 5000)
    .addHelpText("after", `
Input lines hold the task's fields plus "completion", e.g.
  math:            {"answer": "\\\\frac{1}{2}", "completion": "… \\\\boxed{0.5}"}
  countdown:       {"numbers": [3, 5, 7], "target": 22, "completion": "<answer>3*5+7</answer>"}
  addition:        {"a": 624, "b": 259, "completion": "…"}
  multiple-choice: {"choices": ["red", "blue"], "answer": "B", "completion": "The answer is (B)."}
Optional "id" (or "problem_id") and "sample_index" fields are copied to the output; without them the output carries
the id the task gives the problem (built from all its fields, so lines of one problem share it and different problems
do not) and the count of earlier lines of that problem, so it feeds \`ratio metrics\`.
A malformed line gives {"line": n, "error": "…"} and the rest are still scored. A summary goes to stderr: lines scored,
correct, timed out (math), and internal errors (reason "internal-error: …", a scorer bug). The exit code is 1 if any
line failed or hit an internal error.

Example:
  ratio score --task countdown --preset tinyzero --input samples.jsonl --output scored.jsonl`)
    .action(action(async (o: Flags) => {
      const task = getTask(o.task);
      if (o.preset !== undefined && o.rules !== undefined && o.preset !== o.rules) throw new UserError(`--preset ${o.preset} and --rules ${o.rules} disagree (--rules is the old name of --preset)`);
      const preset = o.preset ?? o.rules;
      if (preset !== undefined && task.name !== "countdown") throw new UserError(`--preset applies to the countdown task, not ${task.name}`);
      const input = o.input === "-" ? process.stdin : createReadStream(o.input);
      input.on("error", (e: NodeJS.ErrnoException) => {
        process.stderr.write(`ratio: ${o.input}: cannot read (${e.code ?? e.message})\n`);
        process.exit(1);
      });
      const out: WriteStream | NodeJS.WriteStream = o.output === "-" ? process.stdout : await openOutput(o.output);
      // The bounded path library users get too: math checks in worker threads with a time limit each.
      const scorer = TaskScorer.create(task, { workers: o.workers, timeoutMs: o.timeoutMs });
      const tally = { scored: 0, correct: 0, timeouts: 0, internal: 0, firstInternal: "" };
      const where = o.input === "-" ? "stdin" : o.input;
      let failed = 0;
      let n = 0;
      // each pending line: its line number, the sample's problem id and index, and a score (maybe still being
      // computed) or an error
      let pending: { line: number; result: Promise<Score> | Error; problemId?: string; sampleIndex?: number }[] = [];
      const seen = new Map<string, number>(); // samples per problem id so far (the index of a line without one)
      const flush = async () => {
        for (const p of pending) {
          let row: string;
          try {
            if (p.result instanceof Error) throw p.result;
            const s = await p.result;
            tally.scored++;
            if (s.correct) tally.correct++;
            if (s.reason === "timeout") tally.timeouts++;
            if (isInternalError(s.reason) || s.reason.startsWith("worker-")) {
              tally.internal++;
              if (tally.firstInternal === "") tally.firstInternal = `line ${p.line}: ${s.reason}`;
            }
            row = JSON.stringify({ problem_id: p.problemId, sample_index: p.sampleIndex, task: task.name, correct: s.correct, reward: s.reward, extracted: s.extracted, reason: s.reason });
          } catch (e) {
            failed++;
            row = JSON.stringify({ line: p.line, error: `${where}:${p.line}: ${e instanceof Error ? e.message : String(e)}` });
          }
          if (!out.write(row + "\n")) await new Promise<void>((r) => out.once("drain", () => r()));
        }
        pending = [];
      };
      try {
        const lines = createInterface({ input, crlfDelay: Infinity });
        for await (const raw of lines) {
          n++;
          const line = n === 1 ? raw.replace(/^\uFEFF/, "") : raw; // a UTF-8 byte order mark (files saved on Windows)
          if (line.trim() === "") continue;
          try {
            let rec: unknown;
            try {
              rec = JSON.parse(line);
            } catch (e) {
              throw new Error(`invalid JSON (${(e as Error).message.split("\n")[0]})`);
            }
            if (typeof rec !== "object" || rec === null || Array.isArray(rec)) throw new Error("expected a JSON object");
            const fields = rec as Record<string, unknown>;
            if (typeof fields.completion !== "string") throw new Error('field "completion" must be a string');
            if (preset !== undefined && fields.preset === undefined) fields.preset = preset;
            const example = task.fromFields(fields);
            const { problemId, sampleIndex } = sampleKey(fields, example.id, seen);
            pending.push({ line: n, result: scorer.score(fields.completion, example), problemId, sampleIndex });
          } catch (e) {
            pending.push({ line: n, result: e instanceof Error ? e : new Error(String(e)) });
          }
          if (pending.length >= MATH_CHUNK) await flush();
        }
        await flush();
      } finally {
        await scorer.close();
      }
      if (out !== process.stdout) await new Promise<void>((r) => (out as WriteStream).end(() => r()));
      // Summary on stderr: timeouts and scorer failures are counted, so a verifier bug never hides as reward 0.
      const parts = [`${tally.scored} scored`, `${tally.correct} correct`, `${tally.timeouts} timed out`, `${tally.internal} internal errors`];
      if (failed > 0) parts.push(`${failed} lines could not be scored (see the error objects in the output)`);
      process.stderr.write(`ratio score: ${parts.join(", ")}\n`);
      if (tally.internal > 0) {
        process.stderr.write(`ratio score: an internal error is a scorer bug, not a wrong answer (first: ${tally.firstInternal})\n`);
      }
      if (failed > 0 || tally.internal > 0) process.exitCode = 1;
    }));
}
