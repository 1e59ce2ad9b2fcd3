// Shared CLI plumbing: one-line errors, JSON output, number parsing for flags.
import { mkdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { InvalidArgumentError } from "commander";
import { loadTokenizer, type Tokenizer } from "../model/tokenizer.js";

/** An error whose message is meant for the user as is (one line, names the file/flag/field). */
export class UserError extends Error {
  override name = "UserError";
}

export function parseIntFlag(flag: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      const range = max < Number.MAX_SAFE_INTEGER ? ` in [${min}, ${max}]` : min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : "";
      throw new InvalidArgumentError(`${flag} expects an integer${range}, got "${value}"`);
    }
    return n;
  };
}

/** Why a file operation failed, in one word where Node has one (ENOENT, EACCES, EISDIR, …). */
export function errnoReason(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

/** TCP ports a server may listen on (0 = any free port). */
export const MAX_PORT = 65535;

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

/** The nearest existing ancestor of `p` (itself when it exists) and whether it is a directory. */
function nearestExisting(p: string): { at: string; dir: boolean } {
  let at = path.resolve(p);
  for (;;) {
    try {
      return { at, dir: statSync(at).isDirectory() };
    } catch {
      const up = path.dirname(at);
      if (up === at) return { at, dir: true };
      at = up;
    }
  }
}

/** Creates directory `dir` (and its parents); a path in the way is a UserError naming the flag, not a raw errno. */
export function makeDirFlag(flag: string, dir: string): void {
  ensureDir(`${flag} ${dir}`, dir);
}

/** Readies an output file: not a directory, its parent directories created; problems are UserErrors naming the flag. */
export function prepareOutputFile(flag: string, file: string): void {
  const found = nearestExisting(file);
  if (found.at === path.resolve(file) && found.dir) throw new UserError(`${flag} ${file}: is a directory, expected a file`);
  ensureDir(`${flag} ${file}`, path.dirname(path.resolve(file)));
}

function ensureDir(what: string, dir: string): void {
  const found = nearestExisting(dir);
  if (!found.dir) throw new UserError(`${what}: ${found.at} is a file, not a directory`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`${what}: cannot create directory ${dir} (${errnoReason(e)})`);
  }
}
