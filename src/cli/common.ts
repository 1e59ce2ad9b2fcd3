// Shared CLI plumbing: one-line errors, JSON output, number parsing for flags.
import { InvalidArgumentError } from "commander";
import { loadTokenizer, type Tokenizer } from "../model/tokenizer.js";

/** An error whose message is meant for the user as is (one line, names the file/flag/field). */
export class UserError extends Error {
  override name = "UserError";
}

export function parseIntFlag(flag: string, min = Number.MIN_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} expects an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""}, got "${value}"`);
    return n;
  };
}

export function parseFloatFlag(flag: string, min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} expects a number in [${min}, ${max}], got "${value}"`);
    return n;
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

/** Runs a command action; user-facing errors become one line on stderr and exit code 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`ratio: ${msg.split("\n")[0]}\n`);
      if (process.env.RATIO_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      process.exitCode = 1;
    }
  };
}

/** The tokenizer in a `--tokenizer <dir>` flag (undefined when absent); a load failure is a UserError naming the flag. */
export function tokenizerFlag(dir: string | undefined): Tokenizer | undefined {
  if (dir === undefined) return undefined;
  try {
    return loadTokenizer(dir);
  } catch (e) {
    throw new UserError(`--tokenizer ${dir}: ${(e as Error).message}`);
  }
}
