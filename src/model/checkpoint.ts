// Checkpoints in the Hugging Face layout (config.json, model.safetensors, tokenizer.json, tokenizer_config.json,
// generation_config.json) plus an optional trainer_state/ (optimizer moments, JSON state). The directory is
// written atomically: all files go into a temporary directory that replaces the target by rename.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { recoverDir, writeDirAtomic, writeFileAtomic } from "../util/atomic.js";
import { configToJSON, loadConfig, type LlamaConfig } from "./config.js";
import { ParamStore, paramSpecs, type ParamSpec } from "./params.js";
import { openModelWeights, SafetensorsFile, writeSafetensors, type F32Tensor, type TensorSource } from "./safetensors.js";
import { jsonErrorMessage, loadTokenizer, type Tokenizer } from "./tokenizer.js";

export const CONFIG_FILE = "config.json";
export const TOKENIZER_FILE = "tokenizer.json";
export const TOKENIZER_CONFIG_FILE = "tokenizer_config.json";
export const GENERATION_CONFIG_FILE = "generation_config.json";
export const TRAINER_STATE_DIR = "trainer_state";
export const OPTIMIZER_FILE = "optimizer.safetensors";
export const STATE_FILE = "state.json";
/** transformers refuses safetensors weights whose metadata lacks format "pt" (modeling_utils.load_state_dict). */
const WEIGHTS_METADATA = { format: "pt" };
const MOMENT_PREFIXES = { m: "m.", v: "v." } as const;

export interface TrainerState {
  /** Optimizer updates applied so far. */
  step: number;
  /** AdamW first and second moments, laid out like the parameters. */
  m?: ParamStore;
  v?: ParamStore;
  /** Anything JSON: RNG state, LR schedule, data cursor, … */
  data?: Record<string, unknown>;
}

export interface Checkpoint {
  config: LlamaConfig;
  params: ParamStore;
  tokenizer: Tokenizer;
  generationConfig?: Record<string, unknown>;
  trainerState?: TrainerState;
}

export interface LoadedCheckpoint extends Checkpoint {
  generationConfig: Record<string, unknown>;
  /** Tensors in the weights that the config does not use (e.g. rotary inv_freq buffers, a tied lm_head). */
  unexpected: string[];
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

function storeTensors(store: ParamStore, prefix = ""): [string, F32Tensor][] {
  return store.specs.map((s) => [prefix + s.name, { shape: s.shape, data: store.get(s.name) }]);
}

/** generation_config.json from the config's special ids (what transformers derives when none is saved). */
export function defaultGenerationConfig(config: LlamaConfig): Record<string, unknown> {
  const g: Record<string, unknown> = {};
  for (const k of ["bos_token_id", "eos_token_id", "pad_token_id"] as const) if (config[k] !== undefined && config[k] !== null) g[k] = config[k];
  return g;
}

/**
 * Why saving a checkpoint to `dir` would destroy something else (null when it may be written): saving replaces the
 * whole directory, so an existing one must be a checkpoint (config.json) or empty, and must not hold the current
 * directory. Commands that write where the user points (init --force, train-lm --out) check this first.
 */
export function unsafeCheckpointTarget(dir: string): string | null {
  if (!existsSync(dir)) return null;
  if (!statSync(dir).isDirectory()) return "exists and is not a directory";
  const rel = path.relative(path.resolve(dir), process.cwd());
  if (!rel.startsWith("..") && !path.isAbsolute(rel)) return "is the current directory or holds it; saving would replace it";
  if (readdirSync(dir).length > 0 && !existsSync(path.join(dir, CONFIG_FILE))) {
    return `is not a checkpoint directory (no ${CONFIG_FILE}); saving would replace it and delete its files`;
  }
  return null;
}

/** Writes a checkpoint directory atomically (a failure leaves an existing `dir` as it was). */
export async function saveCheckpoint(dir: string, ckpt: Checkpoint): Promise<void> {
  const { config, params, tokenizer, trainerState } = ckpt;
  checkLayout(paramSpecs(config), params, `saveCheckpoint ${dir}`);
  await writeDirAtomic(dir, async (tmp) => {
    await writeFileAtomic(path.join(tmp, CONFIG_FILE), json(configToJSON(config)));
    await writeSafetensors(path.join(tmp, "model.safetensors"), storeTensors(params), WEIGHTS_METADATA);
    await writeFileAtomic(path.join(tmp, TOKENIZER_FILE), json(tokenizer.toJSON()));
    await writeFileAtomic(path.join(tmp, TOKENIZER_CONFIG_FILE), json(tokenizer.configJSON()));
    await writeFileAtomic(path.join(tmp, GENERATION_CONFIG_FILE), json(ckpt.generationConfig ?? defaultGenerationConfig(config)));
    if (trainerState !== undefined) await writeTrainerState(path.join(tmp, TRAINER_STATE_DIR), trainerState, params);
  });
}

async function writeTrainerState(dir: string, state: TrainerState, params: ParamStore): Promise<void> {
  await mkdir(dir);
  if ((state.m === undefined) !== (state.v === undefined)) throw new Error("saveCheckpoint: trainer state needs both m and v, or neither");
  if (state.m !== undefined && state.v !== undefined) {
    checkLayout(params.specs, state.m, "saveCheckpoint: trainer state m");
    checkLayout(params.specs, state.v, "saveCheckpoint: trainer state v");
    await writeSafetensors(path.join(dir, OPTIMIZER_FILE), [...storeTensors(state.m, MOMENT_PREFIXES.m), ...storeTensors(state.v, MOMENT_PREFIXES.v)]);
  }
  await writeFileAtomic(path.join(dir, STATE_FILE), json({ step: state.step, data: state.data ?? {} }));
}

function checkLayout(specs: readonly ParamSpec[], store: ParamStore, what: string): void {
  const same = specs.length === store.specs.length && specs.every((s, i) => s.name === store.specs[i].name && s.shape.join() === store.specs[i].shape.join());
  if (!same) throw new Error(`${what}: parameter layout does not match the config (${store.specs.length} tensors vs ${specs.length} expected)`);
}

/** Reads `prefix + spec.name` for every spec from `source` into `store`, checking presence and shape. */
async function readStore(source: TensorSource, where: string, specs: readonly ParamSpec[], prefix = ""): Promise<ParamStore> {
  const store = new ParamStore(specs);
  const available = new Set(source.names);
  const missing = specs.filter((s) => !available.has(prefix + s.name)).map((s) => prefix + s.name);
  if (missing.length > 0) {
    const more = missing.length > 3 ? ` and ${missing.length - 3} more` : "";
    throw new Error(`${where}: missing tensor ${missing.slice(0, 3).join(", ")}${more}`);
  }
  for (const s of specs) {
    const info = source.info(prefix + s.name);
    if (info.shape.join() !== s.shape.join()) {
      throw new Error(`${info.file}: tensor ${prefix + s.name} has shape ${JSON.stringify(info.shape)}, expected ${JSON.stringify(s.shape)}`);
    }
    await source.readInto(prefix + s.name, store.get(s.name));
  }
  return store;
}

function readJsonFile(file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : `invalid JSON (${jsonErrorMessage(e)})`}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${file}: expected a JSON object`);
  return v as Record<string, unknown>;
}

async function loadTrainerState(dir: string, specs: readonly ParamSpec[]): Promise<TrainerState> {
  const stateFile = path.join(dir, STATE_FILE);
  const raw = readJsonFile(stateFile);
  if (!Number.isInteger(raw.step) || (raw.step as number) < 0) throw new Error(`${stateFile}: field step: expected a non-negative integer`);
  const state: TrainerState = { step: raw.step as number, data: (raw.data as Record<string, unknown>) ?? {} };
  const optFile = path.join(dir, OPTIMIZER_FILE);
  if (existsSync(optFile)) {
    const f = await SafetensorsFile.open(optFile);
    try {
      state.m = await readStore(f, optFile, specs, MOMENT_PREFIXES.m);
      state.v = await readStore(f, optFile, specs, MOMENT_PREFIXES.v);
    } finally {
      await f.close();
    }
  }
  return state;
}

/** Loads a Ratio or Hugging Face Llama/Qwen2 checkpoint directory (weights converted to float32). */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  recoverDir(dir); // a save killed between its two renames is finished here
  if (!existsSync(dir)) throw new Error(`${dir}: checkpoint directory does not exist`);
  if (!statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory (expected a checkpoint directory with ${CONFIG_FILE}, model.safetensors, ${TOKENIZER_FILE})`);
  const configFile = path.join(dir, CONFIG_FILE);
  if (!existsSync(configFile)) throw new Error(`${configFile}: missing`);
  const config = loadConfig(configFile);
  const specs = paramSpecs(config);
  const weights = await openModelWeights(dir);
  let params: ParamStore;
  let unexpected: string[];
  try {
    const where = weights instanceof SafetensorsFile ? weights.file : path.join(dir, "model.safetensors.index.json");
    params = await readStore(weights, where, specs);
    const expected = new Set(specs.map((s) => s.name));
    unexpected = weights.names.filter((n) => !expected.has(n));
  } finally {
    await weights.close();
  }
  if (!existsSync(path.join(dir, TOKENIZER_FILE))) throw new Error(`${path.join(dir, TOKENIZER_FILE)}: missing`);
  const tokenizer = loadTokenizer(dir);
  const genFile = path.join(dir, GENERATION_CONFIG_FILE);
  const generationConfig = existsSync(genFile) ? readJsonFile(genFile) : defaultGenerationConfig(config);
  const stateDir = path.join(dir, TRAINER_STATE_DIR);
  const trainerState = existsSync(stateDir) ? await loadTrainerState(stateDir, specs) : undefined;
  return { config, params, tokenizer, generationConfig, trainerState, unexpected };
}
