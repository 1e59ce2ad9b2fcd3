// The pipeline file: `name`, `seed`, `model`, `tasks` and `stages` (docs/pipelines.md). parsePipeline validates
// every key (unknown keys, wrong types, references to unknown or later stages and tasks) and reports the first
// problem as "file:line: key.path: what was expected".
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { presetConfig, type PresetName } from "../model/config.js";
import { getTask, parseTaskOptions } from "../tasks/registry.js";
import { getTemplate } from "../templates/registry.js";
import type { StageKind } from "./stage-kind.js";
import { STAGE_KINDS, stageKind } from "./stages/index.js";
import { PipelineTask } from "./tasks.js";
import { PipelineError, YamlSource, type KeyPath } from "./yaml-source.js";
import { knownKeys } from "./zod-message.js";

/** The name of the initial model in `model:` references (and of its pseudo-stage in the manifest). */
export const BASE = "base";
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const NAME_RULE = "a letter, then letters, digits, _ or -";
const posInt = z.number().int().positive();

export const topSchema = z.strictObject({
  name: z.string().min(1),
  seed: z.number().int().default(0),
  model: z.record(z.string(), z.unknown()),
  tasks: z.record(z.string(), z.unknown()).default({}),
  stages: z.array(z.unknown()).min(1),
});

/** Model architecture keys a preset may override. */
export const MODEL_OVERRIDES = ["hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "max_position_embeddings", "rope_theta", "tie_word_embeddings"] as const;

export const modelSchema = z.strictObject({
  preset: z.enum(["tiny", "small", "medium"]).optional(),
  checkpoint: z.string().min(1).optional(),
  vocab: z.string().optional(),
  hidden_size: posInt.optional(),
  intermediate_size: posInt.optional(),
  num_hidden_layers: posInt.optional(),
  num_attention_heads: posInt.optional(),
  num_key_value_heads: posInt.optional(),
  max_position_embeddings: posInt.optional(),
  rope_theta: z.number().positive().optional(),
  tie_word_embeddings: z.boolean().optional(),
});

export const taskSchema = z.strictObject({
  task: z.string(),
  options: z.record(z.string(), z.unknown()).default({}),
  template: z.string().optional(),
  seed: z.number().int().optional(),
});

const stageHead = z.looseObject({ name: z.string().regex(NAME, `expected a name: ${NAME_RULE}`), type: z.string() });
const stageCommon = z.looseObject({ model: z.string().optional(), seed: z.number().int().optional(), task: z.string().optional() });
/** How many times a source's rows go into a mixture (upsampling; 1 = once). */
const repeat = posInt.default(1);
const goldSchema = z.strictObject({ task: z.string(), n: posInt, offset: z.number().int().nonnegative().default(0), repeat });
const fileSchema = z.strictObject({ file: z.string().min(1), repeat });
const stageDataSchema = z.strictObject({ stage: z.string().min(1), repeat });
const COMMON_KEYS = ["name", "type", "model", "seed"];

export type ModelSpec =
  | { from: "preset"; preset: PresetName; vocab: string; overrides: Record<string, number | boolean> }
  | { from: "checkpoint"; dir: string };

/** One data source; `repeat` copies of its rows go into the stage's data (a list of sources is their concatenation). */
export type DataRef = (
  | { from: "stage"; stage: string }
  | { from: "task"; task: string; n: number; offset: number }
  | { from: "file"; file: string }
) & { repeat: number };

export interface StageSpec {
  name: string;
  type: string;
  kind: StageKind;
  /** BASE or the name of an earlier stage that produces a checkpoint */
  model: string;
  /** the sources, concatenated in order (a single `data:` is a list of one) */
  data?: DataRef[];
  /** key in the pipeline's tasks */
  task?: string;
  seed: number;
  /** the stage's own keys, validated by kind.options */
  options: Record<string, unknown>;
}

export interface Pipeline {
  file: string;
  name: string;
  seed: number;
  model: ModelSpec;
  tasks: Map<string, PipelineTask>;
  stages: StageSpec[];
  /** the file's content as data (recorded in the manifest; a resumed run must have the same) */
  config: unknown;
}

/** Reads and validates a pipeline file. */
export function loadPipeline(file: string): Pipeline {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PipelineError(`${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, expected a pipeline file (.yaml)" : `cannot read (${code ?? String(e)})`}`);
  }
  return parsePipeline(text, file);
}

export function parsePipeline(text: string, file: string): Pipeline {
  const src = YamlSource.parse(text, file);
  if (src.value === null || src.value === undefined) src.fail([], "the file is empty (expected the keys name, model, stages and optionally seed, tasks)");
  const top = src.parseAt([], topSchema);
  const dir = path.dirname(path.resolve(file));
  const model = parseModel(src, dir);
  const tasks = new Map<string, PipelineTask>();
  for (const key of Object.keys(top.tasks)) tasks.set(key, parseTask(src, key, top.seed));
  const stages: StageSpec[] = [];
  top.stages.forEach((_, i) => stages.push(parseStage(src, i, stages, tasks, top.seed, dir)));
  return { file, name: top.name, seed: top.seed, model, tasks, stages, config: src.value };
}

function parseModel(src: YamlSource, dir: string): ModelSpec {
  const m = src.parseAt(["model"], modelSchema);
  if ((m.preset === undefined) === (m.checkpoint === undefined)) src.fail(["model"], "give preset (a new model: tiny, small or medium) or checkpoint (a directory), not both");
  if (m.checkpoint !== undefined) {
    for (const key of ["vocab", ...MODEL_OVERRIDES] as const) if (m[key] !== undefined) src.fail(["model", key], "only with preset (a checkpoint brings its own config and tokenizer)");
    const ck = path.resolve(dir, m.checkpoint);
    if (!existsSync(path.join(ck, "config.json"))) src.fail(["model", "checkpoint"], `${ck} is not a checkpoint directory (no config.json)`);
    return { from: "checkpoint", dir: ck };
  }
  const vocab = m.vocab ?? "auto";
  if (vocab !== "auto" && !vocab.startsWith("chars:")) src.fail(["model", "vocab"], `expected auto or chars:<alphabet>, got ${JSON.stringify(vocab)}`);
  const overrides: Record<string, number | boolean> = {};
  for (const key of MODEL_OVERRIDES) if (m[key] !== undefined) overrides[key] = m[key];
  if (m.num_attention_heads !== undefined && m.num_key_value_heads === undefined) overrides.num_key_value_heads = m.num_attention_heads; // full attention unless asked
  // the architecture is checked now (head sizes, …); the vocabulary size comes later
  attempt(src, ["model"], () => presetConfig(m.preset as PresetName, { vocab_size: 8 }, overrides));
  return { from: "preset", preset: m.preset as PresetName, vocab, overrides };
}

function parseTask(src: YamlSource, key: string, seed: number): PipelineTask {
  const at: KeyPath = ["tasks", key];
  if (!NAME.test(key)) src.fail(at, `task names are ${NAME_RULE}`);
  const t = src.parseAt(at, taskSchema);
  attempt(src, [...at, "task"], () => getTask(t.task));
  attempt(src, [...at, "options"], () => parseTaskOptions(t.task, t.options), (msg) => {
    const opt = /option "([^"]+)"/.exec(msg)?.[1];
    return opt !== undefined && opt in t.options ? [...at, "options", opt] : undefined;
  });
  if (t.template !== undefined) attempt(src, [...at, "template"], () => getTemplate(t.template as string));
  return new PipelineTask(key, t, seed);
}

/** Runs `fn`; an error becomes a PipelineError at `at` (or the more precise path `refine` finds in the message). */
function attempt<T>(src: YamlSource, at: KeyPath, fn: () => T, refine?: (message: string) => KeyPath | undefined): T {
  try {
    return fn();
  } catch (e) {
    const msg = (e as Error).message;
    return src.fail(refine?.(msg) ?? at, msg);
  }
}

function parseStage(src: YamlSource, i: number, earlier: readonly StageSpec[], tasks: ReadonlyMap<string, PipelineTask>, seed: number, dir: string): StageSpec {
  const at: KeyPath = ["stages", i];
  const head = src.parseAt(at, stageHead);
  const kind = stageKind(head.type) ?? src.fail([...at, "type"], `unknown stage type ${JSON.stringify(head.type)} (expected one of: ${STAGE_KINDS.map((k) => k.type).join(", ")})`);
  if (head.name === BASE) src.fail([...at, "name"], `"${BASE}" names the initial model; choose another stage name`);
  if (earlier.some((s) => s.name === head.name)) src.fail([...at, "name"], `a stage named "${head.name}" comes earlier (names must be unique)`);
  const common = src.parseAt(at, stageCommon);
  const optionKeys = knownKeys(kind.options, []);
  const allowed = [...COMMON_KEYS, ...(kind.data !== "none" ? ["data"] : []), ...(kind.task !== "none" ? ["task"] : []), ...(optionKeys ?? [])];
  const raw = head as Record<string, unknown>;
  if (optionKeys) {
    const unknown = Object.keys(raw).find((k) => !allowed.includes(k));
    if (unknown !== undefined) src.fail([...at, unknown], `unknown key ${JSON.stringify(unknown)} for ${article(kind.type)} ${kind.type} stage (expected one of: ${allowed.join(", ")})`);
  }
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!COMMON_KEYS.includes(k) && k !== "data" && k !== "task") options[k] = v;
  src.parseAt(at, kind.options, options);

  const refs = { src, at, name: head.name, earlier };
  const model = common.model === undefined ? ([...earlier].reverse().find((s) => s.kind.produces.checkpoint)?.name ?? BASE) : checkModelRef(refs, common.model);
  let task: string | undefined;
  if (common.task !== undefined) {
    if (kind.task === "none") src.fail([...at, "task"], `${article(kind.type)} ${kind.type} stage takes no task`);
    if (!tasks.has(common.task)) src.fail([...at, "task"], `unknown task ${JSON.stringify(common.task)} (expected one of the tasks: ${[...tasks.keys()].join(", ") || "none declared"})`);
    task = common.task;
  } else if (kind.task === "required") src.fail(at, `${article(kind.type)} ${kind.type} stage needs task: <one of the tasks: ${[...tasks.keys()].join(", ") || "none declared"}>`);
  if (kind.check) {
    const check = kind.check;
    try {
      check(options, task === undefined ? undefined : tasks.get(task));
    } catch (e) {
      // "grpo stage: field rewards: unknown reward …" is reported at stages[i].rewards as "unknown reward …"
      const msg = (e as Error).message;
      const m = /^(?:.*?: )?(?:field|option) "?([A-Za-z_]\w*)"?: /.exec(msg);
      if (m !== null && m[1] in raw) src.fail([...at, m[1]], msg.slice(m[0].length));
      const key = /\b(?:field|option) "?([A-Za-z_][\w]*)/.exec(msg)?.[1];
      src.fail(key !== undefined && key in raw ? [...at, key] : at, msg);
    }
  }
  let data: DataRef[] | undefined;
  if (Array.isArray(raw.data)) {
    if (raw.data.length === 0) src.fail([...at, "data"], "an empty list: give at least one source (an earlier stage's dataset, {task: <name>, n: <count>}, or a .jsonl file)");
    data = raw.data.map((d: unknown, i: number) => parseDataRef(refs, d, tasks, dir, [...at, "data", i]));
  } else if (raw.data !== undefined) data = [parseDataRef(refs, raw.data, tasks, dir, [...at, "data"])];
  else if (kind.data === "required") src.fail(at, `${article(kind.type)} ${kind.type} stage needs data: <an earlier stage's dataset, {task: <name>, n: <count>}, a .jsonl file, or a list of them>`);
  return { name: head.name, type: kind.type, kind, model, data, task, seed: common.seed ?? seed, options };
}

/** "an" before sft, eval and rejection_sampling (read "ess-eff-tee", "ee-val"), "a" otherwise. */
const article = (word: string): string => (/^(sft|[aeio])/.test(word) ? "an" : "a");

interface Refs {
  src: YamlSource;
  at: KeyPath;
  name: string;
  earlier: readonly StageSpec[];
}

/** An earlier stage, or a precise error about a later or unknown one. */
function earlierStage(r: Refs, key: string, ref: string, what: string, ok: (s: StageSpec) => boolean, extra = "", at: KeyPath = [...r.at, key]): StageSpec {
  const found = r.earlier.find((s) => s.name === ref);
  if (found) {
    if (!ok(found)) r.src.fail(at, `stage "${ref}" (${found.type}) produces no ${what}`);
    return found;
  }
  const all = (r.src.value as { stages: { name?: unknown }[] }).stages;
  const later = all.findIndex((s, j) => j > (r.at[1] as number) && s?.name === ref);
  if (later >= 0 || ref === r.name) {
    const where = ref === r.name ? "is this stage" : `comes later (line ${r.src.line(["stages", later])})`;
    r.src.fail(at, `stage "${ref}" ${where}: ${key} must name an earlier stage`);
  }
  const names = r.earlier.filter(ok).map((s) => s.name);
  return r.src.fail(at, `unknown stage ${JSON.stringify(ref)} (expected ${[...(key === "model" ? [BASE] : []), ...names].join(", ") || "an earlier stage"}${extra})`);
}

function checkModelRef(r: Refs, ref: string): string {
  if (ref === BASE) return BASE;
  return earlierStage(r, "model", ref, "model", (s) => s.kind.produces.checkpoint).name;
}

/** One source of a stage's data, at key path `at` (data, or data[i] in a list). */
function parseDataRef(r: Refs, raw: unknown, tasks: ReadonlyMap<string, PipelineTask>, dir: string, at: KeyPath): DataRef {
  const stageRef = (name: string, key: KeyPath): string => earlierStage(r, "data", name, "dataset", (s) => s.kind.produces.dataset, ", a .jsonl file, or {task: <name>, n: <count>}", key).name;
  if (typeof raw === "string") {
    if (raw.endsWith(".jsonl") && !r.earlier.some((s) => s.name === raw)) {
      const file = path.resolve(dir, raw);
      if (!existsSync(file)) r.src.fail(at, `${file} does not exist`);
      return { from: "file", file, repeat: 1 };
    }
    return { from: "stage", stage: stageRef(raw, at), repeat: 1 };
  }
  if (raw !== null && typeof raw === "object" && "file" in raw) {
    const f = r.src.parseAt(at, fileSchema);
    const file = path.resolve(dir, f.file);
    if (!existsSync(file)) r.src.fail([...at, "file"], `${file} does not exist`);
    return { from: "file", file, repeat: f.repeat };
  }
  if (raw !== null && typeof raw === "object" && "stage" in raw) {
    const d = r.src.parseAt(at, stageDataSchema);
    return { from: "stage", stage: stageRef(d.stage, [...at, "stage"]), repeat: d.repeat };
  }
  if (raw !== null && typeof raw === "object" && "task" in raw) {
    const g = r.src.parseAt(at, goldSchema);
    const task = tasks.get(g.task) ?? r.src.fail([...at, "task"], `unknown task ${JSON.stringify(g.task)} (expected one of the tasks: ${[...tasks.keys()].join(", ") || "none declared"})`);
    if (!task.task.rationale) r.src.fail([...at, "task"], `task "${task.name}" has no gold rationales to train on`);
    return { from: "task", task: g.task, n: g.n, offset: g.offset, repeat: g.repeat };
  }
  return r.src.fail(at, "expected an earlier stage's name, a .jsonl file, {file: <path>}, {stage: <name>}, {task: <name>, n: <count>}, or a list of these");
}

/** A source's name with its repeat count: "x", or "x × k" when it goes in k > 1 times. */
export const repeated = (what: string, k: number): string => (k > 1 ? `${what} × ${k}` : what);

/** What a stage's data input points at, for messages: "stage sft", "task add gold rationales 0…49", a file; "× k" when repeated. */
export function describeData(d: DataRef): string {
  return repeated(d.from === "stage" ? `stage ${d.stage}` : d.from === "task" ? `task ${d.task} gold rationales ${d.offset}…${d.offset + d.n - 1}` : d.file, d.repeat);
}
