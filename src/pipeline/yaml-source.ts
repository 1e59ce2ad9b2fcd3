// A parsed YAML file that remembers where every key and value came from, so an error about the value at a key
// path ("stages[1].steps") names the file and line: "r1.yaml:14: stages[1].steps: expected a number".
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { issueMessage, valueAt } from "./zod-message.js";

export type KeyPath = readonly (string | number)[];

/** An error in a pipeline file; the message names the file, the line and the key path. */
export class PipelineError extends Error {
  override name = "PipelineError";
}

/** "stages[1].model", "tasks.add.options" — the way the docs name keys. */
export function formatPath(path: KeyPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out === "" ? "(top level)" : out;
}

export class YamlSource {
  private constructor(readonly file: string, readonly value: unknown, private readonly doc: Document, private readonly lines: LineCounter) {}

  /** Parses YAML text; a syntax error (or a duplicate key) is a PipelineError naming the line. */
  static parse(text: string, file: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0].line ?? lines.linePos(err.pos[0]).line;
      // the yaml library's "Map keys must be unique" does not say which key: its position does
      const dup = err.code === "DUPLICATE_KEY" ? /^\s*(["']?)([^"':,{}[\]\n]+?)\1\s*:/.exec(text.slice(err.pos[0]))?.[2] : undefined;
      const message = dup !== undefined ? `duplicate key "${dup}" (each key may appear once in a mapping)`
        : err.code === "MULTIPLE_DOCS" ? "a second document (after ---): the file must hold one"
        : err.message.split("\n")[0];
      throw new PipelineError(`${file}:${line}: invalid YAML: ${message}`);
    }
    return new YamlSource(file, doc.toJS({ maxAliasCount: 1000 }) as unknown, doc, lines);
  }

  /**
   * 1-based line of the key at `path` (its value's line for list items); a path that does not exist points at
   * its nearest existing ancestor.
   */
  line(path: KeyPath): number {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
        node = node.items[seg];
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    return this.lines.linePos(offset).line;
  }

  /** A PipelineError "file:line: path: message". */
  error(path: KeyPath, message: string): PipelineError {
    return new PipelineError(`${this.file}:${this.line(path)}: ${formatPath(path)}: ${message}`);
  }

  /** Parses the value at `base` with `schema`; the first issue becomes a PipelineError naming its line. */
  parseAt<T>(base: KeyPath, schema: z.ZodType<T>, value: unknown = valueAt(this.value, base)): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const path = [...base, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    const message = issueMessage(issue, value, schema);
    return this.fail(issue.code === "unrecognized_keys" ? [...path, issue.keys[0]] : path, message);
  }

  /** Throws error(path, message). */
  fail(path: KeyPath, message: string): never {
    throw this.error(path, message);
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}
