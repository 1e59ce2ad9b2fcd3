// The machinery of the rule-based behavior detectors: a rule finds character ranges in a trace; each behavior is a
// list of named, documented rules (verification.ts, backtracking.ts, subgoal-setting.ts, backward-chaining.ts).
// Lexical baseline for the four behaviors of Gandhi et al. 2025, "Cognitive Behaviors that Enable Self-Improving
// Reasoners" (kanishkg/cognitive-behaviors), which labels traces with an LLM judge only.

/** A matched character range [start, end) of a trace. */
export interface RuleMatch {
  start: number;
  end: number;
}

export interface BehaviorRule {
  /** short snake_case name, reported in each span's `rule` */
  readonly name: string;
  /** what the rule recognizes, in a sentence (docs/analysis.md lists them) */
  readonly doc: string;
  find(text: string): RuleMatch[];
}

/** Apostrophes as they occur in model text: ASCII and the typographic right quote. */
export const APOS = "['\u2019]";

/** A rule from a regular expression (compiled with the g flag, plus the given flags; case-insensitive by default). */
export function regexRule(name: string, doc: string, pattern: RegExp | string, flags = "i"): BehaviorRule {
  const source = typeof pattern === "string" ? pattern : pattern.source;
  const base = typeof pattern === "string" ? flags : pattern.flags.replace("g", "") || flags;
  const re = new RegExp(source, base.includes("g") ? base : base + "g");
  return {
    name,
    doc,
    find(text: string): RuleMatch[] {
      const out: RuleMatch[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        out.push({ start: m.index, end: m.index + m[0].length });
      }
      return out;
    },
  };
}

/** The lines of a text with their start offsets (without the line break). */
export function lines(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    out.push({ start, text: text.slice(start, end).replace(/\r$/, "") });
    if (nl < 0) return out;
    start = nl + 1;
  }
}
