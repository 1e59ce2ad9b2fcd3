// The budget of an experiment that primes a model by SFT and then runs GRPO from it (grpo-variants, priming):
// every arm gets the same numbers, so they are declared once per experiment as a FULL and a QUICK budget.

export interface SftGrpoBudget {
  sftExamples: number;
  sftSteps: number;
  sftBatch: number;
  sftLr: number;
  grpoSteps: number;
  batchSize: number;
  numGenerations: number;
  learningRate: number;
  evalProblems: number;
  /** samples per held-out problem at temperature 1 */
  evalSamples: number;
  /** steps averaged in the table and the plotted moving average */
  window: number;
}
