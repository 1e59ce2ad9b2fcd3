// What a GRPO checkpoint carries beyond the HF weights, in trainer_state/: the AdamW moments and update count, and
// under data.grpo the step, the settings hash, the seed, a hash of the stage's input model and the cumulative token
// count. Everything else a step needs is a function of (seed, stage, step): the prompts, the LCPO budgets and the
// sampling seed. The KL reference is the stage's input model, so a resumed stage reloads its input rather than
// saving a second copy; the input hash proves it is the same model.
import type { LlamaConfig } from "../../model/config.js";
import { saveCheckpoint, type TrainerState } from "../../model/checkpoint.js";
import type { ParamStore } from "../../model/params.js";
import type { Tokenizer } from "../../model/tokenizer.js";
import type { Trainer } from "../../train/trainer.js";

export const GRPO_STATE_KEY = "grpo";

export interface GrpoState {
  /** GRPO steps completed */
  step: number;
  /** settingsHash of the options */
  settings: string;
  seed: number;
  /** paramsHash of the stage's input model (the KL reference) */
  input: string;
  /** whether the run keeps a reference model (β > 0) */
  reference: boolean;
  /** prompt + completion tokens generated so far (TRL num_input_tokens_seen) */
  numTokens: number;
}

/** FNV-1a over the bits of every parameter: equal exactly when the stores are bit-identical (up to collisions). */
export function paramsHash(params: ParamStore): string {
  const words = new Uint32Array(params.flat.buffer, params.flat.byteOffset, params.flat.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    h ^= words[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${params.count}:${h.toString(16).padStart(8, "0")}`;
}

export async function saveGrpoCheckpoint(
  dir: string,
  m: { config: LlamaConfig; params: ParamStore; tokenizer: Tokenizer },
  trainer: Trainer,
  state: GrpoState,
): Promise<void> {
  const { step, m: moments, v } = trainer.optimizer.state();
  const trainerState: TrainerState = { step, m: moments, v, data: { [GRPO_STATE_KEY]: { ...state } } };
  await saveCheckpoint(dir, { ...m, trainerState });
}

/** Reads data.grpo of a checkpoint's trainer state; errors name the checkpoint and the field. */
export function readGrpoState(state: TrainerState | undefined, where: string): GrpoState {
  const raw = state?.data?.[GRPO_STATE_KEY];
  if (raw === undefined || raw === null || typeof raw !== "object") throw new Error(`${where}: trainer_state has no "${GRPO_STATE_KEY}" entry (not a GRPO checkpoint)`);
  const x = raw as Record<string, unknown>;
  const int = (k: string): number => {
    if (!Number.isSafeInteger(x[k]) || (x[k] as number) < 0) throw new Error(`${where}: trainer_state data.${GRPO_STATE_KEY}.${k}: expected a non-negative integer`);
    return x[k] as number;
  };
  const str = (k: string): string => {
    if (typeof x[k] !== "string") throw new Error(`${where}: trainer_state data.${GRPO_STATE_KEY}.${k}: expected a string`);
    return x[k] as string;
  };
  if (typeof x.reference !== "boolean") throw new Error(`${where}: trainer_state data.${GRPO_STATE_KEY}.reference: expected a boolean`);
  if (!Number.isSafeInteger(x.seed)) throw new Error(`${where}: trainer_state data.${GRPO_STATE_KEY}.seed: expected an integer`);
  return { step: int("step"), settings: str("settings"), seed: x.seed as number, input: str("input"), reference: x.reference, numTokens: int("numTokens") };
}

/** Throws when a checkpoint's state does not belong to this stage's options, seed and input model. */
export function checkResumable(saved: GrpoState, now: Omit<GrpoState, "step" | "numTokens">, where: string): void {
  if (saved.settings !== now.settings) throw new Error(`${where}: the GRPO options changed since this checkpoint (settings ${saved.settings}, now ${now.settings}); resume with the same options or start a new stage`);
  if (saved.seed !== now.seed) throw new Error(`${where}: checkpoint was trained with seed ${saved.seed}, this run has seed ${now.seed}`);
  if (saved.input !== now.input) throw new Error(`${where}: the stage's input model differs from the one this checkpoint started from (${saved.input} vs ${now.input}); the KL reference and the trajectory depend on it`);
}
