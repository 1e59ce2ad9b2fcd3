// Engine value types: element types, (symbolic) dims and plain row-major arrays exchanged with callers.

export type DType = "float32" | "float64" | "int64" | "int32" | "bool";
/** A tensor dimension: a number, or a symbolic (dynamic) dim such as "B", "T" or a derived one like "B*T", "T-1". */
export type Dim = number | string;
export type TypedData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
/** Row-major array; bool is stored as Uint8Array (0/1). */
export interface NDArray {
  dtype: DType;
  shape: number[];
  data: TypedData;
}

export const DTYPES: readonly DType[] = ["float32", "float64", "int64", "int32", "bool"];

/** ONNX TensorProto.DataType codes (onnx.proto: FLOAT=1, INT32=6, INT64=7, BOOL=9, DOUBLE=11). */
export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

/** Number of elements of a static shape (1 for rank 0). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A zero-filled typed array of the storage type used for `dtype`. */
export function allocData(dtype: DType, n: number): TypedData {
  switch (dtype) {
    case "float32": return new Float32Array(n);
    case "float64": return new Float64Array(n);
    case "int64": return new BigInt64Array(n);
    case "int32": return new Int32Array(n);
    case "bool": return new Uint8Array(n);
  }
}

/** Copies plain numbers (or another typed array) into the storage type of `dtype`. */
export function toTypedData(values: ArrayLike<number | bigint>, dtype: DType): TypedData {
  const out = allocData(dtype, values.length);
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = typeof v === "bigint" ? v : BigInt(Math.trunc(v));
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = dtype === "bool" ? (Number(v) !== 0 ? 1 : 0) : Number(v);
    }
  }
  return out;
}

/** The dtype a typed array stores natively (Uint8Array → bool). */
export function dtypeOfData(data: TypedData): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

/** Builds an NDArray, checking that the data length matches the shape. */
export function ndarray(dtype: DType, shape: number[], data: ArrayLike<number | bigint> | TypedData): NDArray {
  const typed = isTypedFor(data, dtype) ? (data as TypedData) : toTypedData(data as ArrayLike<number | bigint>, dtype);
  if (typed.length !== numel(shape)) {
    throw new Error(`ndarray: data has ${typed.length} elements but shape [${shape.join(", ")}] needs ${numel(shape)}`);
  }
  return { dtype, shape: [...shape], data: typed };
}

function isTypedFor(data: unknown, dtype: DType): boolean {
  switch (dtype) {
    case "float32": return data instanceof Float32Array;
    case "float64": return data instanceof Float64Array;
    case "int64": return data instanceof BigInt64Array;
    case "int32": return data instanceof Int32Array;
    case "bool": return data instanceof Uint8Array;
  }
}
