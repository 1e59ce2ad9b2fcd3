// onnxruntime-node sessions for graphs: cached by a signature (SHA-256 of the ONNX bytes + session options),
// zero-copy inputs (an ort.Tensor over the caller's typed array, subarray views included), outputs as NDArray.
// Defaults (docs/engine.md, "Runtime"): 2 intra-op threads, 1 inter-op, sequential, 'all'; plus no spin-waiting of
// idle pool threads (measured below, see RuntimeOptions.spinning).
import { createHash } from "node:crypto";
import * as ort from "onnxruntime-node";
import { validateFeeds } from "./feeds.js";
import type { Graph } from "./graph.js";
import { toOnnx } from "./onnx.js";
import type { DType, NDArray, TypedData } from "./types.js";
import type { InputSpec } from "./feeds.js";

export interface RuntimeOptions {
  threads?: number;
  optimization?: "disabled" | "basic" | "extended" | "all";
  /**
   * let idle intra-op threads spin-wait (onnxruntime's own default). Default here: false — on the 2-core machine
   * a 4-layer d128 MLP fwd+bwd step (B·T = 4096) took 72–179 ms without spinning vs 82–210 ms with it (best of
   * interleaved runs, other processes present; 1 thread: 132–161 ms); tiny decode-sized graphs lose ≈ 0.1 ms.
   */
  spinning?: boolean;
  /** keep the session in the process-wide cache (default true); false for one-off graphs, e.g. with baked weights */
  cache?: boolean;
}

/** Intra-op threads when neither options nor RATIO_THREADS say otherwise (measured fastest on 2 cores). */
export const DEFAULT_THREADS = 2;
export const DEFAULT_SPINNING = false;
const OPT_LEVELS = ["disabled", "basic", "extended", "all"] as const;

function resolveOptions(opts: RuntimeOptions): Required<Omit<RuntimeOptions, "cache">> {
  let threads = opts.threads;
  if (threads === undefined) {
    const env = process.env.RATIO_THREADS;
    threads = env ? Number(env) : DEFAULT_THREADS;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`RATIO_THREADS must be a positive integer, got "${env}"`);
  }
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`compile: threads must be a positive integer, got ${threads}`);
  const optimization = opts.optimization ?? "all";
  if (!OPT_LEVELS.includes(optimization)) throw new Error(`compile: optimization must be one of ${OPT_LEVELS.join(", ")}, got "${optimization}"`);
  return { threads, optimization, spinning: opts.spinning ?? DEFAULT_SPINNING };
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

export class CompiledGraph {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly outputDtypes: Map<string, DType>;
  /** onnxruntime tensors of feeds seen before (by NDArray object), with the data and shape they wrap */
  private readonly wrapped = new WeakMap<NDArray, { tensor: ort.Tensor; data: TypedData; shape: number[] }>();

  constructor(
    readonly session: ort.InferenceSession,
    /** signature key of the session cache */
    readonly key: string,
    private readonly inputs: readonly InputSpec[],
    outputs: readonly { name: string; dtype: DType }[],
    private readonly label: string,
  ) {
    this.inputNames = inputs.map((i) => i.name);
    this.outputNames = outputs.map((o) => o.name);
    this.outputDtypes = new Map(outputs.map((o) => [o.name, o.dtype]));
  }

  /**
   * Runs the session; feeds are wrapped without copying. Outputs are fresh arrays (onnxruntime copies them out).
   * A feed passed again as the same object with the same data array and shape (weights, a KV cache updated in
   * place) reuses its onnxruntime tensor and skips re-validation: ~4 µs per input per call, measured.
   */
  async run(feeds: Record<string, NDArray>, outputNames?: readonly string[]): Promise<Record<string, NDArray>> {
    // tensors of feeds seen unchanged, decided once per feed (validation then only binds their symbolic dims)
    const reused = new Map<string, ort.Tensor>();
    for (const name of this.inputNames) {
      const f = feeds[name];
      const w = f && this.wrapped.get(f);
      if (w && w.data === f.data && sameShape(w.shape, f.shape)) reused.set(name, w.tensor);
    }
    validateFeeds(`run(${this.label})`, this.inputs, feeds, (name) => reused.has(name));
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of this.inputNames) {
      let tensor = reused.get(name);
      if (!tensor) {
        const f = feeds[name];
        tensor = new ort.Tensor(f.dtype, f.data as Exclude<TypedData, never>, f.shape);
        this.wrapped.set(f, { tensor, data: f.data, shape: [...f.shape] });
      }
      ortFeeds[name] = tensor;
    }
    const wanted = outputNames ?? this.outputNames;
    for (const n of wanted) if (!this.outputDtypes.has(n)) throw new Error(`run(${this.label}): unknown output "${n}"`);
    const res = await this.session.run(ortFeeds, wanted as string[]);
    const out: Record<string, NDArray> = {};
    for (const name of wanted) {
      const t = res[name];
      out[name] = { dtype: this.outputDtypes.get(name)!, shape: [...t.dims], data: t.data as TypedData };
    }
    return out;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Compiles a graph into an onnxruntime session. Compiling an identical graph (same ONNX bytes) with the same
 * options reuses the cached session.
 */
export async function compile(graph: Graph, opts: RuntimeOptions = {}): Promise<CompiledGraph> {
  const o = resolveOptions(opts);
  const bytes = toOnnx(graph);
  const cache = opts.cache ?? true;
  const key = cache ? createHash("sha256").update(bytes).update(JSON.stringify(o)).digest("hex") : "uncached";
  let pending = cache ? sessions.get(key) : undefined;
  if (!pending) {
    pending = ort.InferenceSession.create(bytes, {
      intraOpNumThreads: o.threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: o.optimization,
      // onnxruntime session config key "session.intra_op.allow_spinning"
      extra: { session: { intra_op: { allow_spinning: o.spinning ? "1" : "0" } } },
    });
    if (cache) {
      sessions.set(key, pending);
      pending.catch(() => sessions.delete(key));
    }
  }
  let session: ort.InferenceSession;
  try {
    session = await pending;
  } catch (e) {
    throw new Error(`compile(${graph.name}): onnxruntime rejected the graph: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new CompiledGraph(
    session,
    key,
    graph.inputs.map((v) => ({ name: v.name, dtype: v.dtype, shape: v.shape })),
    graph.outputs.map((x) => ({ name: x.name, dtype: x.value.dtype })),
    graph.name,
  );
}

/** Number of cached sessions. */
export function sessionCacheSize(): number {
  return sessions.size;
}

/** Releases every cached session (compiled graphs obtained earlier stop working). */
export async function clearSessionCache(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => null))?.release()));
}
