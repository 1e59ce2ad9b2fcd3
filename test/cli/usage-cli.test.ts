// Usage errors of the `ratio` command and its subcommands exit 2 with a one-line message; help and version exit 0.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
function ratio(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ratio usage errors", () => {
  it("exit 2 for an unknown option or a missing argument, top level or in a subcommand", () => {
    for (const args of [["--bogus"], ["run", "x.yaml", "--bogus"], ["info"]]) {
      const r = ratio(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^error: .*\n\(run with --help for usage\)/);
    }
  });

  it("exit 0 for --help and --version", () => {
    expect(ratio(["run", "--help"]).code).toBe(0);
    expect(ratio(["--version"]).code).toBe(0);
  });
});
