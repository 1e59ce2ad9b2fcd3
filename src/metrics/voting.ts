// Answer classes and the plurality vote of majority voting (self-consistency).
//
// Answers are grouped into equivalence classes by a caller-supplied `canonical(a)` key or `equivalent(a, b)`
// predicate (so `0.5` and `\frac12` are one vote under a math equivalence); the default is exact string equality.
// With `equivalent`, each answer joins the first earlier class whose representative (first member) it is
// equivalent to, as s1 maps each answer onto earlier ones. `null` (no extracted answer) never votes.
//
// Plurality: the class with the most votes wins; a tie goes to the class whose first vote comes earliest in
// sample order (as Python's Counter.most_common and lighteval's `max(answers, key=count)` do). A vote with no
// non-null answers has no winner, which counts as wrong.

export type Equivalence =
  | { canonical: (answer: string) => string }
  | { equivalent: (a: string, b: string) => boolean };

export interface AnswerClass {
  /** The class's first answer in sample order. */
  representative: string;
  /** Sample indices of the class, ascending. */
  members: number[];
}

export interface AnswerClasses {
  classes: AnswerClass[];
  /** Class index of every sample; −1 for a null answer. */
  classOf: number[];
}

export function groupAnswers(answers: readonly (string | null)[], equivalence?: Equivalence): AnswerClasses {
  const classes: AnswerClass[] = [];
  const classOf: number[] = [];
  const byKey = new Map<string, number>();
  const keyOf = equivalence && "canonical" in equivalence ? equivalence.canonical : (a: string) => a;
  const equivalent = equivalence && "equivalent" in equivalence ? equivalence.equivalent : null;
  answers.forEach((answer, i) => {
    if (answer === null) {
      classOf.push(-1);
      return;
    }
    let cls = -1;
    if (equivalent) {
      cls = classes.findIndex((c) => equivalent(answer, c.representative));
    } else {
      cls = byKey.get(keyOf(answer)) ?? -1;
    }
    if (cls < 0) {
      cls = classes.length;
      classes.push({ representative: answer, members: [] });
      if (!equivalent) byKey.set(keyOf(answer), cls);
    }
    classes[cls].members.push(i);
    classOf.push(cls);
  });
  return { classes, classOf };
}

/** Winning class among the samples `indices` (ascending), or −1 when none of them has an answer. */
export function pluralityWinner(classOf: readonly number[], indices: Iterable<number>): number {
  const counts = new Map<number, number>(); // insertion order = order of first vote
  for (const i of indices) {
    const c = classOf[i];
    if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = -1;
  let bestCount = 0;
  for (const [c, count] of counts) {
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}
