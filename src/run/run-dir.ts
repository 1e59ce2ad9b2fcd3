// One run directory for every command that trains or evaluates (docs/runs.md):
//   manifest.json    command, config, seed, versions, stages with their inputs/outputs (lineage), status
//   metrics.jsonl    one object per (stage, step[, kind]); every row has `stage` and `step`
//   samples.jsonl    a few completions per step with their rewards
//   checkpoints/<stage>/step-N/   HF checkpoint + trainer_state (algorithm state for --resume)
//   datasets/<stage>/<name>.jsonl, plots/<name>.svg
//   report.html      the run at a glance (report.ts), rewritten when a stage finishes or fails and on status changes
// The manifest, checkpoints and datasets are written atomically (temp + rename). metrics.jsonl and samples.jsonl
// are appended one whole line per write; a torn last line (crash mid-write) is dropped when the run is reopened,
// and `rewind(stage, step)` drops the rows a resumed stage will produce again, so each (stage, step) appears once.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { writeFileAtomicSync } from "../util/atomic.js";
import { writeRunReport } from "./report.js";

export const MANIFEST_FILE = "manifest.json";
export const METRICS_FILE = "metrics.jsonl";
export const SAMPLES_FILE = "samples.jsonl";
export const MANIFEST_FORMAT = "ratio-run/1";
/** How many step checkpoints per stage are kept (older ones are deleted after a newer one is complete). */
export const KEEP_CHECKPOINTS = 2;

export type RunStatus = "running" | "complete" | "failed";
export type StageStatus = "pending" | RunStatus;

/** One stage of a run, with where its inputs came from and what it produced (the lineage). */
export interface StageRecord {
  name: string;
  /** the algorithm: sft, star, rejection_sampling, grpo, eval, … */
  kind: string;
  status: StageStatus;
  /** input name → path (a checkpoint or a dataset), relative to the run directory when inside it */
  inputs: Record<string, string>;
  /** output name → path, e.g. { checkpoint: "checkpoints/grpo/final", dataset: "datasets/rs/kept.jsonl" } */
  outputs: Record<string, string>;
  /** last completed step (for resumable stages) */
  step?: number;
  started?: string;
  finished?: string;
  /** one-line result summary (accuracy, reward, …) */
  summary?: Record<string, unknown>;
  error?: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** argv of the command that created (or last resumed) the run */
  command: string[];
  config: unknown;
  seed: number;
  status: RunStatus;
  created: string;
  updated: string;
  versions: Record<string, string>;
  stages: StageRecord[];
  error?: string;
}

/** A row of metrics.jsonl: numbers (or null for "not measured") keyed by TRL-style names. */
export interface MetricsRow {
  stage: string;
  step: number;
  /** distinguishes several rows at the same step ("train", "eval", "iteration"); default "train" */
  kind?: string;
  [name: string]: string | number | boolean | null | undefined | Record<string, number>;
}

export interface SampleRow {
  stage: string;
  step: number;
  [name: string]: unknown;
}

export interface OpenRunOptions {
  command?: string[];
  config?: unknown;
  seed?: number;
  /** reopen an existing run (its manifest must exist); without it an existing non-empty run is an error */
  resume?: boolean;
  /** allow starting a new run in a directory that already holds one (its contents are removed) */
  overwrite?: boolean;
  versions?: Record<string, string>;
}

const now = () => new Date().toISOString();
const rowKey = (stage: string, step: number, kind = "train") => `${stage}\u0000${kind}\u0000${step}`;

/** Parses a JSONL file, dropping a torn (unparsable) LAST line; an unparsable line elsewhere is an error. */
function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n");
  const out: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    try {
      out.push(JSON.parse(lines[i]) as T);
    } catch {
      const last = lines.slice(i + 1).every((l) => l.trim() === "");
      if (last) break; // a crash mid-append: the line never completed
      throw new Error(`${file}:${i + 1}: invalid JSON`);
    }
  }
  return out;
}

function writeJsonl(file: string, rows: readonly unknown[]): void {
  writeFileAtomicSync(file, rows.map((r) => JSON.stringify(r) + "\n").join(""));
}

export class RunDir {
  private manifestCache: Manifest;
  private readonly keys = new Set<string>();

  private constructor(readonly dir: string, manifest: Manifest) {
    this.manifestCache = manifest;
    // Normalize the logs: drop torn last lines so appends start on a fresh line.
    const rows = readJsonl<MetricsRow>(this.metricsFile);
    if (existsSync(this.metricsFile)) writeJsonl(this.metricsFile, rows);
    for (const r of rows) this.keys.add(rowKey(r.stage, r.step, r.kind));
    if (existsSync(this.samplesFile)) writeJsonl(this.samplesFile, readJsonl(this.samplesFile));
  }

  /** Creates a new run directory, or reopens one with `resume`. */
  static open(dir: string, o: OpenRunOptions = {}): RunDir {
    const file = path.join(dir, MANIFEST_FILE);
    if (o.resume) {
      if (!existsSync(file)) throw new Error(`${file}: no run to resume (start it without --resume)`);
      const m = RunDir.readManifest(dir);
      const run = new RunDir(dir, m);
      run.update((x) => {
        x.status = "running";
        delete x.error;
        if (o.command) x.command = o.command;
      });
      return run;
    }
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${dir}: is a file, not a run directory (choose another --out)`);
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      if (!o.overwrite) {
        throw new Error(existsSync(file)
          ? `${dir}: directory is not empty (use --resume to continue the run there, or choose another --out)`
          : `${dir}: directory is not empty and holds no run (no ${MANIFEST_FILE}); choose an empty or new --out`);
      }
      for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
    mkdirSync(dir, { recursive: true });
    const t = now();
    const manifest: Manifest = {
      format: MANIFEST_FORMAT, command: o.command ?? process.argv.slice(1), config: o.config ?? null, seed: o.seed ?? 0,
      status: "running", created: t, updated: t, versions: o.versions ?? defaultVersions(), stages: [],
    };
    writeFileAtomicSync(file, JSON.stringify(manifest, null, 2) + "\n");
    return new RunDir(dir, manifest);
  }

  /** Reads and checks a run's manifest.json. */
  static readManifest(dir: string): Manifest {
    const file = path.join(dir, MANIFEST_FILE);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(code === "ENOENT" ? `${file}: missing` : code === "ENOTDIR" ? `${dir}: not a directory` : `${file}: cannot read (${code ?? (e as Error).message})`);
    }
    let m: unknown;
    try {
      m = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file}: invalid JSON (${(e as Error).message})`);
    }
    const x = m as Partial<Manifest>;
    if (typeof m !== "object" || m === null || x.format !== MANIFEST_FORMAT) throw new Error(`${file}: field format: expected "${MANIFEST_FORMAT}"`);
    if (!Array.isArray(x.stages)) throw new Error(`${file}: field stages: expected an array`);
    return m as Manifest;
  }

  get manifest(): Readonly<Manifest> {
    return this.manifestCache;
  }
  get metricsFile(): string {
    return path.join(this.dir, METRICS_FILE);
  }
  get samplesFile(): string {
    return path.join(this.dir, SAMPLES_FILE);
  }

  /** Changes the manifest and writes it atomically. */
  update(fn: (m: Manifest) => void): void {
    const m = structuredClone(this.manifestCache);
    fn(m);
    m.updated = now();
    writeFileAtomicSync(path.join(this.dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + "\n");
    this.manifestCache = m;
  }

  setStatus(status: RunStatus, error?: string): void {
    this.update((m) => {
      m.status = status;
      if (error !== undefined) m.error = error;
      else delete m.error;
    });
    this.report();
  }

  /** Rewrites report.html (report.ts); a failure to write it is reported on stderr and never stops the run. */
  report(): void {
    try {
      writeRunReport(this.dir, this.manifestCache);
    } catch (e) {
      process.stderr.write(`warning: ${path.join(this.dir, "report.html")} not written (${(e as Error).message})\n`);
    }
  }

  stage(name: string): StageRecord | undefined {
    return this.manifestCache.stages.find((s) => s.name === name);
  }

  /** Marks a stage running (adding it to the manifest the first time), recording its inputs. */
  startStage(name: string, kind: string, inputs: Record<string, string> = {}): StageRecord {
    this.update((m) => {
      let s = m.stages.find((x) => x.name === name);
      if (!s) {
        s = { name, kind, status: "pending", inputs: {}, outputs: {} };
        m.stages.push(s);
      }
      if (s.kind !== kind) throw new Error(`stage "${name}" was a ${s.kind} stage in this run, not ${kind}`);
      s.status = "running";
      s.inputs = { ...inputs };
      s.started ??= now();
      delete s.error;
    });
    return this.stage(name)!;
  }

  /** Records progress of a running stage (its last completed step and outputs so far). */
  stageProgress(name: string, step: number, outputs: Record<string, string> = {}): void {
    this.update((m) => {
      const s = this.mustStage(m, name);
      s.step = step;
      Object.assign(s.outputs, outputs);
    });
  }

  finishStage(name: string, outputs: Record<string, string> = {}, summary?: Record<string, unknown>): void {
    this.update((m) => {
      const s = this.mustStage(m, name);
      s.status = "complete";
      s.finished = now();
      Object.assign(s.outputs, outputs);
      if (summary) s.summary = summary;
    });
    this.report();
  }

  failStage(name: string, error: string): void {
    this.update((m) => {
      const s = this.mustStage(m, name);
      s.status = "failed";
      s.error = error;
    });
    this.report();
  }

  private mustStage(m: Manifest, name: string): StageRecord {
    const s = m.stages.find((x) => x.name === name);
    if (!s) throw new Error(`run ${this.dir}: no stage "${name}" (call startStage first)`);
    return s;
  }

  /** Appends one metrics row; a second row with the same (stage, step, kind) is a bug and throws. */
  logMetrics(row: MetricsRow): void {
    const key = rowKey(row.stage, row.step, row.kind);
    if (this.keys.has(key)) throw new Error(`${this.metricsFile}: stage "${row.stage}" step ${row.step}${row.kind ? ` (${row.kind})` : ""} is already logged`);
    this.keys.add(key);
    appendFileSync(this.metricsFile, JSON.stringify(row) + "\n");
  }

  logSamples(rows: readonly SampleRow[]): void {
    if (rows.length === 0) return;
    appendFileSync(this.samplesFile, rows.map((r) => JSON.stringify(r) + "\n").join(""));
  }

  /** Metrics rows, optionally of one stage (and kind). */
  metrics(stage?: string, kind?: string): MetricsRow[] {
    return readJsonl<MetricsRow>(this.metricsFile).filter((r) => (stage === undefined || r.stage === stage) && (kind === undefined || (r.kind ?? "train") === kind));
  }

  /**
   * Before resuming `stage` from its checkpoint at `step`: drops that stage's metrics and samples rows with a step
   * greater than `step` (they will be produced again), so no (stage, step) is logged twice.
   */
  rewind(stage: string, step: number): void {
    const keep = (r: { stage: string; step: number }) => r.stage !== stage || r.step <= step;
    const rows = readJsonl<MetricsRow>(this.metricsFile);
    const kept = rows.filter(keep);
    if (kept.length !== rows.length) writeJsonl(this.metricsFile, kept);
    this.keys.clear();
    for (const r of kept) this.keys.add(rowKey(r.stage, r.step, r.kind));
    const samples = readJsonl<SampleRow>(this.samplesFile);
    const keptSamples = samples.filter(keep);
    if (keptSamples.length !== samples.length) writeJsonl(this.samplesFile, keptSamples);
  }

  /** Absolute path of a file or directory inside the run. */
  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** Path relative to the run directory (for the manifest), or the path itself when outside it. */
  relative(p: string): string {
    const r = path.relative(this.dir, p);
    return r.startsWith("..") || path.isAbsolute(r) ? p : r;
  }

  checkpointDir(stage: string, step: number | "final"): string {
    return this.path("checkpoints", stage, step === "final" ? "final" : `step-${step}`);
  }

  /** The newest complete step checkpoint of a stage (directories are written atomically, so any is complete). */
  latestCheckpoint(stage: string): { step: number; dir: string } | undefined {
    const steps = this.checkpointSteps(stage);
    const step = steps.at(-1);
    return step === undefined ? undefined : { step, dir: this.checkpointDir(stage, step) };
  }

  checkpointSteps(stage: string): number[] {
    const root = this.path("checkpoints", stage);
    if (!existsSync(root)) return [];
    return readdirSync(root).map((d) => /^step-(\d+)$/.exec(d)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
  }

  /** Deletes all but the newest `keep` step checkpoints of a stage. */
  pruneCheckpoints(stage: string, keep = KEEP_CHECKPOINTS): void {
    const steps = this.checkpointSteps(stage);
    for (const s of steps.slice(0, Math.max(0, steps.length - keep))) rmSync(this.checkpointDir(stage, s), { recursive: true, force: true });
  }

  datasetPath(stage: string, name: string): string {
    const dir = this.path("datasets", stage);
    mkdirSync(dir, { recursive: true });
    return path.join(dir, name.endsWith(".jsonl") ? name : `${name}.jsonl`);
  }

  plotPath(name: string): string {
    const dir = this.path("plots");
    mkdirSync(dir, { recursive: true });
    return path.join(dir, name.endsWith(".svg") ? name : `${name}.svg`);
  }
}

/** Versions recorded in every manifest. */
export function defaultVersions(): Record<string, string> {
  return { ratio: RATIO_VERSION, node: process.versions.node };
}

export const RATIO_VERSION = "0.1.0";
