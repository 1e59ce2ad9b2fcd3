// `ratio serve` as a command: --json prints the bound address once listening, the key comes from an environment
// variable, SIGTERM stops it gracefully (exit 0), bad flags are one-line errors, --help has an example.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { checkpointDir } from "./fixture.js";

const root = path.resolve(import.meta.dirname, "../..");
const args = (...rest: string[]) => ["--import", "tsx", path.join(root, "src/cli/main.ts"), "serve", ...rest];
const env = { ...process.env, RATIO_THREADS: "1", SERVE_TEST_KEY: "k-123" };

describe("ratio serve (command)", () => {
  it("--json prints the address once listening; the API key comes from --api-key-env; SIGTERM stops it", async () => {
    const dir = await checkpointDir();
    const child = spawn(process.execPath, args(dir, "--port", "0", "--json", "--api-key-env", "SERVE_TEST_KEY", "--served-model-name", "tiny"), { cwd: root, env });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", () => reject(new Error(`exited early: ${stderr}`)));
      });
      const info = JSON.parse(line) as { url: string; base_url: string; port: number; model: string };
      expect(info).toMatchObject({ model: "tiny", base_url: `${info.url}/v1` });
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${info.base_url}/models`)).status).toBe(401);
      const r = await fetch(`${info.base_url}/models`, { headers: { authorization: "Bearer k-123" } });
      expect(((await r.json()) as { data: { id: string }[] }).data[0].id).toBe("tiny");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/stopped/);
      expect(stderr).not.toContain("k-123");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("bad flags are one-line errors; --help has an example", async () => {
    const dir = await checkpointDir();
    const run = (a: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, a, { cwd: root, env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    const [template, key, help] = await Promise.all([
      run(args(dir, "--chat-template", "jinja")),
      run(args(dir, "--api-key-env", "SERVE_TEST_UNSET_VARIABLE")),
      run(args("--help")),
    ]);
    for (const [r, message] of [[template, /--chat-template: unknown template "jinja"/], [key, /SERVE_TEST_UNSET_VARIABLE: the environment variable is not set/]] as const) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(help.stdout).toMatch(/Example:\n\s+ratio serve /);
  });
});
