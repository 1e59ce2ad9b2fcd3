import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import fc from "fast-check";
import { freshDir } from "../fixtures/tmp.js";
import { describe, expect, it } from "vitest";
import { CharTokenizer, HFTokenizer, isCharTokenizerJSON, loadTokenizer } from "../../src/model/tokenizer.js";

const ALPHABET = "0123456789+-*/=() abcxyz\n<>.,é😀";
const fresh = () => freshDir("ratio-tok-");

function saveTokenizer(json: object, config?: object, modelConfig?: object): string {
  const dir = fresh();
  writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(json));
  if (config) writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(config));
  if (modelConfig) writeFileSync(path.join(dir, "config.json"), JSON.stringify(modelConfig));
  return dir;
}

describe("CharTokenizer", () => {
  const tok = CharTokenizer.fromAlphabet(ALPHABET);

  it("assigns <pad>=0, <bos>=1, <eos>=2, then the alphabet in order", () => {
    expect([tok.padId, tok.bosId, tok.eosId]).toEqual([0, 1, 2]);
    expect(tok.vocabSize).toBe(3 + [...ALPHABET].length);
    expect(tok.tokenToId("0")).toBe(3);
    expect(tok.idToToken(4)).toBe("1");
    expect(tok.specialIds).toEqual([0, 1, 2]);
    expect(tok.alphabet).toBe(ALPHABET);
    expect(CharTokenizer.fromAlphabet("aab").vocabSize).toBe(5); // duplicates collapse
  });

  it("round-trips text, astral characters included, and maps special-token strings to their ids", () => {
    const text = "12+(3*x)=y\né😀";
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.encode("😀").length).toBe(1);
    const ids = tok.encode("<bos>1<2<eos>");
    expect(ids).toEqual([1, tok.tokenToId("1"), tok.tokenToId("<"), tok.tokenToId("2"), 2]);
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe("1<2");
    expect(tok.decode([])).toBe("");
  });

  it("names unknown characters and out-of-range ids", () => {
    expect(() => tok.encode("12%")).toThrow('CharTokenizer: character "%" (U+0025) at offset 2 is not in the alphabet');
    expect(() => tok.encode("a\u0007")).toThrow('character "\\u0007" (U+0007) at offset 1');
    expect(() => tok.decode([999])).toThrow(`CharTokenizer: token id 999 out of range [0, ${tok.vocabSize})`);
    const withUnk = CharTokenizer.fromAlphabet("ab", { unk: true });
    expect(withUnk.encode("a%b")).toEqual([4, 3, 5]);
  });

  it("parses chars: specs with escapes and extra special tokens", () => {
    const t = CharTokenizer.fromSpec("chars:ab\\n\\t\\\\", { specialTokens: ["<think>", "</think>"] });
    expect(t.alphabet).toBe("ab\n\t\\");
    expect(t.encode("<think>a</think>")).toEqual([3, 5, 4]);
    expect(() => CharTokenizer.fromSpec("abc")).toThrow(/expected "chars:<alphabet>"/);
    expect(() => CharTokenizer.fromSpec("chars:")).toThrow(/empty alphabet/);
  });

  it("writes a tokenizer.json that Hugging Face tokenizers loads and encodes identically", () => {
    const t = CharTokenizer.fromAlphabet(ALPHABET, { unk: true, specialTokens: ["<think>"] });
    const hf = new HfTokenizer(t.toJSON(), t.configJSON());
    const chars = [...ALPHABET, "<bos>", "<eos>", "<pad>", "<think>"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        const ours = t.encode(text);
        expect(hf.encode(text, { add_special_tokens: false }).ids).toEqual(ours);
        expect(hf.decode(ours, {})).toBe(t.decode(ours));
        expect(hf.decode(ours, { skip_special_tokens: true })).toBe(t.decode(ours, { skipSpecialTokens: true }));
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it("saves and reloads through tokenizer.json (detected as a char tokenizer)", () => {
    const t = CharTokenizer.fromAlphabet(ALPHABET, { specialTokens: ["<think>"] });
    const json = JSON.parse(JSON.stringify(t.toJSON()));
    expect(isCharTokenizerJSON(json)).toBe(true);
    const back = loadTokenizer(saveTokenizer(json, t.configJSON()));
    expect(back).toBeInstanceOf(CharTokenizer);
    expect(back.toJSON()).toEqual(t.toJSON());
    expect(back.encode("<think>x😀")).toEqual(t.encode("<think>x😀"));
    expect(back.eosId).toBe(2);
  });
});

describe("HFTokenizer / loadTokenizer", () => {
  // A minimal BPE tokenizer.json (whitespace pre-tokenizer, merges a+b → ab, ab+c → abc).
  const bpe = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 0, content: "<s>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 1, content: "</s>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: "Whitespace" },
    post_processor: null,
    decoder: null,
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, vocab: { "<s>": 0, "</s>": 1, a: 2, b: 3, c: 4, ab: 5, abc: 6 }, merges: ["a b", "ab c"] },
  };

  it("loads a BPE tokenizer.json with special tokens from tokenizer_config.json and config.json", () => {
    const t = loadTokenizer(saveTokenizer(bpe, { bos_token: "<s>", eos_token: { content: "</s>" } }, { pad_token_id: 1 }));
    expect(t).toBeInstanceOf(HFTokenizer);
    expect(t.encode("abc ab")).toEqual([6, 5]);
    expect(t.encode("")).toEqual([]);
    expect([t.bosId, t.eosId, t.padId]).toEqual([0, 1, 1]);
    expect(t.vocabSize).toBe(7);
    expect(t.specialIds).toEqual([0, 1]);
    expect(t.decode([6, 1], { skipSpecialTokens: true })).toBe("abc");
    expect(t.decode([])).toBe("");
    expect(t.tokenToId("ab")).toBe(5);
    expect(t.idToToken(6)).toBe("abc");
    expect(t.toJSON()).toEqual(bpe);
  });

  it("names the file when tokenizer.json is missing or invalid", () => {
    const dir = fresh();
    expect(() => loadTokenizer(dir)).toThrow(`${path.join(dir, "tokenizer.json")}: cannot read (ENOENT)`);
    writeFileSync(path.join(dir, "tokenizer.json"), "{");
    expect(() => loadTokenizer(dir)).toThrow(`${path.join(dir, "tokenizer.json")}: invalid JSON`);
    writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify({ ...bpe, model: { type: "Mystery" } }));
    expect(() => loadTokenizer(dir)).toThrow(/tokenizer\.json: cannot build tokenizer/);
  });
});
