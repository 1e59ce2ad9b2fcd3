// The settings that shape a train-lm run, saved with every checkpoint (trainer_state/state.json, data.settings) and
// checked on --resume, so that a resumed run is the run that was interrupted:
// - a flag not given on the command line takes its saved value;
// - a flag given with a different value is an error naming the flag and both values, unless --override names it;
//   then the new value is used and the change is appended to data.changes;
// - the data file is identified by its path and its SHA-256, so an edited file is an error too (--override data).
// See docs/training.md, "Resuming train-lm".
import { createHash } from "node:crypto";
import * as path from "node:path";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { UserError, errnoReason } from "./common.js";

/** Flags whose values are saved and checked, named without their "--". */
export const RUN_FLAGS = ["steps", "batch-size", "micro-batch-size", "data", "schedule", "lr", "warmup", "weight-decay", "max-grad-norm", "seed"] as const;
export type RunFlag = (typeof RUN_FLAGS)[number];

/** What train-lm trains; saved so that a checkpoint of another objective is never resumed as SFT. */
export const TRAIN_LM_OBJECTIVE = { objective: "sft", aggregation: "token-mean" } as const;

const int = z.number().int();
const RunSettingsSchema = z.strictObject({
  steps: int.positive(),
  "batch-size": int.positive(),
  /** null: the whole batch in one forward/backward */
  "micro-batch-size": int.positive().nullable(),
  data: z.string(),
  "data-sha256": z.string().regex(/^[0-9a-f]{64}$/),
  schedule: z.string(),
  lr: z.number().nonnegative(),
  warmup: int.nonnegative(),
  "weight-decay": z.number().nonnegative(),
  "max-grad-norm": z.number().nonnegative(),
  seed: int,
  objective: z.string(),
  aggregation: z.string(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;
export type RunFlagValues = Pick<RunSettings, RunFlag>;

const SettingChangeSchema = z.strictObject({ step: int.nonnegative(), setting: z.string(), from: z.unknown(), to: z.unknown() });
/** A setting changed on resume with --override, at the step the resumed run started from. */
export type SettingChange = z.infer<typeof SettingChangeSchema>;

const SavedRunSchema = z.object({ settings: RunSettingsSchema, changes: z.array(SettingChangeSchema).default([]) });
/** The part of trainer_state/state.json's data that describes the run. */
export type SavedRun = z.infer<typeof SavedRunSchema>;

/** SHA-256 of a file's bytes, hex. */
export function sha256File(file: string): string {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch (e) {
    throw new UserError(`${file}: cannot read (${errnoReason(e)})`);
  }
}

/** Reads the saved run from trainer_state data; errors name the state file. */
export function readSavedRun(data: Record<string, unknown> | undefined, stateFile: string): SavedRun {
  if (data?.settings === undefined) {
    throw new UserError(`${stateFile}: no saved train-lm settings (written by an older version or another command), so --resume cannot check the run; start a new run from these weights without --resume`);
  }
  const r = SavedRunSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new UserError(`${stateFile}: field data.${i.path.map(String).join(".")}: ${i.message}`);
  }
  const s = r.data.settings;
  if (s.objective !== TRAIN_LM_OBJECTIVE.objective || s.aggregation !== TRAIN_LM_OBJECTIVE.aggregation) {
    throw new UserError(`${stateFile}: the checkpoint was trained with objective "${s.objective}" and aggregation "${s.aggregation}"; train-lm trains "${TRAIN_LM_OBJECTIVE.objective}" with "${TRAIN_LM_OBJECTIVE.aggregation}"`);
  }
  return r.data;
}

/** Parses --override: comma-separated flag names, with or without "--". */
export function parseOverrides(list: string | undefined): Set<RunFlag> {
  const out = new Set<RunFlag>();
  for (const raw of (list ?? "").split(",")) {
    const name = raw.trim().replace(/^--/, "");
    if (name === "") continue;
    if (!(RUN_FLAGS as readonly string[]).includes(name)) throw new UserError(`--override: unknown setting "${name}" (expected one of ${RUN_FLAGS.join(", ")})`);
    out.add(name as RunFlag);
  }
  return out;
}

const show = (v: unknown): string => JSON.stringify(v);

export interface ResolveInput {
  /** command-line values (given or default) */
  values: RunFlagValues;
  /** flags given on the command line */
  given: ReadonlySet<RunFlag>;
  overrides: ReadonlySet<RunFlag>;
  /** when resuming: the saved run, the step it stopped at */
  resume?: { saved: SavedRun; step: number };
}

/** The settings of this invocation and the changes made to a resumed run (empty for a new run). */
export function resolveRunSettings(input: ResolveInput): { settings: RunSettings; changes: SettingChange[] } {
  const { given, overrides, resume } = input;
  let values = input.values;
  // the data file is saved as an absolute path, so a resume from another directory finds it
  if (!resume) return { settings: { ...values, data: path.resolve(values.data), "data-sha256": sha256File(values.data), ...TRAIN_LM_OBJECTIVE }, changes: [] };
  const saved = resume.saved.settings;
  const flags: RunFlagValues = { ...saved };
  const changes: SettingChange[] = [];
  if (given.has("data")) {
    const at = path.resolve(values.data);
    if (at === path.resolve(saved.data)) {
      values = { ...values, data: saved.data };
    } else if (sha256File(at) === saved["data-sha256"]) {
      // the same bytes at another path (the file moved, or a different working directory): the same data
      flags.data = at;
      values = { ...values, data: saved.data }; // not a change of setting for the check below
      changes.push({ step: resume.step, setting: "data", from: saved.data, to: at });
    }
  }
  const take = <K extends RunFlag>(flag: K): void => {
    if (!given.has(flag) || values[flag] === saved[flag]) return;
    if (!overrides.has(flag)) {
      throw new UserError(`--${flag}: the checkpoint was trained with ${show(saved[flag])}, got ${show(values[flag])}; pass --override ${flag} to change it`);
    }
    flags[flag] = values[flag];
    changes.push({ step: resume.step, setting: flag, from: saved[flag], to: values[flag] });
  };
  for (const flag of RUN_FLAGS) take(flag);
  const settings: RunSettings = { ...saved, ...flags };
  const sha = sha256File(settings.data);
  if (sha !== saved["data-sha256"]) {
    if (!overrides.has("data")) {
      throw new UserError(`--data: ${settings.data} is not the file the checkpoint was trained on (sha256 ${saved["data-sha256"].slice(0, 12)}… then, ${sha.slice(0, 12)}… now); pass --override data to train on it`);
    }
    settings["data-sha256"] = sha;
    changes.push({ step: resume.step, setting: "data-sha256", from: saved["data-sha256"], to: sha });
  }
  return { settings, changes };
}
