// Atomic file and directory writes: write beside the target under a temporary name, then rename(2), which
// replaces the target in one step on POSIX file systems, so readers see the old content or the new, never half.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";

/** Data for a file: a string (UTF-8), bytes, or a list of byte chunks written back to back (zero-copy views). */
export type FileData = string | Uint8Array | readonly Uint8Array[];

function tempName(target: string, kind: "tmp" | "old", token = `${process.pid}-${randomBytes(4).toString("hex")}`): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${token}`);
}

/** `<pid>-<8 hex>`: the token of one write; its pid tells whether the writer may still be running. */
const TOKEN = /^(\d+)-[0-9a-f]{8}$/;

function writerAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Finishes or undoes a directory replacement that a killed writer left half done (see writeDirAtomic), then removes
 * what dead writers left beside `dir`. Entries of a writer that may still be running are never touched.
 * - `dir` missing, `.<name>.old-T` and `.<name>.tmp-T` present: the writer died between its two renames. The new
 *   content is complete (`dir` is moved aside only after it was filled), so it becomes `dir` ("promoted").
 * - `dir` missing, `.<name>.old-T` alone: the previous content becomes `dir` again ("restored").
 * - any other `.<name>.tmp-T` / `.<name>.old-T` of a dead writer: a fill or a removal cut short; deleted.
 */
export function recoverDir(dir: string): "promoted" | "restored" | null {
  const parent = path.dirname(path.resolve(dir));
  const prefix = `.${path.basename(path.resolve(dir))}.`;
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return null;
  }
  const dead = (kind: "tmp" | "old") =>
    names
      .filter((n) => n.startsWith(`${prefix}${kind}-`))
      .map((n) => ({ name: path.join(parent, n), token: n.slice(prefix.length + kind.length + 1) }))
      .filter((x) => {
        const m = TOKEN.exec(x.token);
        return m !== null && !writerAlive(Number(m[1]));
      })
      .sort((a, b) => fs.statSync(b.name).mtimeMs - fs.statSync(a.name).mtimeMs); // newest first
  const tmps = dead("tmp");
  const olds = dead("old");
  let done: "promoted" | "restored" | null = null;
  if (!fs.existsSync(dir) && olds.length > 0) {
    const old = olds[0];
    const tmp = tmps.find((t) => t.token === old.token);
    if (tmp) {
      fs.renameSync(tmp.name, dir);
      done = "promoted";
    } else {
      fs.renameSync(old.name, dir);
      done = "restored";
    }
  }
  for (const x of [...tmps, ...olds]) if (fs.existsSync(x.name)) fs.rmSync(x.name, { recursive: true, force: true });
  return done;
}

function chunksOf(data: FileData): readonly Uint8Array[] {
  if (typeof data === "string") return [Buffer.from(data, "utf8")];
  return data instanceof Uint8Array ? [data] : data;
}

/** Writes `data` to `file` atomically (temp file in the same directory, fsync, rename). */
export async function writeFileAtomic(file: string, data: FileData): Promise<void> {
  const tmp = tempName(file, "tmp");
  const handle = await fsp.open(tmp, "wx");
  try {
    for (const chunk of chunksOf(data)) {
      let done = 0;
      while (done < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done);
        done += bytesWritten;
      }
    }
    await handle.sync();
    await handle.close();
    await fsp.rename(tmp, file);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** Synchronous variant of writeFileAtomic for small files (manifests, JSON state). */
export function writeFileAtomicSync(file: string, data: FileData): void {
  const tmp = tempName(file, "tmp");
  const fd = fs.openSync(tmp, "wx");
  try {
    for (const chunk of chunksOf(data)) {
      let done = 0;
      while (done < chunk.byteLength) done += fs.writeSync(fd, chunk, done, chunk.byteLength - done);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Builds a directory atomically: `fill(tmpDir)` writes into a fresh temporary directory beside `dir`; on success
 * it replaces `dir` (an existing `dir` is first renamed aside, then removed). If `fill` throws, the temporary
 * directory is removed and an existing `dir` is left untouched. Linux cannot rename a directory over a non-empty
 * one, so replacement takes two renames (`dir` → `.<name>.old-T`, `.<name>.tmp-T` → `dir`); should the process die
 * between them, recoverDir (run by the next write, and by loadCheckpoint) finishes the replacement.
 */
export async function writeDirAtomic<T>(dir: string, fill: (tmpDir: string) => Promise<T> | T): Promise<T> {
  const parent = path.dirname(path.resolve(dir));
  await fsp.mkdir(parent, { recursive: true });
  recoverDir(dir);
  const token = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = tempName(dir, "tmp", token);
  await fsp.mkdir(tmp);
  let result: T;
  try {
    result = await fill(tmp);
  } catch (e) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  let old: string | null = null;
  if (fs.existsSync(dir)) {
    old = tempName(dir, "old", token);
    try {
      await fsp.rename(dir, old);
    } catch (e) {
      // `dir` cannot be moved aside (EBUSY for the current directory or a mount point): it stays as it was
      await fsp.rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }
  try {
    await fsp.rename(tmp, dir);
  } catch (e) {
    if (old !== null) await fsp.rename(old, dir).catch(() => undefined);
    await fsp.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (old !== null) await fsp.rm(old, { recursive: true, force: true });
  return result;
}
