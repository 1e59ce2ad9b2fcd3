// The model a stage starts from: in memory (config, params, tokenizer) or a checkpoint directory to load.
// `source` names it in dataset lineage and the manifest (a checkpoint path, or "(in memory)").
import { loadCheckpoint } from "../model/checkpoint.js";
import type { LlamaConfig } from "../model/config.js";
import type { ParamStore } from "../model/params.js";
import type { Tokenizer } from "../model/tokenizer.js";

export interface PolicyModel {
  config: LlamaConfig;
  params: ParamStore;
  tokenizer: Tokenizer;
  /** where the weights came from (a checkpoint directory), for lineage */
  source?: string;
}

export type ModelInput = PolicyModel | { checkpoint: string };

/** Loads a checkpoint input; an in-memory model is returned as is (stages never modify its params). */
export async function loadModelInput(model: ModelInput): Promise<PolicyModel> {
  if ("checkpoint" in model) {
    const ck = await loadCheckpoint(model.checkpoint);
    return { config: ck.config, params: ck.params, tokenizer: ck.tokenizer, source: model.checkpoint };
  }
  return model;
}

/** The lineage name of a model: its checkpoint directory, or "(in memory)". */
export const modelSource = (m: PolicyModel): string => m.source ?? "(in memory)";
