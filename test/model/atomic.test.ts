import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { freshDir } from "../fixtures/tmp.js";
import { describe, expect, it } from "vitest";
import { recoverDir, writeDirAtomic, writeFileAtomic, writeFileAtomicSync } from "../../src/util/atomic.js";

const fresh = () => freshDir("ratio-atomic-");
/** Above Linux's largest pid_max (2^22): no process has it. */
const DEAD = 4_194_999;
function leftover(root: string, name: string, file: string, text: string): void {
  mkdirSync(path.join(root, name));
  writeFileSync(path.join(root, name, file), text);
}

describe("writeFileAtomic", () => {
  it("writes and replaces files, leaving no temporary files", async () => {
    const dir = fresh();
    const f = path.join(dir, "a.json");
    await writeFileAtomic(f, "one");
    await writeFileAtomic(f, [new Uint8Array([116, 119]), new Uint8Array([111])]);
    expect(readFileSync(f, "utf8")).toBe("two");
    writeFileAtomicSync(f, "three");
    expect(readFileSync(f, "utf8")).toBe("three");
    expect(readdirSync(dir)).toEqual(["a.json"]);
  });

  it("fails cleanly when the directory does not exist", async () => {
    await expect(writeFileAtomic(path.join(fresh(), "missing", "a"), "x")).rejects.toThrow(/ENOENT/);
  });
});

describe("writeDirAtomic", () => {
  it("creates, then replaces a directory as a whole", async () => {
    const root = fresh();
    const dir = path.join(root, "ckpt");
    await writeDirAtomic(dir, (tmp) => writeFileSync(path.join(tmp, "old.txt"), "1"));
    const r = await writeDirAtomic(dir, (tmp) => {
      writeFileSync(path.join(tmp, "new.txt"), "2");
      return 5;
    });
    expect(r).toBe(5);
    expect(readdirSync(dir)).toEqual(["new.txt"]);
    expect(readdirSync(root)).toEqual(["ckpt"]);
  });

  it("leaves the existing directory intact and removes the temp dir when filling fails", async () => {
    const root = fresh();
    const dir = path.join(root, "ckpt");
    await writeDirAtomic(dir, (tmp) => writeFileSync(path.join(tmp, "keep.txt"), "old"));
    await expect(
      writeDirAtomic(dir, async (tmp) => {
        writeFileSync(path.join(tmp, "keep.txt"), "new");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(readFileSync(path.join(dir, "keep.txt"), "utf8")).toBe("old");
    expect(readdirSync(root)).toEqual(["ckpt"]);
    expect(existsSync(dir)).toBe(true);
  });

  it("recovers a replacement cut between its renames: the complete new content wins, else the previous one", () => {
    const root = fresh();
    const dir = path.join(root, "ckpt");
    leftover(root, `.ckpt.old-${DEAD}-0000000a`, "v", "old");
    leftover(root, `.ckpt.tmp-${DEAD}-0000000a`, "v", "new");
    expect(recoverDir(dir)).toBe("promoted");
    expect(readFileSync(path.join(dir, "v"), "utf8")).toBe("new");
    expect(readdirSync(root)).toEqual(["ckpt"]);

    const root2 = fresh();
    const dir2 = path.join(root2, "ckpt");
    leftover(root2, `.ckpt.old-${DEAD}-0000000b`, "v", "old");
    expect(recoverDir(dir2)).toBe("restored");
    expect(readFileSync(path.join(dir2, "v"), "utf8")).toBe("old");
  });

  it("removes a dead writer's half-filled or half-removed leftovers on the next write, and never a live writer's", async () => {
    const root = fresh();
    const dir = path.join(root, "ckpt");
    await writeDirAtomic(dir, (tmp) => writeFileSync(path.join(tmp, "v"), "1"));
    leftover(root, `.ckpt.tmp-${DEAD}-0000000c`, "partial", "x");
    leftover(root, `.ckpt.old-${DEAD}-0000000d`, "rest", "x");
    leftover(root, `.ckpt.tmp-${process.pid}-0000000e`, "in-flight", "x");
    expect(recoverDir(dir)).toBe(null); // `dir` exists: nothing to finish
    expect(readdirSync(root).sort()).toEqual([`.ckpt.tmp-${process.pid}-0000000e`, "ckpt"]);
    await writeDirAtomic(dir, (tmp) => writeFileSync(path.join(tmp, "v"), "2"));
    expect(readFileSync(path.join(dir, "v"), "utf8")).toBe("2");
  });
});
