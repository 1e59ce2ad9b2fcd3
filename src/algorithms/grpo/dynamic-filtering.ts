// DAPO's dynamic sampling (Yu et al. 2025, §3.2, "over-sample and filter out prompts with the accuracy equal to 1
// and 0"): a group whose G rewards are all equal has zero advantages and no policy gradient, so it is dropped and
// more prompts are sampled, batch by batch, until B groups with
//   std_g(r) > 0   (some but not all rewards differ)
// are collected or `maxBatches` batches were drawn (verl's max_num_gen_batches). The first B kept groups train;
// with fewer, the step trains on the ones it has (and skips the update when it has none).

export interface FilteredGroups<G> {
  /** every group generated this step, in order */
  generated: G[][];
  /** the groups that train: the first B with signal (dynamic filtering), or all of them */
  kept: G[][];
  /** batches sampled (1 without dynamic filtering) */
  batches: number;
}

/** True when a group's rewards are not all equal. */
export function hasSignal(rewards: readonly number[]): boolean {
  return rewards.some((r) => r !== rewards[0]);
}

/**
 * Samples batch 0, 1, … with `sample(batch)` (each a list of groups) until `batchSize` groups have signal or
 * `maxBatches` batches were drawn; without `dynamic`, one batch whose groups all train.
 */
export async function collectGroups<G>(
  sample: (batch: number) => Promise<G[][]>,
  rewardOf: (item: G) => number,
  o: { batchSize: number; dynamic: boolean; maxBatches: number },
): Promise<FilteredGroups<G>> {
  if (!Number.isInteger(o.maxBatches) || o.maxBatches < 1) throw new Error(`collectGroups: maxBatches must be an integer ≥ 1, got ${o.maxBatches}`);
  const generated: G[][] = [];
  if (!o.dynamic) {
    generated.push(...(await sample(0)));
    return { generated, kept: generated, batches: 1 };
  }
  const kept: G[][] = [];
  let batches = 0;
  while (batches < o.maxBatches && kept.length < o.batchSize) {
    const groups = await sample(batches++);
    generated.push(...groups);
    for (const g of groups) if (hasSignal(g.map(rewardOf))) kept.push(g);
  }
  return { generated, kept: kept.slice(0, o.batchSize), batches };
}
