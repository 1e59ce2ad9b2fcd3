// Parameter names and shapes of a Llama/Qwen2 model, exactly as Hugging Face names and lays them out
// (nn.Linear weights are [out_features, in_features]), and a flat store with a zero-copy view per tensor.
import { hasOBias, hasQkvBias, type LlamaConfig } from "./config.js";

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Whether AdamW weight decay applies: matrices (Linear, embeddings) yes; norms and biases no. */
  decay: boolean;
}

function spec(name: string, shape: number[]): ParamSpec {
  return { name, shape, decay: shape.length >= 2 };
}

/** The model's parameters in a fixed order (embedding, layers 0…L−1, final norm, head). */
export function paramSpecs(config: LlamaConfig): ParamSpec[] {
  const d = config.hidden_size;
  const hd = config.head_dim;
  const qDim = config.num_attention_heads * hd;
  const kvDim = config.num_key_value_heads * hd;
  const inter = config.intermediate_size;
  const qkvBias = hasQkvBias(config);
  const oBias = hasOBias(config);
  const specs: ParamSpec[] = [spec("model.embed_tokens.weight", [config.vocab_size, d])];
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    specs.push(spec(`${p}.input_layernorm.weight`, [d]));
    specs.push(spec(`${p}.self_attn.q_proj.weight`, [qDim, d]));
    if (qkvBias) specs.push(spec(`${p}.self_attn.q_proj.bias`, [qDim]));
    specs.push(spec(`${p}.self_attn.k_proj.weight`, [kvDim, d]));
    if (qkvBias) specs.push(spec(`${p}.self_attn.k_proj.bias`, [kvDim]));
    specs.push(spec(`${p}.self_attn.v_proj.weight`, [kvDim, d]));
    if (qkvBias) specs.push(spec(`${p}.self_attn.v_proj.bias`, [kvDim]));
    specs.push(spec(`${p}.self_attn.o_proj.weight`, [d, qDim]));
    if (oBias) specs.push(spec(`${p}.self_attn.o_proj.bias`, [d]));
    specs.push(spec(`${p}.post_attention_layernorm.weight`, [d]));
    specs.push(spec(`${p}.mlp.gate_proj.weight`, [inter, d]));
    specs.push(spec(`${p}.mlp.up_proj.weight`, [inter, d]));
    specs.push(spec(`${p}.mlp.down_proj.weight`, [d, inter]));
  }
  specs.push(spec("model.norm.weight", [d]));
  if (!config.tie_word_embeddings) specs.push(spec("lm_head.weight", [config.vocab_size, d]));
  return specs;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** A run of consecutive elements of the flat array with one decay flag (adjacent tensors merged). */
export interface DecaySegment {
  start: number;
  end: number;
  decay: boolean;
}

/** All parameters in one Float32Array; `get(name)` is a subarray view (writes go to `flat`). */
export class ParamStore {
  readonly specs: readonly ParamSpec[];
  readonly names: readonly string[];
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly offsets: Readonly<Record<string, number>>;
  readonly flat: Float32Array;
  readonly count: number;
  /** Views in spec order (same objects as `get`), e.g. to build engine input tensors once. */
  readonly views: readonly Float32Array[];
  private readonly byName: Map<string, Float32Array>;

  /** Allocates zeros, or wraps `flat` (which must have exactly the total element count). */
  constructor(specs: readonly ParamSpec[], flat?: Float32Array) {
    const shapes: Record<string, readonly number[]> = {};
    const offsets: Record<string, number> = {};
    let count = 0;
    for (const s of specs) {
      if (s.name in shapes) throw new Error(`ParamStore: duplicate parameter ${s.name}`);
      shapes[s.name] = [...s.shape];
      offsets[s.name] = count;
      count += numel(s.shape);
    }
    if (flat !== undefined && flat.length !== count) throw new Error(`ParamStore: flat array has ${flat.length} elements, specs need ${count}`);
    this.specs = specs.map((s) => ({ name: s.name, shape: [...s.shape], decay: s.decay }));
    this.names = specs.map((s) => s.name);
    this.shapes = shapes;
    this.offsets = offsets;
    this.count = count;
    this.flat = flat ?? new Float32Array(count);
    this.byName = new Map();
    const views: Float32Array[] = [];
    for (const s of specs) {
      const view = this.flat.subarray(offsets[s.name], offsets[s.name] + numel(s.shape));
      this.byName.set(s.name, view);
      views.push(view);
    }
    this.views = views;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): Float32Array {
    const view = this.byName.get(name);
    if (view === undefined) throw new Error(`ParamStore: no parameter named ${name}`);
    return view;
  }

  /** Contiguous ranges of `flat` by decay flag, in order (for optimizers). */
  decaySegments(): DecaySegment[] {
    const segs: DecaySegment[] = [];
    for (const s of this.specs) {
      const start = this.offsets[s.name];
      const end = start + numel(s.shape);
      const last = segs[segs.length - 1];
      if (last !== undefined && last.decay === s.decay && last.end === start) last.end = end;
      else segs.push({ start, end, decay: s.decay });
    }
    return segs;
  }

  clone(): ParamStore {
    return new ParamStore(this.specs, this.flat.slice());
  }
}

/** A zero-filled store with the same names and shapes (gradients, optimizer moments). */
export function zerosLike(store: ParamStore): ParamStore {
  return new ParamStore(store.specs);
}

/** Total parameter count of a config. */
export function countParams(config: LlamaConfig): number {
  return paramSpecs(config).reduce((n, s) => n + numel(s.shape), 0);
}
