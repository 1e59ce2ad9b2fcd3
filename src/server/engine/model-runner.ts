// The model as the server runs it: the sampling layer's prefill and decode graphs with the weights baked in
// (frozen), and the rotary caches for every position. Prefill takes left-padded prompts; decode takes one token per
// row with the rows' caches as views of the KV pool (kv-pool.ts).
import { compile, type CompiledGraph, type NDArray, type RuntimeOptions } from "../../engine/index.js";
import type { LlamaConfig } from "../../model/config.js";
import type { ParamStore } from "../../model/params.js";
import { buildDecodeGraph, buildPrefillGraph, generationWeights, keyName, prefillInputs, PRESENT, rotaryFeeds, valueName } from "../../sampling/graphs.js";

export interface PrefillOutput {
  /** next-token logits of every prompt, [U, V] */
  logits: Float32Array;
  /** per layer, rotated keys / values [U, Hkv, length, hd] */
  keys: Float32Array[];
  values: Float32Array[];
  /** padded prompt length */
  length: number;
  /** leading pad positions of each prompt */
  padCount: number[];
}

export interface DecodeOutput {
  /** every layer's new keys and values, [2L, B, Hkv, 1, hd] (keys of layer l at 2l) */
  present: Float32Array;
  /** [B, V] */
  logits: Float32Array;
}

export class ModelRunner {
  private readonly rotary: Record<string, NDArray>;

  private constructor(
    readonly config: LlamaConfig,
    private readonly prefillGraph: CompiledGraph,
    private readonly decodeGraph: CompiledGraph,
    private readonly padId: number,
  ) {
    this.rotary = rotaryFeeds(config);
  }

  /** Compiles both graphs with the current weights as constants (later changes to `params` are not seen). */
  static async create(opts: { config: LlamaConfig; params: ParamStore; padId?: number; runtime?: RuntimeOptions }): Promise<ModelRunner> {
    const weights = generationWeights(opts.config, opts.params);
    const runtime = { ...opts.runtime, cache: false };
    const prefill = await compile(buildPrefillGraph(opts.config, weights), runtime);
    const decode = await compile(buildDecodeGraph(opts.config, weights), runtime);
    return new ModelRunner(opts.config, prefill, decode, opts.padId ?? 0);
  }

  /** Runs distinct prompts through the model, left-padded to the longest (causal + padding mask). */
  async prefill(prompts: readonly (readonly number[])[]): Promise<PrefillOutput> {
    const { feeds, length: Lp, padCount } = prefillInputs(prompts, this.padId);
    const out = await this.prefillGraph.run({ ...this.rotary, ...feeds });
    const layers = this.config.num_hidden_layers;
    return {
      logits: out.logits.data as Float32Array,
      keys: Array.from({ length: layers }, (_, l) => out[keyName(l)].data as Float32Array),
      values: Array.from({ length: layers }, (_, l) => out[valueName(l)].data as Float32Array),
      length: Lp,
      padCount,
    };
  }

  /** One token per row: `ids` and `positions` [B], `cache` the pool's feeds for B rows. */
  async decode(ids: BigInt64Array, positions: BigInt64Array, cache: Record<string, NDArray>): Promise<DecodeOutput> {
    const B = ids.length;
    const out = await this.decodeGraph.run({
      ...this.rotary, ...cache,
      input_ids: { dtype: "int64", shape: [B, 1], data: ids },
      position_ids: { dtype: "int64", shape: [B, 1], data: positions },
    });
    return { present: out[PRESENT].data as Float32Array, logits: out.logits.data as Float32Array };
  }

  /** Frees the onnxruntime sessions. */
  async release(): Promise<void> {
    await this.prefillGraph.session.release();
    await this.decodeGraph.session.release();
  }
}
