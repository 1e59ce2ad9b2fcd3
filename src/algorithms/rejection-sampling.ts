// Rejection sampling (RFT, Yuan et al. 2023, "Scaling relationship on learning mathematical reasoning"; the filter
// step of STaR and of best-of-n SFT data): k samples per prompt from the policy, each scored by the task; the
// correct ones become an SFT dataset.
//   keep(p) = { y_j : score(y_j, p) correct, j < k }
//     dedupe:       identical completion texts count once (the first sample wins)
//     shortest:     only the shortest correct completion (in tokens; ties → the earliest sample)
//     max_per_prompt: at most m per prompt, in sample order
// The dataset (datasets/<stage>/kept.jsonl) carries its lineage: source checkpoint, seeds, sampling settings and
// each row's problem id. With `teacher`, the samples come from a teacher model on an OpenAI-compatible server
// instead of the stage's model: distillation (teacher.ts). Deterministic (the stage's own model): the problems are task.generate({ seed: problem_seed, index }) and each
// sample draws from its own RNG stream (seed, problem, sample), so re-running the stage (the resume) rewrites the
// same file.
import { z } from "zod";
import { writeDataset, type DatasetRow } from "../run/dataset.js";
import type { StageContext, StageResult } from "../run/stage.js";
import { Generator } from "../sampling/generate.js";
import { getTask, parseTaskOptions } from "../tasks/registry.js";
import { getTemplate } from "../templates/registry.js";
import { modelSource, type ModelInput } from "./model-input.js";
import { checkCompletionFits, rollout, type Rollout } from "./rollout.js";
import { completedStage, runModelStage } from "./stage-frame.js";
import { teacherBackend, teacherName, teacherOptionsSchema, teacherRollout, teacherURLs, type TeacherOptions } from "./teacher.js";
import { drawProblems } from "./task-problems.js";
import { parseStageOptions } from "./stage-options.js";

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();

export const REJECTION_SAMPLING_STAGE_KIND = "rejection_sampling";

export const rejectionSamplingOptionsSchema = z.strictObject({
  task: z.string().default("addition").describe("task that generates and scores the problems (see `ratio tasks list`)"),
  task_options: z.record(z.string(), z.unknown()).default({}).describe("options of the task's generator, e.g. { minDigits: 1, maxDigits: 3 }"),
  template: z.string().nullable().default(null).describe("prompt template (r1, star, …); null: the task's native prompt"),
  problems: posInt.default(64).describe("prompts sampled: task.generate({ seed: problem_seed, index: problem_offset + i }), i < problems"),
  problem_seed: z.number().int().nullable().default(null).describe("seed of the problem generator; null: the stage seed"),
  problem_offset: nonNegInt.default(0).describe("generator index of the first problem"),
  samples_per_prompt: posInt.default(8).describe("completions sampled per prompt, k"),
  temperature: z.number().nonnegative().default(1).describe("sampling temperature (0: greedy, so k > 1 repeats one completion)"),
  top_p: z.number().gt(0).max(1).default(1).describe("nucleus sampling; 1 disables"),
  top_k: nonNegInt.default(0).describe("top-k sampling; 0 disables"),
  max_completion_length: posInt.default(192).describe("new tokens at most per completion (prompt + this must fit the model's context)"),
  shortest: z.boolean().default(false).describe("keep only the shortest correct completion of each prompt (in tokens)"),
  dedupe: z.boolean().default(true).describe("drop a correct completion whose text equals an earlier kept one of the same prompt"),
  max_per_prompt: posInt.nullable().default(null).describe("keep at most this many correct completions per prompt; null: all"),
  max_batch: posInt.default(64).describe("sequences decoded together (bounds memory; results do not depend on it)"),
  teacher: teacherOptionsSchema.nullable().default(null).describe("sample a teacher on an OpenAI-compatible server instead of the stage's model (distillation): { base_url, model, chat, api_key_env, … }"),
});

export type RejectionSamplingOptions = z.output<typeof rejectionSamplingOptionsSchema>;
export type RejectionSamplingOptionsInput = z.input<typeof rejectionSamplingOptionsSchema>;

/** Validates options; errors name the field. */
export function parseRejectionSamplingOptions(raw: unknown, where = "rejection_sampling options"): RejectionSamplingOptions {
  const o = parseStageOptions(rejectionSamplingOptionsSchema, raw, where);
  if (o.teacher && o.top_k !== 0) throw new Error(`${where}: field top_k: not part of the OpenAI API, so not sent to a teacher; leave it 0 with teacher`);
  return o;
}

export interface SelectOptions {
  shortest?: boolean;
  dedupe?: boolean;
  maxPerPrompt?: number | null;
}

/** What the filter and the dataset row need of a sample: the policy's rollouts and a teacher's samples alike. */
export type Sample = Pick<Rollout, "example" | "problemIndex" | "sampleIndex" | "prompt" | "completion" | "score">;

/** A sample's length for `shortest`: generated tokens, or (a teacher whose server gave no count) characters. */
function sampleLength(r: Sample): number {
  if ("tokenIds" in r && Array.isArray(r.tokenIds)) return r.tokenIds.length;
  if ("tokens" in r && typeof r.tokens === "number") return r.tokens;
  return r.completion.length;
}

/** A kept rollout as an SFT dataset row (prompt, completion, the problem's id, question and answer, sample index). */
export function keptRow(r: Sample, extra: Record<string, unknown> = {}, prompt = r.prompt): DatasetRow {
  return { prompt, completion: r.completion, problem_id: r.example.id, question: r.example.question, answer: r.example.answer, sample_index: r.sampleIndex, ...extra };
}

/**
 * The correct rollouts to keep, problem by problem (in problem order, then sample order). `rollouts` may hold
 * several problems; each problem's samples are filtered on their own.
 */
export function selectCorrect<T extends Sample>(rollouts: readonly T[], o: SelectOptions = {}): T[] {
  const byProblem = new Map<number, T[]>();
  for (const r of rollouts) {
    if (!r.score.correct) continue;
    let list = byProblem.get(r.problemIndex);
    if (!list) byProblem.set(r.problemIndex, (list = []));
    list.push(r);
  }
  const out: T[] = [];
  for (const p of [...byProblem.keys()].sort((a, b) => a - b)) {
    let list = byProblem.get(p)!.slice().sort((a, b) => a.sampleIndex - b.sampleIndex);
    if (o.dedupe) {
      const seen = new Set<string>();
      list = list.filter((r) => (seen.has(r.completion) ? false : (seen.add(r.completion), true)));
    }
    if (o.shortest) list = [list.reduce((best, r) => (sampleLength(r) < sampleLength(best) ? r : best))];
    if (o.maxPerPrompt != null) list = list.slice(0, o.maxPerPrompt);
    out.push(...list);
  }
  return out;
}

/**
 * Samples, filters and writes the dataset. Resuming a complete stage returns its dataset; an incomplete one is
 * run again from the start (it is deterministic and writes nothing until the end).
 */
export async function runRejectionSampling(ctx: StageContext, model: ModelInput, opts: RejectionSamplingOptionsInput = {}): Promise<StageResult> {
  const o = parseRejectionSamplingOptions(opts);
  const task = getTask(o.task);
  const taskOptions = parseTaskOptions(o.task, o.task_options);
  const template = o.template === null ? undefined : getTemplate(o.template);
  const done = completedStage(ctx, "dataset");
  if (done) return done;
  const { run, stage } = ctx;
  const problemSeed = o.problem_seed ?? ctx.seed;
  const lineage = {
    stage, seed: ctx.seed, task: o.task, task_options: taskOptions, template: o.template, problem_seed: problemSeed, problem_offset: o.problem_offset, problems: o.problems,
    sampling: { samples_per_prompt: o.samples_per_prompt, temperature: o.temperature, top_p: o.top_p, top_k: o.top_k, max_completion_length: o.max_completion_length },
    filter: { shortest: o.shortest, dedupe: o.dedupe, max_per_prompt: o.max_per_prompt },
  };
  const draw = () => drawProblems(task, { seed: problemSeed, offset: o.problem_offset, count: o.problems, taskOptions: o.task_options });
  const sampling = (who: string) => ctx.say(`${stage}: sampling ${o.samples_per_prompt} completions from ${who} for each of ${o.problems} ${o.task} problems`);
  if (o.teacher) {
    const teacher = o.teacher;
    return teacherStage(ctx, teacher, async () => {
      sampling(`the teacher ${teacherName(teacher)}`);
      const backend = teacherBackend(teacher);
      const samples = await teacherRollout(backend, teacher.chat, task, draw(), {
        n: o.samples_per_prompt, temperature: o.temperature, topP: o.top_p, maxTokens: o.max_completion_length, seed: ctx.seed, template,
      }).finally(() => backend.close());
      const source = { base_url: teacherURLs(teacher), model: teacher.model, chat: teacher.chat };
      return keepAndWrite(ctx, o, samples, (r) => r.tokens, { ...lineage, teacher: source });
    });
  }
  return runModelStage(ctx, REJECTION_SAMPLING_STAGE_KIND, model, async (input) => {
    run.rewind(stage, -1); // a re-run logs its row again
    const gen = await Generator.create({ config: input.config, params: input.params, tokenizer: input.tokenizer, threads: ctx.threads, frozen: true });
    const problems = draw();
    checkCompletionFits(gen, problems.map((e) => task.prompt(e, template)), o.max_completion_length, `rejection_sampling stage "${stage}"`);
    sampling("the model");
    const rollouts = await rollout(gen, task, problems, {
      n: o.samples_per_prompt, temperature: o.temperature, topP: o.top_p, topK: o.top_k, maxTokens: o.max_completion_length,
      seed: ctx.seed, template, maxBatch: o.max_batch,
    });
    return keepAndWrite(ctx, o, rollouts, (r) => r.tokenIds.length, { ...lineage, sourceCheckpoint: modelSource(input) });
  });
}

/** The frame of a teacher's stage: started in the manifest naming the teacher, failed if `body` throws. */
async function teacherStage(ctx: StageContext, teacher: TeacherOptions, body: () => Promise<StageResult>): Promise<StageResult> {
  ctx.run.startStage(ctx.stage, REJECTION_SAMPLING_STAGE_KIND, { teacher: teacherName(teacher) });
  ctx.run.rewind(ctx.stage, -1);
  try {
    return await body();
  } catch (e) {
    ctx.run.failStage(ctx.stage, (e as Error).message);
    throw e;
  }
}

/** Filters the samples, writes datasets/<stage>/kept.jsonl with its lineage, logs the sampling row, finishes the stage. */
function keepAndWrite<T extends Sample & { truncated: boolean }>(
  ctx: StageContext, o: RejectionSamplingOptions, samples: readonly T[], tokens: (r: T) => number | null, lineage: Parameters<typeof writeDataset>[2],
): StageResult {
  const { run, stage } = ctx;
  const kept = selectCorrect(samples, { shortest: o.shortest, dedupe: o.dedupe, maxPerPrompt: o.max_per_prompt });
  const rows = kept.map((r) => keptRow(r, { tokens: tokens(r) }));
  const file = run.datasetPath(stage, "kept");
  writeDataset(file, rows, lineage);
  const correct = samples.filter((r) => r.score.correct).length;
  const solved = new Set(samples.filter((r) => r.score.correct).map((r) => r.problemIndex)).size;
  const summary = { problems: o.problems, samples: samples.length, correct, kept: rows.length, accuracy: correct / samples.length, coverage: solved / o.problems };
  run.logMetrics({ stage, step: 0, kind: "sampling", ...summary, "completions/clipped_ratio": samples.filter((r) => r.truncated).length / samples.length });
  ctx.say(`${stage}: ${correct}/${samples.length} samples correct, ${solved}/${o.problems} problems solved; kept ${rows.length} → ${run.relative(file)}`);
  run.finishStage(stage, { dataset: run.relative(file) }, summary);
  return { dataset: file, summary };
}
