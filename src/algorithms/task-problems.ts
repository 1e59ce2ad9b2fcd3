// Problems of a generated task for a stage: examples task.generate({ seed, index }) for index = offset, offset+1, …,
// skipping any whose question is in `exclude` (a held-out evaluation set), so training never sees an evaluation
// problem. A pure function of its arguments: a skipped index is consumed, never retried with another seed.
import type { AnyTask } from "../tasks/registry.js";
import type { Example } from "../tasks/types.js";

export interface ProblemDraw {
  seed: number;
  /** first generator index */
  offset: number;
  count: number;
  taskOptions?: Record<string, unknown>;
  /** questions never to return (compared exactly, e.g. "6 2 4 + 2 5 9" for addition) */
  exclude?: ReadonlySet<string>;
}

/** Upper bound on skipped indices per drawn problem before giving up (the exclusion covers the whole space). */
const MAX_SKIPS_PER_PROBLEM = 1000;

export function drawProblems(task: AnyTask, d: ProblemDraw): Example[] {
  const out: Example[] = [];
  let index = d.offset;
  let skipped = 0;
  while (out.length < d.count) {
    const ex = task.generate({ seed: d.seed, index: index++, ...d.taskOptions });
    if (d.exclude?.has(ex.question)) {
      if (++skipped > MAX_SKIPS_PER_PROBLEM * d.count) throw new Error(`task ${task.name}: could not draw ${d.count} problems outside the held-out set (task_options too narrow?)`);
      continue;
    }
    out.push(ex);
  }
  return out;
}
