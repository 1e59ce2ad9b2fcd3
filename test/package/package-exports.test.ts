// The package as `npm install ratio` delivers it: every "exports" subpath maps to a src/<layer>/index.ts entry that
// loads and exports values; every package the built code imports at run time is a dependency (not a
// devDependency, which an install leaves out); "files" ships what the `ratio` bin reads besides dist/; and the
// TypeScript examples of README.md and docs/*.md import names that their subpath really exports.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
// Types a user needs to name what the public functions take (type-checked by `npm test`'s tsc).
import type { RngState } from "../../src/index.js";
import type { Operand, ValueSpec } from "../../src/engine/index.js";
import type {
  AprCondition, BfsOptions, CountdownProblem, DfsOptions, Extraction, MathOptions, MathVerifyItem, MultipleChoiceOptions, PercentMode,
  SosStrategy, SosTargetSplit,
} from "../../src/tasks/index.js";
import type { ChatMessage, ErrorStatus } from "../../src/server/index.js";
import type { Curve } from "../../src/run/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, { types: string; import: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  files: string[];
  bin: Record<string, string>;
};

/** "./tasks" → "src/tasks/index.ts" (the entry tsconfig.build.json compiles to the subpath's dist file). */
function srcEntry(subpath: string): string {
  const { import: js, types } = pkg.exports[subpath];
  expect(types, subpath).toBe(js.replace(/\.js$/, ".d.ts"));
  expect(js.startsWith("./dist/"), subpath).toBe(true);
  return path.join("src", js.slice("./dist/".length).replace(/\.js$/, ".ts"));
}

const importSrc = (subpath: string): Promise<Record<string, unknown>> =>
  import(pathToFileURL(path.join(ROOT, srcEntry(subpath))).href) as Promise<Record<string, unknown>>;

/** `ratio` → ".", `ratio/tasks` → "./tasks". */
const subpathOf = (specifier: string): string => (specifier === "ratio" ? "." : `.${specifier.slice("ratio".length)}`);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe("package exports", () => {
  it("every subpath has a src entry that loads and exports values", async () => {
    for (const subpath of Object.keys(pkg.exports)) {
      expect(existsSync(path.join(ROOT, srcEntry(subpath))), subpath).toBe(true);
      const mod = await importSrc(subpath);
      expect(Object.keys(mod).length, subpath).toBeGreaterThan(0);
    }
  });

  it("ratio/tasks exports the Countdown prompt and trace helpers the docs name", async () => {
    const tasks = await importSrc("./tasks");
    for (const name of ["aprConditionPrefix", "aprNodePrompt", "traceFor", "SOS_STRATEGIES", "sosTargetSplit", "parseSosTrace", "printSosTrace"]) {
      expect(tasks[name], name).toBeDefined();
    }
    const { aprConditionPrefix, aprNodePrompt } = tasks as {
      aprConditionPrefix: (c: AprCondition) => string;
      aprNodePrompt: (node: string, target: number, nums: readonly number[], ops: readonly string[]) => string;
    };
    expect(aprConditionPrefix({ kind: "sub_calls", n: 3 }) + aprNodePrompt("0", 24, [2, 3, 4], [])).toBe(
      "Sub Call Budget: 3 Moving to Node #0\nCurrent State: 24:[2, 3, 4], Operations: []\n",
    );
  });

  it("ratio/algorithms exports every stage runner (SFT, rollouts and teacher sampling too), not only GRPO / STaR / RS", async () => {
    const algorithms = await importSrc("./algorithms");
    for (const name of ["runSftStage", "sftStageOptionsSchema", "rollout", "teacherRollout", "runGrpo", "runStar", "runRejectionSampling"]) {
      expect(typeof algorithms[name], name).not.toBe("undefined");
    }
  });

  it("the bin is built to dist and the files it reads at run time are shipped", () => {
    expect(pkg.bin.ratio).toBe("dist/cli/main.js");
    const shipped = (rel: string) => pkg.files.some((f) => rel === f || rel.startsWith(`${f}/`));
    // `ratio conformance` reads its default suite relative to dist/cli (src/cli/conformance.ts DEFAULT_SUITE)
    const cli = readFileSync(path.join(ROOT, "src/cli/conformance.ts"), "utf8");
    const suite = /new URL\("\.\.\/\.\.\/([^"]+)", import\.meta\.url\)/.exec(cli)?.[1];
    expect(suite).toBeDefined();
    expect(existsSync(path.join(ROOT, suite!))).toBe(true);
    expect(shipped(suite!), suite).toBe(true);
    // `ratio bench` runs bench/torch_llama.py beside dist/
    expect(shipped("bench/torch_llama.py")).toBe(true);
  });

  it("every package imported at run time is a dependency", () => {
    const builtins = new Set(["node", "vitest"]);
    const missing: string[] = [];
    // .ts only: tsc builds dist/ from them (src/tasks/math/ts-worker-bootstrap.mjs, which loads tsx, serves runs from src/ only)
    for (const file of walk(path.join(ROOT, "src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const text = readFileSync(file, "utf8");
      // value imports and re-exports (`import type` / `export type` vanish from the built code)
      const specs = [
        ...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+"([^".][^"]*)"/gms),
        ...text.matchAll(/import\(\s*"([^".][^"]*)"\s*\)/g),
        ...text.matchAll(/^\s*import\s+"([^".][^"]*)"/gm),
      ].map((m) => m[1]);
      for (const spec of specs) {
        if (spec.startsWith("node:")) continue;
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        if (builtins.has(name)) continue;
        if (!(name in pkg.dependencies)) missing.push(`${path.relative(ROOT, file)}: ${spec}${name in pkg.devDependencies ? " (a devDependency)" : ""}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("documented imports", () => {
  const docs = ["README.md", ...readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const blocks = docs.flatMap((file) =>
    [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)].map((m) => ({ file, code: m[1] })),
  );

  it("finds the TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThan(5);
  });

  it("examples import from the package, not from the repository's src/ or dist/", () => {
    const local = blocks.flatMap(({ file, code }) => [...code.matchAll(/from\s+"(\.{1,2}\/[^"]*)"/g)].map((m) => `${file}: ${m[1]}`));
    expect(local).toEqual([]);
  });

  it("every name an example imports from ratio[/subpath] is exported there", async () => {
    const missing: string[] = [];
    for (const { file, code } of blocks) {
      for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(ratio(?:\/[\w-]+)?)"/g)) {
        const subpath = subpathOf(m[2]);
        if (!(subpath in pkg.exports)) {
          missing.push(`${file}: ${m[2]} is not a package export`);
          continue;
        }
        const mod = await importSrc(subpath);
        for (const raw of m[1].split(",")) {
          const name = raw.trim().split(/\s+as\s+/)[0];
          if (name === "" || name.startsWith("type ")) continue;
          if (!(name in mod)) missing.push(`${file}: ${name} from ${m[2]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

// Compile-time only: the exported types are usable as a consumer would write them.
export type ExportedTypes = [
  RngState, Operand, ValueSpec, AprCondition, BfsOptions, CountdownProblem, DfsOptions, Extraction, MathOptions, MathVerifyItem,
  MultipleChoiceOptions, PercentMode, SosStrategy, SosTargetSplit, ChatMessage, ErrorStatus, Curve,
];
