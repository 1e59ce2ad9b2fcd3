import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { encodeSft } from "../../src/algorithms/sft.js";
import { readLmData } from "../../src/cli/train-lm.js";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { freshDir } from "../fixtures/tmp.js";

describe("train-lm data files", () => {
  const dir = freshDir("ratio-lmdata-");
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("reads CRLF text and JSONL files without the carriage returns", () => {
    expect(readLmData(file("a.txt", "ab\r\ncd\r\n")).map((e) => e.completion)).toEqual(["ab", "cd"]);
    const j = readLmData(file("a.jsonl", '{"prompt":"a","completion":"b"}\r\n{"text":"c"}\r\n'));
    expect(j.map((e) => [e.prompt, e.completion])).toEqual([["a", "b"], ["", "c"]]);
  });

  it("reads a .json array and rejects anything else, naming the file and element", () => {
    expect(readLmData(file("a.json", '[{"text":"ab"},{"prompt":"x","completion":"y"}]')).map((e) => e.completion)).toEqual(["ab", "y"]);
    expect(() => readLmData(file("b.json", '{"text":"ab"}'))).toThrow(/b\.json: expected a JSON array/);
    expect(() => readLmData(file("c.json", '[{"text":"ab"}, 3]'))).toThrow(/c\.json: element 1: expected a JSON object/);
  });

  it("names file and line when a character is outside the tokenizer's alphabet", () => {
    const tok = CharTokenizer.fromSpec("chars:abc");
    const [ex] = readLmData(file("d.txt", "\nabz\n"));
    expect(() => encodeSft(tok, ex, 64, ex.where)).toThrow(/d\.txt:2: field completion: CharTokenizer: character "z"/);
  });
});
