// How a task's answers fall into votes for maj@k and self-consistency: math answers by mathematical equivalence
// (0.5 = \frac12, through the math grader), addition by the digits of the sum ("0 8 8 3" = "8 8 3"), multiple choice
// by the letter, anything else by exact string.
import type { Equivalence } from "../metrics/voting.js";
import { mathEqual } from "../tasks/math/index.js";

/**
 * The equivalence that groups a task's answers into votes, by task name (`taskEquivalence("math")`, or `task.name` of
 * a Task); undefined (exact string) for any other task.
 */
export function taskEquivalence(task: string): Equivalence | undefined {
  switch (task) {
    case "math":
      return { equivalent: (a, b) => a === b || mathEqual(a, b) };
    case "addition":
      return { canonical: (a) => a.replace(/\s+/g, "").replace(/^0+(?=\d)/, "") };
    case "multiple-choice":
      return { canonical: (a) => a.trim().toUpperCase() };
    default:
      return undefined;
  }
}
