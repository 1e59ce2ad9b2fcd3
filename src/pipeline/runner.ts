// Runs a pipeline into a run directory (docs/runs.md): the base model, then each stage in order, recording the
// lineage (each stage's inputs and outputs) in the manifest. With `resume`, complete stages are skipped (their
// outputs come from the manifest) and an interrupted stage continues from its last complete checkpoint.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { SftExample } from "../algorithms/sft.js";
import { teacherName, teacherOptionsSchema } from "../algorithms/teacher.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { readDataset } from "../run/dataset.js";
import { writeStagePlots } from "../run/plots.js";
import { MANIFEST_FILE, RunDir, type Manifest } from "../run/run-dir.js";
import type { StageContext } from "../run/stage.js";
import { prepareBaseModel } from "./base-model.js";
import { BASE, describeData, repeated, type DataRef, type Pipeline, type StageSpec } from "./spec.js";
import type { StageInputs } from "./stage-kind.js";
import { formatSummary } from "./summary.js";
import { PipelineError, formatPath, type KeyPath } from "./yaml-source.js";
import { valueAt } from "./zod-message.js";

export interface RunPipelineOptions {
  /** the run directory */
  out: string;
  /** continue the run in `out` (it must exist and hold the same pipeline) */
  resume?: boolean;
  /** progress and diagnostics */
  say?: (message: string) => void;
  /** one line per finished or skipped stage */
  report?: (line: string, stage: StageOutcome) => void;
  /** progress bars (a TTY) */
  progress?: boolean;
  threads?: number;
  /** recorded in the manifest */
  command?: string[];
  /** stop (with a checkpoint) after this many steps of the first stage that runs (tests) */
  stopAfterSteps?: number;
}

export interface StageOutcome {
  name: string;
  type: string;
  /** skipped: complete in an earlier invocation (--resume); stopped: stopAfterSteps */
  status: "complete" | "skipped" | "stopped";
  seconds: number;
  summary: Record<string, unknown>;
  outputs: Record<string, string>;
}

export interface PipelineOutcome {
  out: string;
  name: string;
  status: "complete" | "stopped";
  stages: StageOutcome[];
}

/** The manifest's `config`: which file and what it said. */
interface RunConfig {
  file: string;
  pipeline: unknown;
}

export async function runPipeline(p: Pipeline, o: RunPipelineOptions): Promise<PipelineOutcome> {
  const say = o.say ?? (() => undefined);
  if (o.resume) checkSamePipeline(p, o.out);
  const config: RunConfig = { file: path.resolve(p.file), pipeline: p.config };
  const run = RunDir.open(o.out, { resume: o.resume, command: o.command, config, seed: p.seed });
  if (o.resume) run.update((m) => void (m.config = config)); // what the remaining stages run with
  const outcomes: StageOutcome[] = [];
  let current: string | undefined;
  try {
    current = BASE;
    const baseDir = await baseModel(p, run);
    current = undefined;
    for (const [i, spec] of p.stages.entries()) {
      const label = `[${i + 1}/${p.stages.length}] ${spec.type} ${spec.name}`;
      const record = run.stage(spec.name);
      if (record?.status === "complete") {
        const out: StageOutcome = { name: spec.name, type: spec.type, status: "skipped", seconds: 0, summary: record.summary ?? {}, outputs: record.outputs };
        outcomes.push(out);
        o.report?.(`${label}: complete in an earlier run, skipped (${formatSummary(out.summary)})`, out);
        continue;
      }
      current = spec.name;
      const t0 = performance.now();
      const { inputs, recorded } = await stageInputs(p, spec, run, baseDir);
      const resume = o.resume === true && record !== undefined;
      run.startStage(spec.name, spec.type, recorded);
      say(`${label}: ${resume ? `resuming${record.step ? ` after step ${record.step}` : ""}` : "starting"} (${recorded.teacher ? `teacher ${recorded.teacher}` : `model ${recorded.model}`}${recorded.data ? `, data ${recorded.data}` : ""}${recorded.task ? `, task ${recorded.task}` : ""})`);
      const ctx: StageContext = {
        run, stage: spec.name, seed: spec.seed, resume, say, progress: o.progress === true, threads: o.threads,
        stopAfterSteps: outcomes.some((x) => x.status === "complete") ? undefined : o.stopAfterSteps,
      };
      const result = await spec.kind.run(ctx, inputs, spec.options);
      const outputs: Record<string, string> = {};
      if (result.checkpoint) outputs.checkpoint = run.relative(result.checkpoint);
      if (result.dataset) outputs.dataset = run.relative(result.dataset);
      const out: StageOutcome = { name: spec.name, type: spec.type, status: result.stopped ? "stopped" : "complete", seconds: (performance.now() - t0) / 1000, summary: result.summary, outputs };
      outcomes.push(out);
      if (result.stopped) {
        o.report?.(`${label}: stopped after step ${String(result.summary.steps ?? "?")} (continue with --resume)`, out);
        return { out: o.out, name: p.name, status: "stopped", stages: outcomes };
      }
      keepInputs(run, spec.name, recorded);
      run.finishStage(spec.name, outputs, result.summary);
      writeStagePlots(run, spec.name);
      current = undefined;
      const where = outputs.checkpoint ?? outputs.dataset;
      o.report?.(`${label} (${out.seconds.toFixed(1)} s): ${formatSummary(result.summary)}${where ? ` → ${where}` : ""}`, out);
    }
    run.setStatus("complete");
    return { out: o.out, name: p.name, status: "complete", stages: outcomes };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (current !== undefined && run.stage(current)) run.failStage(current, msg);
    run.setStatus("failed", current !== undefined ? `stage "${current}": ${msg}` : msg);
    throw e;
  }
}

/**
 * A resumed run keeps what it has done: the top-level keys (name, seed, model, tasks) and every complete stage must
 * be as they were; stages that have not completed may change (an interrupted stage's own resume check refuses
 * settings its checkpoint does not fit, e.g. SFT's steps or batch size).
 */
function checkSamePipeline(p: Pipeline, out: string): void {
  if (!existsSync(path.join(out, MANIFEST_FILE))) throw new PipelineError(`${out}: no run to resume (start it without --resume)`);
  const m: Manifest = RunDir.readManifest(out);
  const before = ((m.config as Partial<RunConfig> | null)?.pipeline ?? {}) as Record<string, unknown>;
  const now = p.config as Record<string, unknown>;
  const refuse = (at: KeyPath, why: string): never => {
    throw new PipelineError(`${p.file}: ${formatPath(at)} differs from the run in ${out} (${JSON.stringify(valueAt(before, at)) ?? "absent"} there), ${why}; resume with those settings, or start a new run with another --out`);
  };
  for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
    if (key === "stages") continue;
    const d = firstDifference(before[key], now[key], [key]);
    if (d !== undefined) refuse(d, "which the stages done so far were made with");
  }
  const done = new Set(m.stages.filter((s) => s.status === "complete").map((s) => s.name));
  const old = Array.isArray(before.stages) ? (before.stages as { name?: unknown }[]) : [];
  old.forEach((stage, i) => {
    if (typeof stage?.name !== "string" || !done.has(stage.name)) return;
    const d = firstDifference(stage, (now.stages as unknown[])[i], ["stages", i]);
    if (d !== undefined) refuse(d, `where stage "${stage.name}" is complete`);
  });
}

function firstDifference(a: unknown, b: unknown, at: KeyPath): KeyPath | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const seg = Array.isArray(a) ? Number(k) : k;
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...at, seg]);
      if (d !== undefined) return d;
    }
  }
  return at;
}

/** The base model's directory, creating it (once) for a preset. */
async function baseModel(p: Pipeline, run: RunDir): Promise<string> {
  const done = run.stage(BASE);
  if (done?.status === "complete" && done.outputs.checkpoint) return abs(run, done.outputs.checkpoint);
  run.startStage(BASE, p.model.from === "preset" ? "init" : "checkpoint", p.model.from === "checkpoint" ? { checkpoint: p.model.dir } : {});
  const dir = await prepareBaseModel(p, run);
  const ck = await loadCheckpoint(dir);
  const summary = p.model.from === "preset"
    ? { preset: p.model.preset, parameters: ck.params.count, vocab_size: ck.config.vocab_size }
    : { parameters: ck.params.count, vocab_size: ck.config.vocab_size };
  run.finishStage(BASE, { checkpoint: run.relative(dir) }, summary);
  return dir;
}

/** An algorithm may record its own view of its inputs (startStage); the lineage keeps the pipeline's. */
function keepInputs(run: RunDir, stage: string, inputs: Record<string, string>): void {
  run.update((m) => {
    const s = m.stages.find((x) => x.name === stage);
    if (s) s.inputs = { ...s.inputs, ...inputs };
  });
}

const abs = (run: RunDir, p: string): string => (path.isAbsolute(p) ? p : run.path(p));

/** Loads a stage's inputs and says where each came from (relative paths for the manifest's lineage). */
async function stageInputs(p: Pipeline, spec: StageSpec, run: RunDir, baseDir: string): Promise<{ inputs: StageInputs; recorded: Record<string, string> }> {
  const modelDir = spec.model === BASE ? baseDir : outputOf(run, spec.model, "checkpoint");
  // a stage that samples a teacher (rejection_sampling with `teacher:`) uses no model of the run: none in its lineage
  const teacher = (spec.options as { teacher?: unknown }).teacher;
  const recorded: Record<string, string> = teacher ? { teacher: teacherName(teacherOptionsSchema.parse(teacher)) } : { model: run.relative(modelDir) };
  const inputs: StageInputs = { model: await loadCheckpoint(modelDir), modelDir };
  if (spec.data) {
    const data = loadData(p, run, spec.data);
    inputs.data = data;
    recorded.data = data.source;
  }
  if (spec.task !== undefined) {
    const task = p.tasks.get(spec.task);
    if (!task) throw new Error(`stage "${spec.name}": unknown task "${spec.task}"`);
    inputs.task = task;
    recorded.task = `${spec.task} (${task.name})`;
  }
  return { inputs, recorded };
}

function outputOf(run: RunDir, stage: string, key: "checkpoint" | "dataset"): string {
  const rel = run.stage(stage)?.outputs[key];
  if (rel === undefined) throw new Error(`stage "${stage}" has no ${key} output in ${run.path(MANIFEST_FILE)}`);
  return abs(run, rel);
}

/** A stage's data: its sources' rows concatenated in order, each `repeat` times; source names joined with " + ". */
function loadData(p: Pipeline, run: RunDir, refs: readonly DataRef[]): { source: string; rows: SftExample[] } {
  const parts = refs.map((d) => {
    const one = loadSource(p, run, d);
    return { source: repeated(one.source, d.repeat), rows: Array.from({ length: d.repeat }, () => one.rows).flat() };
  });
  return { source: parts.map((x) => x.source).join(" + "), rows: parts.flatMap((x) => x.rows) };
}

function loadSource(p: Pipeline, run: RunDir, d: DataRef): { source: string; rows: SftExample[] } {
  if (d.from === "task") {
    const task = p.tasks.get(d.task);
    if (!task) throw new Error(`unknown task "${d.task}"`);
    return { source: describeData({ ...d, repeat: 1 }), rows: task.goldExamples(d.n, d.offset) };
  }
  const file = d.from === "file" ? d.file : outputOf(run, d.stage, "dataset");
  return { source: run.relative(file), rows: readDataset(file).rows };
}
