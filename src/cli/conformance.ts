// `ratio conformance`: the math verifier against Math-Verify's own test cases, agreement per category.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { formatConformanceReport, parseConformanceCases, runConformance, type ConformanceReport } from "../tasks/math/conformance.js";
import { action, printJson, UserError, errnoReason } from "./common.js";

/** The suite as shipped in the repository (src/cli and dist/cli are both two levels below the root). */
const DEFAULT_SUITE = fileURLToPath(new URL("../../conformance/math-verify/math-verify-tests.jsonl", import.meta.url));

interface Flags {
  input: string;
  decimalComma?: boolean;
  json?: boolean;
}

function asJson(r: ConformanceReport): unknown {
  const row = (o: ConformanceReport["falsePositives"][number]) => ({ id: o.case.id, category: o.case.category, extracted: o.extracted, reason: o.reason });
  return {
    total: r.total,
    counted: r.counted,
    agree: r.agree,
    agreement: r.agreement,
    falsePositives: r.falsePositives.map(row),
    falseNegatives: r.falseNegatives.map(row),
    suspect: r.suspect.map((o) => o.case.id),
    categories: r.categories,
  };
}

export function register(program: Command): void {
  program
    .command("conformance")
    .description("grade Math-Verify's own test cases with the math verifier: agreement, false positives and negatives per category")
    .option("--input <file>", "conformance cases (JSONL: id, gold, prediction, expected, category, pred_form)", DEFAULT_SUITE)
    .option("--decimal-comma", "read 1,5 as 1.5 in gold and prediction (the verifier's decimalComma option)")
    .option("--json", "print the report as JSON")
    .addHelpText("after", `
The cases are conformance/math-verify/math-verify-tests.jsonl (from Hugging Face Math-Verify's tests, MIT);
cases marked "suspect" are listed but not counted. The exit code is 1 when any case is a false positive (or the
input holds no cases).

Example:
  ratio conformance`)
    .action(action(async (o: Flags) => {
      let text: string;
      try {
        text = await readFile(o.input, "utf8");
      } catch (e) {
        throw new UserError(`${o.input}: cannot read (${errnoReason(e)}); pass the cases with --input`);
      }
      let report: ConformanceReport;
      try {
        const cases = parseConformanceCases(text, o.input);
        if (cases.length === 0) throw new UserError(`${o.input}: no cases (expected JSONL lines with id, gold, prediction, expected, category, pred_form)`);
        report = runConformance(cases, { decimalComma: o.decimalComma === true });
      } catch (e) {
        throw e instanceof UserError ? e : new UserError(e instanceof Error ? e.message : String(e));
      }
      if (o.json) printJson(asJson(report));
      else process.stdout.write(`${formatConformanceReport(report)}\n`);
      if (report.falsePositives.length > 0) process.exitCode = 1;
    }));
}
