// The head of a pipeline file shared by the pipeline tests: a one-layer tiny model and one addition task `add`,
// up to and including `stages:` (line 12), so the stages follow from line 13.

/** `name`, `seed`, the tiny model and task `add` (addition with 1..maxDigits digits), then `stages:`. */
export function tinyPipeline(name: string, seed: number, maxDigits = 1): string {
  return `name: ${name}
seed: ${seed}
model:
  preset: tiny
  hidden_size: 32
  intermediate_size: 64
  num_hidden_layers: 1
  num_attention_heads: 2
tasks:
  add:
    task: addition
    options: { minDigits: 1, maxDigits: ${maxDigits} }
stages:
`;
}
