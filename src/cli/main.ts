#!/usr/bin/env node
// The `ratio` command: a thin shell over the library. One file per command in src/cli/.
import { Command } from "commander";
import { commands } from "./commands.js";

export function buildProgram(): Command {
  const program = new Command("ratio")
    .description("Train, run and evaluate reasoning models (STaR, GRPO, budget forcing, verifiable rewards).")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (str, write) => write(str.split("\n")[0] + "\n") })
    // usage errors exit 2 (help and --version 0); set before the subcommands are added, which copy it
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  for (const register of commands) register(program);
  return program;
}

// `ratio … | head` closes the pipe early: stop quietly instead of crashing with EPIPE
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

await buildProgram().parseAsync(process.argv);
