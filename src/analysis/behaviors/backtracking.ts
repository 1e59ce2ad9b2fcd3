// Backtracking: "realizes a path won't work and explicitly goes back to try a different approach" (Gandhi et al.
// 2025, the cognitive-behaviors judge prompts). The rules recognize going back, starting over, trying another way,
// declaring a dead end, catching one's own mistake, and Stream-of-Search's return to a node after a dead end.
import { APOS, lines, regexRule, type BehaviorRule, type RuleMatch } from "./rules.js";

/** "let's go back", "going back to", "backtrack", "step back". */
export const GO_BACK = regexRule(
  "go_back",
  "going back in the reasoning: backtrack(ing), revisit, a sentence opening with 'Going back to' / 'Back to', or go / going / get / come / step back followed by 'and', punctuation, or 'to' + the / my / our / that / this / step / where / before / earlier / previous / original / start / a number / an -ing word (so 'go back to school' is not one)",
  /\b(?:backtrack(?:s|ing|ed)?\b|revisit(?:ing)?\b|(?:go|going|goes|went|get|getting|come|coming|step|stepping)\s+back(?=\s*(?:and\b|[,.:;!?]|$)|\s+to\s+(?:the|my|our|that|this|step|where|before|earlier|previous|original|start|beginning|\d|[a-z]+ing\b)))|(?:^|(?<=[.!?:]\s+)|(?<=\n))(?:going back|back) to\b/,
);

/** "start over", "scratch that", "from scratch", "let me redo", "retry". */
export const START_OVER = regexRule(
  "start_over",
  "starting over: start over / again / from scratch, scratch that, scrap (abandon, give up on) this / that / it / the …, redo, retry, reconsider, rethink",
  /\b(?:start(?:ing)?\s+(?:over|again|from scratch)|scratch that|(?:scrap|abandon|give up on|drop)(?:ping|ing)?\s+(?:this|that|it|the (?:idea|approach|path|plan|attempt|method))\b|redo(?:ing)?\b|retry(?:ing)?\b|re-?(?:consider|think)(?:ing)?\b)/,
);

/** "try a different combination", "another approach", "try again", "alternatively". */
export const TRY_ANOTHER = regexRule(
  "try_another",
  "another way: try again / something else / a different (another, other, new) …, a different approach (way, combination, …), alternatively",
  /\b(?:(?:try|trying|tried|attempt)\s+(?:again|something else|(?:an?\s+)?(?:different|another|other|new|alternative)\b)|(?:different|another|alternative|other)\s+(?:approach|way|method|strategy|combination|path|route|option|idea|attempt|pair|order)s?\b|alternatively\b)/,
);

/** "that doesn't work", "won't work", "dead end", "no luck", "not possible". */
export const DEAD_END = regexRule(
  "dead_end",
  "a path declared failed: doesn't / won't / didn't / can't work, dead end, leads (led, going) nowhere, no luck, no good, that fails, not possible, impossible",
  `\\b(?:(?:doesn${APOS}t|does not|won${APOS}t|will not|didn${APOS}t|did not|can${APOS}t|cannot|isn${APOS}t going to)\\s+work\\b|dead[- ]end|no luck|no good|(?:leads?|led|leading|going|goes|went|get(?:ting)?)\\s+nowhere|not getting anywhere|(?:that|this|it) fails|not possible|impossible)`,
);

/** "Wait, that's wrong", "oops, I made a mistake", "actually, that is incorrect", "I miscalculated". */
export const MISTAKE_CAUGHT = regexRule(
  "mistake_caught",
  "one's own mistake caught: (wait / hmm / oops / no / actually) that's (was, is) wrong / incorrect / not right / a mistake, I made a mistake, I miscalculated, I dropped / forgot / missed / misread …, my mistake",
  `\\b(?:(?:wait|hmm+|oops|no|actually|but)\\b[,.!]?\\s+(?:that|this|it|my|the)\\s*(?:${APOS}s|is|was|answer is|result is|calculation is)?\\s+(?:wrong|incorrect|not right|not correct|a mistake|an error|mistaken)|i (?:made|make) (?:a|an) (?:mistake|error)|my mistake|i miscalculated|(?:i|we) (?:dropped|forgot|missed|misread|miscounted|mixed up|messed up|overlooked) |that was (?:wrong|a mistake))`,
);

/** Sentence-initial "Instead," — abandoning the current line for another. */
export const INSTEAD = regexRule(
  "instead",
  "a sentence that opens with 'Instead' (the current line abandoned for another)",
  /(?:^|(?<=[.!?:]\s+)|(?<=\n))instead\b/,
);

/** Stream-of-Search: "Moving to Node #…" right after a "No Solution" line — the search returns to an earlier node. */
export const SOS_RETURN: BehaviorRule = {
  name: "sos_return",
  doc: "Stream-of-Search: a 'Moving to Node #…' line whose previous non-empty line ends in 'No Solution' (after a dead end the search goes back to an earlier node)",
  find(text: string): RuleMatch[] {
    const out: RuleMatch[] = [];
    let previous = "";
    for (const line of lines(text)) {
      const t = line.text.trim();
      if (t === "") continue;
      if (/^Moving to Node #[\d,]+$/.test(t) && /No Solution$/.test(previous)) {
        const start = line.start + line.text.indexOf("Moving");
        out.push({ start, end: start + t.length });
      }
      previous = t;
    }
    return out;
  },
};

export const BACKTRACKING_RULES: readonly BehaviorRule[] = [GO_BACK, START_OVER, TRY_ANOTHER, DEAD_END, MISTAKE_CAUGHT, INSTEAD, SOS_RETURN];
