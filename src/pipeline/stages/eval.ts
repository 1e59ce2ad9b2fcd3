// The `eval` stage type: greedy accuracy (and maj@k / pass@k over k samples) of `model` on held-out examples of
// `task` (indices from EVAL_INDEX_OFFSET on), via evaluatePolicy. One metrics row (kind "eval", step 0) and a few
// greedy completions in samples.jsonl. Re-running it (on --resume after a crash) gives the same numbers.
import { z } from "zod";
import { additionDigitsBucket, evaluatePolicy } from "../../algorithms/evaluate.js";
import type { MetricsRow } from "../../run/run-dir.js";
import { Generator } from "../../sampling/generate.js";
import { defineStage, required } from "../stage-kind.js";
import { EVAL_INDEX_OFFSET } from "../tasks.js";

/** Greedy completions written to samples.jsonl per eval stage. */
const LOGGED_SAMPLES = 8;

export const evalStageOptionsSchema = z.strictObject({
  n: z.number().int().positive().default(100).describe("held-out problems"),
  offset: z.number().int().nonnegative().default(EVAL_INDEX_OFFSET).describe("index of the first held-out problem"),
  k: z.number().int().nonnegative().default(0).describe("samples per problem for maj@k and pass@k (0: greedy only)"),
  temperature: z.number().nonnegative().default(1).describe("temperature of the k samples"),
  top_p: z.number().gt(0).lte(1).default(1).describe("nucleus sampling of the k samples"),
  max_tokens: z.number().int().positive().optional().describe("completion tokens at most (default: the context left after the longest prompt)"),
  batch_size: z.number().int().positive().default(64).describe("sequences decoded together"),
});

export const evalStage = defineStage({
  type: "eval",
  description: "greedy accuracy (and maj@k, pass@k with k samples) on held-out examples of a task",
  data: "none",
  task: "required",
  produces: { checkpoint: false, dataset: false },
  options: evalStageOptionsSchema,
  async run(ctx, inputs, o) {
    const task = required(inputs.task, ctx.stage, "task");
    const { config, params, tokenizer } = inputs.model;
    const examples = task.examples(o.n, o.offset);
    const longest = Math.max(...examples.map((e) => tokenizer.encode(task.prompt(e)).length + 1));
    const room = config.max_position_embeddings - longest;
    if (room < 1) throw new Error(`stage "${ctx.stage}": a prompt of ${longest} tokens leaves no room in the model's context of ${config.max_position_embeddings}`);
    const maxTokens = Math.min(o.max_tokens ?? room, room);
    if (o.max_tokens !== undefined && o.max_tokens > room) {
      ctx.say(`warning [${ctx.stage}]: max_tokens ${o.max_tokens} does not fit after the longest prompt (${longest} tokens) in the context of ${config.max_position_embeddings}; completions stop at ${room} tokens (raise max_position_embeddings)`);
    }
    ctx.run.rewind(ctx.stage, -1); // an interrupted earlier attempt logged nothing that counts
    const gen = await Generator.create({ config, params, tokenizer, threads: ctx.threads, frozen: true });
    const r = await evaluatePolicy(gen, task.task, examples, {
      template: task.template, maxTokens, k: o.k, temperature: o.temperature, topP: o.top_p, seed: ctx.seed,
      stop: task.template?.stop, maxBatch: o.batch_size, bucket: task.name === "addition" ? additionDigitsBucket : undefined,
    });
    const byBucket = Object.fromEntries(Object.entries(r.byBucket).map(([b, a]) => [b, a.greedy]));
    const row: MetricsRow = { stage: ctx.stage, step: 0, kind: "eval", accuracy: r.greedyAccuracy, problems: r.problems };
    if (r.k) Object.assign(row, { [`maj@${r.k}`]: r.majAccuracy ?? null, [`pass@${r.k}`]: r.passAtK ?? null });
    if (Object.keys(byBucket).length > 1) row.accuracy_by_bucket = byBucket;
    ctx.run.logMetrics(row);
    ctx.run.logSamples(r.records.slice(0, LOGGED_SAMPLES).map((rec) => ({
      stage: ctx.stage, step: 0, question: rec.question, answer: rec.answer, completion: rec.greedy.completion, correct: rec.greedy.correct,
    })));
    const summary: Record<string, unknown> = { accuracy: r.greedyAccuracy, problems: r.problems };
    if (r.k) Object.assign(summary, { [`maj@${r.k}`]: r.majAccuracy, [`pass@${r.k}`]: r.passAtK });
    if (Object.keys(byBucket).length > 1) summary.accuracy_by_bucket = byBucket;
    return { summary };
  },
});
