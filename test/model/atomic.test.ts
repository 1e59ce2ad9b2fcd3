import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { freshDir } from "../fixtures/tmp.js";
import { describe, expect, it } from "vitest";
import { writeDirAtomic, writeFileAtomic, writeFileAtomicSync } from "../../src/util/atomic.js";

const fresh = () => freshDir("ratio-atomic-");

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
});
