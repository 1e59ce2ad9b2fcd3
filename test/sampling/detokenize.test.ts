import { describe, expect, it } from "vitest";
import { CharTokenizer } from "../../src/model/tokenizer.js";
import { IncrementalText, type IdDecoder } from "../../src/sampling/detokenize.js";
import { Rng } from "../../src/util/rng.js";

/** Byte-level tokens (as byte-level BPE's byte fallback): a partial UTF-8 sequence decodes to U+FFFD. */
const bytes: IdDecoder = { decode: (ids) => new TextDecoder("utf-8", { fatal: false }).decode(Uint8Array.from(ids)) };

/** SentencePiece-style pieces: "▁" is a space, and the decode of a sequence drops its one leading space. */
const PIECES = ["▁the", "▁cat", "re", "s", "▁", "▁sat", "ing", "."];
const metaspace: IdDecoder = { decode: (ids) => ids.map((i) => PIECES[i]).join("").replace(/▁/g, " ").replace(/^ /, "") };

function check(dec: IdDecoder, ids: number[]): void {
  const inc = new IncrementalText(dec);
  for (let n = 1; n <= ids.length; n++) {
    const text = inc.sync(ids.slice(0, n));
    const full = dec.decode(ids.slice(0, n)).replace(/\uFFFD+$/, "");
    expect(text).toBe(full);
  }
}

describe("IncrementalText", () => {
  it("equals the full decode after every token (character tokenizer)", () => {
    const tok = CharTokenizer.fromSpec("chars:abc <>/0123456789");
    const rng = new Rng("detok-char");
    const ids = Array.from({ length: 300 }, () => 3 + Math.floor(rng.uniform() * (tok.vocabSize - 3)));
    check(tok, ids);
  });

  it("holds back an incomplete UTF-8 character and emits it once complete (byte tokens)", () => {
    const text = "a é 中 😀 bc ü".repeat(10);
    const ids = Array.from(new TextEncoder().encode(text));
    check(bytes, ids);
    const inc = new IncrementalText(bytes);
    const euro = Array.from(new TextEncoder().encode("€")); // 3 bytes
    expect(inc.sync(euro.slice(0, 1))).toBe("");
    expect(inc.sync(euro.slice(0, 2))).toBe("");
    expect(inc.sync(euro)).toBe("€");
  });

  it("keeps the spaces a decoder drops at the start of a window (SentencePiece pieces)", () => {
    const rng = new Rng("detok-sp");
    const ids = Array.from({ length: 200 }, () => Math.floor(rng.uniform() * PIECES.length));
    check(metaspace, ids);
  });

  it("decodes from the start again after reset, and refuses ids shorter than what it has seen", () => {
    const tok = CharTokenizer.fromSpec("chars:abc");
    const inc = new IncrementalText(tok);
    const ids = tok.encode("abcabc");
    inc.sync(ids);
    expect(() => inc.sync(ids.slice(0, 2))).toThrow(/call reset/);
    inc.reset();
    expect(inc.sync(ids.slice(0, 2))).toBe("ab");
    expect(inc.sync([...ids.slice(0, 2), ...tok.encode("cc")])).toBe("abcc");
  });
});
