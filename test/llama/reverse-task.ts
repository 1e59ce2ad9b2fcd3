// The toy task of the learnability test (and of the first `ratio demo`): reverse a short string.
//   "<bos>abcd>dcba<eos>" — the model sees "abcd>" and must write the reversal, then stop.
// Examples are a pure function of (seed, index).
import { Rng } from "../../src/util/rng.js";

export const REVERSE_ALPHABET = "abcdefghij";
export const REVERSE_SEPARATOR = ">";
/** Tokenizer alphabet for the task: letters and the separator. */
export const REVERSE_VOCAB = `chars:${REVERSE_ALPHABET}${REVERSE_SEPARATOR}`;

export interface ReverseExample {
  input: string;
  prompt: string;
  answer: string;
}

export function reverseExample(seed: number, index: number, minLen = 3, maxLen = 8): ReverseExample {
  const rng = new Rng(`reverse:${seed}:${index}`);
  const len = minLen + rng.int(maxLen - minLen + 1);
  let input = "";
  for (let i = 0; i < len; i++) input += REVERSE_ALPHABET[rng.int(REVERSE_ALPHABET.length)];
  return { input, prompt: input + REVERSE_SEPARATOR, answer: [...input].reverse().join("") };
}

/** Exact match of a completion (the text generated after the prompt) against the reversal. */
export function reverseCorrect(ex: ReverseExample, completion: string): boolean {
  return completion === ex.answer;
}
