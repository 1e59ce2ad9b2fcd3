// Per-token log-probs and entropies of whole sequences under a model (forward only): reference and behaviour
// log-probs for RL, `ratio logprobs`, evaluation. Entry j of each result is about token j; entry 0 is NaN.
import { compile, type CompiledGraph, type NDArray } from "../engine/index.js";
import type { LlamaConfig } from "../model/config.js";
import type { ParamStore } from "../model/params.js";
import { makeMicroBatches, type TrainSequence } from "./batch.js";
import { buildScoreGraph, paramFeeds, positionFeeds } from "./graph.js";
import { checkSequences } from "./validate.js";

export interface ScoreOptions {
  config: LlamaConfig;
  params: ParamStore;
  microBatchSize?: number;
  padId?: number;
  threads?: number;
  /** score under softmax(logits / temperature) (default 1): GRPO's reference at its sampling temperature */
  temperature?: number;
}

const compiled = new WeakMap<LlamaConfig, Map<string, Promise<CompiledGraph>>>();

/** The compiled scoring graph of a config (built once per config object, thread count and temperature). */
function scoreGraph(config: LlamaConfig, threads = 0, temperature = 1): Promise<CompiledGraph> {
  let byKey = compiled.get(config);
  if (!byKey) compiled.set(config, (byKey = new Map()));
  const key = `${threads}:${temperature}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const g = compile(buildScoreGraph(config, temperature), { threads: threads || undefined });
  byKey.set(key, g);
  return g;
}

/** Rejects token ids outside the vocabulary and sequences longer than the context, naming sequence and position. */
export async function tokenLogprobs(
  seqs: readonly TrainSequence[],
  o: ScoreOptions,
): Promise<{ logp: Float32Array[]; entropy: Float32Array[] }> {
  checkSequences(seqs, o.config, o.padId);
  const scorer = await scoreGraph(o.config, o.threads, o.temperature);
  const mbs = makeMicroBatches(seqs, { microBatchSize: o.microBatchSize ?? 32, aggregation: "token-mean", padId: o.padId });
  const params = paramFeeds(o.config, o.params.views);
  const logp: Float32Array[] = new Array(seqs.length);
  const entropy: Float32Array[] = new Array(seqs.length);
  for (const mb of mbs) {
    const feeds: Record<string, NDArray> = { ...params, ...positionFeeds(o.config, mb.length), input_ids: mb.inputIds, targets: mb.targets, weight: mb.weight };
    const out = await scorer.run(feeds);
    const lp = out.logp.data as Float32Array;
    const en = out.entropy.data as Float32Array;
    mb.indices.forEach((i, r) => {
      const L = seqs[i].tokens.length;
      const a = new Float32Array(L).fill(NaN);
      const e = new Float32Array(L).fill(NaN);
      for (let t = 0; t < L - 1; t++) {
        a[t + 1] = lp[r * mb.length + t];
        e[t + 1] = en[r * mb.length + t];
      }
      logp[i] = a;
      entropy[i] = e;
    });
  }
  return { logp, entropy };
}
