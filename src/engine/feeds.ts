// Validation of input feeds against a graph's declared inputs: names, dtypes, ranks, static dims, and one
// consistent size per symbolic dim (feeds for names that are not inputs are ignored). Returns the symbol bindings (e.g. { B: 4, T: 16 }).
import { dimTerms } from "./dims.js";
import { type DType, type Dim, type NDArray, dtypeOfData, numel } from "./types.js";

export interface InputSpec {
  name: string;
  dtype: DType;
  shape: readonly Dim[];
}

/**
 * `checked(name, feed)` may say a feed was already checked unchanged (same object, data and shape): then only its
 * symbolic dims are bound and compared.
 */
export function validateFeeds(
  where: string,
  inputs: readonly InputSpec[],
  feeds: Record<string, NDArray>,
  checked?: (name: string, feed: NDArray) => boolean,
): Map<string, number> {
  const bindings = new Map<string, number>();
  for (const spec of inputs) {
    const f = feeds[spec.name];
    if (!f) throw new Error(`${where}: missing feed for input "${spec.name}" (${spec.dtype}[${spec.shape.join(", ")}])`);
    if (checked?.(spec.name, f)) {
      bindSymbols(where, spec, f, bindings);
      continue;
    }
    if (f.dtype !== spec.dtype) throw new Error(`${where}: input "${spec.name}" must be ${spec.dtype}, got ${f.dtype}`);
    const native = dtypeOfData(f.data);
    if (native !== spec.dtype) throw new Error(`${where}: input "${spec.name}" is ${spec.dtype} but its data is a ${f.data.constructor.name}`);
    if (f.shape.length !== spec.shape.length) {
      throw new Error(`${where}: input "${spec.name}" must have rank ${spec.shape.length} [${spec.shape.join(", ")}], got [${f.shape.join(", ")}]`);
    }
    if (f.data.length !== numel(f.shape)) {
      throw new Error(`${where}: input "${spec.name}" has ${f.data.length} elements but shape [${f.shape.join(", ")}]`);
    }
    spec.shape.forEach((d, i) => {
      const actual = f.shape[i];
      if (typeof d === "number" && actual !== d) throw new Error(`${where}: input "${spec.name}" dim ${i} must be ${d}, got ${actual} (shape [${f.shape.join(", ")}])`);
    });
    bindSymbols(where, spec, f, bindings);
  }
  return bindings;
}

function bindSymbols(where: string, spec: InputSpec, f: NDArray, bindings: Map<string, number>): void {
  for (let i = 0; i < spec.shape.length; i++) {
    const d = spec.shape[i];
    if (typeof d === "number") continue;
    const actual = f.shape[i];
    const bound = bindings.get(d);
    if (bound === undefined) bindings.set(d, actual);
    else if (bound !== actual) throw new Error(`${where}: input "${spec.name}" dim ${i} is "${d}" = ${bound} elsewhere, got ${actual}`);
  }
}

/** Value of a symbolic dim under bindings; unbound opaque symbols are bound on first use. */
export function evalDim(d: Dim, bindings: Map<string, number>): number | undefined {
  if (typeof d === "number") return d;
  let total = 0;
  for (const t of dimTerms(d)) {
    let v = t.coeff;
    for (const s of t.symbols) {
      const b = bindings.get(s);
      if (b === undefined) return undefined;
      v *= b;
    }
    total += v;
  }
  return total;
}
