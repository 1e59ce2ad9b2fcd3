// Tokenizers. CharTokenizer: one token per Unicode code point over a fixed alphabet plus special tokens, saved
// as an HF tokenizer.json (WordLevel model, Split pre-tokenizer isolating every character, Fuse decoder) that
// Hugging Face tokenizers load and encode identically. Any other tokenizer.json (BPE, Unigram, WordPiece) is
// served by @huggingface/tokenizers.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Tokenizer as HfTokenizerImpl } from "@huggingface/tokenizers";

export interface DecodeOptions {
  /** Drop special tokens (pad, bos, eos, unk, …) from the output. */
  skipSpecialTokens?: boolean;
}

export interface Tokenizer {
  /** Number of ids (largest id + 1). */
  readonly vocabSize: number;
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  /** Ids of all special tokens. */
  readonly specialIds: readonly number[];
  /** Text → ids. Adds no BOS/EOS; special-token strings in the text map to their ids (as in HF). */
  encode(text: string): number[];
  decode(ids: readonly number[], opts?: DecodeOptions): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** The HF tokenizer.json object. */
  toJSON(): Record<string, unknown>;
  /** The HF tokenizer_config.json object. */
  configJSON(): Record<string, unknown>;
}

export const PAD_TOKEN = "<pad>";
export const BOS_TOKEN = "<bos>";
export const EOS_TOKEN = "<eos>";
export const UNK_TOKEN = "<unk>";
const CHAR_SPLIT_REGEX = "[\\s\\S]"; // matches any single code point (Oniguruma and JS "u" mode)
export const CHAR_SPEC_PREFIX = "chars:";

export interface CharTokenizerOptions {
  /** Add `<unk>` (id 3) and map unknown characters to it instead of throwing. */
  unk?: boolean;
  /** Extra special tokens (e.g. "<think>") after the built-in ones, before the alphabet. */
  specialTokens?: readonly string[];
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `${JSON.stringify(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, "0")})`;
}

export class CharTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  readonly unkId?: number;
  readonly specialIds: readonly number[];
  /** The non-special characters in id order. */
  readonly alphabet: string;
  private readonly tokens: string[];
  private readonly ids: Map<string, number>;
  private readonly specials: string[]; // longest first, for matching in text
  private readonly specialFirstChars: Set<string>;

  /** `vocab[id]` is the token string; `specialIds` lists the ids that are special tokens (multi-char allowed). */
  constructor(vocab: readonly string[], specialIds: readonly number[]) {
    const specialSet = new Set(specialIds);
    this.tokens = [...vocab];
    this.ids = new Map();
    vocab.forEach((tok, id) => {
      if (this.ids.has(tok)) throw new Error(`CharTokenizer: token ${JSON.stringify(tok)} appears twice`);
      if (!specialSet.has(id) && [...tok].length !== 1) throw new Error(`CharTokenizer: non-special token ${JSON.stringify(tok)} is not a single character`);
      this.ids.set(tok, id);
    });
    for (const id of specialIds) if (!(id >= 0 && id < vocab.length)) throw new Error(`CharTokenizer: special id ${id} out of range`);
    this.vocabSize = vocab.length;
    this.specialIds = [...specialIds];
    this.specials = specialIds.map((id) => vocab[id]).sort((a, b) => b.length - a.length);
    this.specialFirstChars = new Set(this.specials.map((s) => s[0]));
    this.padId = this.ids.get(PAD_TOKEN);
    this.bosId = this.ids.get(BOS_TOKEN);
    this.eosId = this.ids.get(EOS_TOKEN);
    this.unkId = this.ids.get(UNK_TOKEN);
    this.alphabet = vocab.filter((_, id) => !specialSet.has(id)).join("");
  }

  /** `<pad>`=0, `<bos>`=1, `<eos>`=2, [`<unk>`=3], extra specials, then the alphabet's distinct characters in order. */
  static fromAlphabet(alphabet: string, opts: CharTokenizerOptions = {}): CharTokenizer {
    const specials = [PAD_TOKEN, BOS_TOKEN, EOS_TOKEN, ...(opts.unk ? [UNK_TOKEN] : []), ...(opts.specialTokens ?? [])];
    const chars = [...new Set([...alphabet])];
    if (chars.length === 0) throw new Error("CharTokenizer: empty alphabet");
    return new CharTokenizer([...specials, ...chars], specials.map((_, i) => i));
  }

  /** `chars:<alphabet>`; in the alphabet, `\n`, `\t` and `\\` are escapes for newline, tab and backslash. */
  static fromSpec(spec: string, opts: CharTokenizerOptions = {}): CharTokenizer {
    if (!spec.startsWith(CHAR_SPEC_PREFIX)) throw new Error(`tokenizer spec ${JSON.stringify(spec)}: expected "${CHAR_SPEC_PREFIX}<alphabet>"`);
    const body = spec.slice(CHAR_SPEC_PREFIX.length).replace(/\\(.)/gs, (m, c: string) => ({ n: "\n", t: "\t", "\\": "\\" })[c] ?? m);
    return CharTokenizer.fromAlphabet(body, opts);
  }

  /** Rebuilds from a tokenizer.json written by toJSON (see isCharTokenizerJSON). */
  static fromJSON(json: Record<string, unknown>, source = "tokenizer.json"): CharTokenizer {
    if (!isCharTokenizerJSON(json)) throw new Error(`${source}: not a character-level WordLevel tokenizer`);
    const model = json.model as { vocab: Record<string, number> };
    const vocab: string[] = [];
    for (const [tok, id] of Object.entries(model.vocab)) {
      if (!Number.isInteger(id) || id < 0) throw new Error(`${source}: model.vocab[${JSON.stringify(tok)}] = ${id} is not a valid id`);
      if (vocab[id] !== undefined) throw new Error(`${source}: id ${id} is used by ${JSON.stringify(vocab[id])} and ${JSON.stringify(tok)}`);
      vocab[id] = tok;
    }
    for (let i = 0; i < vocab.length; i++) if (vocab[i] === undefined) throw new Error(`${source}: model.vocab has no token with id ${i}`);
    const added = (json.added_tokens as { id: number; content: string; special?: boolean }[]) ?? [];
    for (const a of added) if (vocab[a.id] !== a.content) throw new Error(`${source}: added token ${JSON.stringify(a.content)} does not match model.vocab id ${a.id}`);
    return new CharTokenizer(vocab, added.filter((a) => a.special !== false).map((a) => a.id));
  }

  encode(text: string): number[] {
    const out: number[] = [];
    let i = 0;
    while (i < text.length) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
      if (this.specialFirstChars.has(ch)) {
        const special = this.specials.find((s) => text.startsWith(s, i));
        if (special !== undefined) {
          out.push(this.ids.get(special) as number);
          i += special.length;
          continue;
        }
      }
      const id = this.ids.get(ch);
      if (id === undefined) {
        if (this.unkId === undefined) throw new Error(`CharTokenizer: character ${describeChar(ch)} at offset ${i} is not in the alphabet`);
        out.push(this.unkId);
      } else out.push(id);
      i += ch.length;
    }
    return out;
  }

  decode(ids: readonly number[], opts: DecodeOptions = {}): string {
    let s = "";
    for (const id of ids) {
      const tok = this.tokens[id];
      if (tok === undefined) throw new Error(`CharTokenizer: token id ${id} out of range [0, ${this.vocabSize})`);
      if (opts.skipSpecialTokens && this.specialIds.includes(id)) continue;
      s += tok;
    }
    return s;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  toJSON(): Record<string, unknown> {
    const vocab: Record<string, number> = {};
    this.tokens.forEach((t, id) => (vocab[t] = id));
    return {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: this.specialIds.map((id) => ({ id, content: this.tokens[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
      normalizer: null,
      pre_tokenizer: { type: "Split", pattern: { Regex: CHAR_SPLIT_REGEX }, behavior: "Isolated", invert: false },
      post_processor: null,
      decoder: { type: "Fuse" },
      model: { type: "WordLevel", vocab, unk_token: UNK_TOKEN },
    };
  }

  configJSON(): Record<string, unknown> {
    const cfg: Record<string, unknown> = { tokenizer_class: "PreTrainedTokenizerFast", clean_up_tokenization_spaces: false };
    if (this.bosId !== undefined) cfg.bos_token = BOS_TOKEN;
    if (this.eosId !== undefined) cfg.eos_token = EOS_TOKEN;
    if (this.padId !== undefined) cfg.pad_token = PAD_TOKEN;
    if (this.unkId !== undefined) cfg.unk_token = UNK_TOKEN;
    return cfg;
  }
}

/** True for a tokenizer.json in CharTokenizer's shape: WordLevel over single characters, Split-every-char, Fuse. */
export function isCharTokenizerJSON(json: Record<string, unknown>): boolean {
  const model = json.model as { type?: string; vocab?: unknown } | undefined;
  const pre = json.pre_tokenizer as { type?: string; pattern?: { Regex?: string }; behavior?: string; invert?: boolean } | null | undefined;
  const decoder = json.decoder as { type?: string } | null | undefined;
  if (model?.type !== "WordLevel" || typeof model.vocab !== "object" || model.vocab === null) return false;
  if (json.normalizer !== null && json.normalizer !== undefined) return false;
  if (json.post_processor !== null && json.post_processor !== undefined) return false;
  if (pre?.type !== "Split" || pre.pattern?.Regex !== CHAR_SPLIT_REGEX || pre.behavior !== "Isolated" || pre.invert === true) return false;
  if (decoder?.type !== "Fuse") return false;
  const added = new Set(((json.added_tokens as { content: string }[]) ?? []).map((a) => a.content));
  return Object.keys(model.vocab).every((tok) => added.has(tok) || [...tok].length === 1);
}

type TokenField = string | { content?: string } | null | undefined;

function tokenContent(field: unknown): string | undefined {
  const f = field as TokenField;
  if (typeof f === "string") return f;
  if (f && typeof f === "object" && typeof f.content === "string") return f.content;
  return undefined;
}

/** Special-token ids from config.json / generation_config.json (`eos_token_id` may be a list: first wins). */
export interface TokenIdHints {
  bos_token_id?: unknown;
  eos_token_id?: unknown;
  pad_token_id?: unknown;
}

function firstId(v: unknown): number | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return Number.isInteger(x) ? (x as number) : undefined;
}

/** The part of @huggingface/tokenizers' Tokenizer used here (its bundled .d.ts does not resolve under NodeNext). */
interface HfTokenizerApi {
  encode(text: string, opts: { add_special_tokens: boolean }): { ids: (number | undefined)[] };
  decode(ids: number[], opts: { skip_special_tokens: boolean }): string;
  token_to_id(token: string): number | undefined;
  id_to_token(id: number): string | undefined;
  get_vocab(withAddedTokens: boolean): Map<string, number>;
  get_added_tokens_decoder(): Map<number, { content: string; special: boolean }>;
}

/** Any Hugging Face tokenizer.json, via @huggingface/tokenizers. */
export class HFTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  readonly specialIds: readonly number[];
  private readonly impl: HfTokenizerApi;

  constructor(
    private readonly tokenizerJson: Record<string, unknown>,
    private readonly tokenizerConfig: Record<string, unknown> = {},
    hints: TokenIdHints = {},
  ) {
    this.impl = new HfTokenizerImpl(tokenizerJson, tokenizerConfig) as HfTokenizerApi;
    let max = -1;
    for (const id of this.impl.get_vocab(true).values()) if (id > max) max = id;
    this.vocabSize = max + 1;
    const idOf = (key: string) => {
      const tok = tokenContent(tokenizerConfig[key]);
      return tok === undefined ? undefined : this.impl.token_to_id(tok);
    };
    this.bosId = idOf("bos_token") ?? firstId(hints.bos_token_id);
    this.eosId = idOf("eos_token") ?? firstId(hints.eos_token_id);
    this.padId = idOf("pad_token") ?? firstId(hints.pad_token_id);
    this.specialIds = [...this.impl.get_added_tokens_decoder()].filter(([, t]) => t.special).map(([id]) => id);
  }

  encode(text: string): number[] {
    if (text.length === 0) return [];
    const ids = this.impl.encode(text, { add_special_tokens: false }).ids;
    const bad = ids.findIndex((id) => id === undefined);
    if (bad >= 0) throw new Error(`tokenizer: piece ${bad} of ${JSON.stringify(text.slice(0, 40))} has no id (no unk_token)`);
    return ids as number[];
  }

  decode(ids: readonly number[], opts: DecodeOptions = {}): string {
    if (ids.length === 0) return "";
    return this.impl.decode([...ids], { skip_special_tokens: opts.skipSpecialTokens ?? false });
  }

  tokenToId(token: string): number | undefined {
    return this.impl.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.impl.id_to_token(id);
  }

  toJSON(): Record<string, unknown> {
    return this.tokenizerJson;
  }

  configJSON(): Record<string, unknown> {
    return this.tokenizerConfig;
  }
}

/** JSON.parse's message on one line (for short input it quotes the text, newlines included). */
export function jsonErrorMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ");
}

/** Reads a JSON object from a file; errors name the file. */
export function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("expected a JSON object");
    return v as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: invalid JSON (${jsonErrorMessage(e)})`);
  }
}

/** Loads dir/tokenizer.json (+ tokenizer_config.json, config.json for special ids when present). */
export function loadTokenizer(dir: string): Tokenizer {
  const json = readJsonObject(path.join(dir, "tokenizer.json"));
  if (isCharTokenizerJSON(json)) return CharTokenizer.fromJSON(json, path.join(dir, "tokenizer.json"));
  const cfgFile = path.join(dir, "tokenizer_config.json");
  const modelCfgFile = path.join(dir, "config.json");
  const cfg = existsSync(cfgFile) ? readJsonObject(cfgFile) : {};
  const hints = existsSync(modelCfgFile) ? (readJsonObject(modelCfgFile) as TokenIdHints) : {};
  try {
    return new HFTokenizer(json, cfg, hints);
  } catch (e) {
    throw new Error(`${path.join(dir, "tokenizer.json")}: cannot build tokenizer (${(e as Error).message})`);
  }
}
