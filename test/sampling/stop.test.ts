// Stop strings: findStop (earliest match, cut before or after it) and the Generator's includeStopStrInOutput, which
// keeps the stop string at the end of the text and leaves the tokens unchanged.
import { describe, expect, it } from "vitest";
import type { GenerateOptions } from "../../src/sampling/generate.js";
import { findStop } from "../../src/sampling/stop.js";
import { testModel, tokenizer } from "./model.js";

describe("findStop", () => {
  it("cuts before the stop string by default and after it with includeStop", () => {
    expect(findStop("<answer>4</answer> more", ["</answer>"])).toEqual({ text: "<answer>4", stop: "</answer>" });
    expect(findStop("<answer>4</answer> more", ["</answer>"], true)).toEqual({ text: "<answer>4</answer>", stop: "</answer>" });
    expect(findStop("<answer>4</ans", ["</answer>"], true)).toBeNull();
    expect(findStop("abc", [])).toBeNull();
    expect(findStop("abc", [""])).toBeNull();
  });

  it("the earliest occurrence wins, then the order of the list", () => {
    expect(findStop("xaby", ["b", "ab"])).toEqual({ text: "x", stop: "ab" });
    expect(findStop("xaby", ["ab", "a"], true)).toEqual({ text: "xab", stop: "ab" });
    expect(findStop("xaby", ["a", "ab"], true)).toEqual({ text: "xa", stop: "a" });
  });
});

describe("Generator with includeStopStrInOutput", () => {
  const specials = [tokenizer.padId!, tokenizer.bosId!, tokenizer.eosId!];
  const base: GenerateOptions = { temperature: 1, seed: 5, maxTokens: 16, ignoreEos: true, bannedTokenIds: specials };

  it("keeps the stop string at the end of the text; tokens, log-probs and stop reason are as without it", async () => {
    const { gen } = await testModel();
    const [ref] = await gen.generate(["abc"], base);
    const stop = ref.text.slice(4, 6);
    const at = ref.text.indexOf(stop);
    const [cut] = await gen.generate(["abc"], { ...base, stop: [stop] });
    const [kept] = await gen.generate(["abc"], { ...base, stop: [stop], includeStopStrInOutput: true });
    expect(cut.text).toBe(ref.text.slice(0, at));
    expect(kept.text).toBe(ref.text.slice(0, at + stop.length));
    expect(kept.text.endsWith(stop)).toBe(true);
    expect(kept.text).toBe(tokenizer.decode(kept.tokenIds));
    expect(kept.tokenIds).toEqual(cut.tokenIds);
    expect(kept.logprobs).toEqual(cut.logprobs);
    expect(kept.finishReason).toBe("stop");
    expect(kept.stopReason).toBe(stop);
  });
});
