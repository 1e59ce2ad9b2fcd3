// Learning-rate schedules: pure functions of the step (= optimizer updates already applied, 0 for the first).
// Warm-up and decay follow transformers' optimization.py (get_constant_schedule_with_warmup,
// get_linear_schedule_with_warmup, get_cosine_with_min_lr_schedule_with_warmup, num_cycles = 0.5):
//   warm-up (step < W):   lr · step / W
//   linear:               lr · (r + (1 − r) · max(0, (T − step) / (T − W)))
//   warmup-cosine:        lr · (r + (1 − r) · ½(1 + cos(π · p))),  p = (step − W) / (T − W)
// with r = minLr / lr. Unlike transformers, p is clamped to 1, so after T steps the rate stays at minLr.
import { z } from "zod";

const nonNeg = z.number().nonnegative();
const steps = z.number().int().nonnegative();

export const LrScheduleSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("constant"), lr: nonNeg, warmupSteps: steps.default(0) }),
  z.object({ type: z.literal("linear"), lr: nonNeg, warmupSteps: steps.default(0), totalSteps: steps, minLr: nonNeg.default(0) }),
  z.object({ type: z.literal("warmup-cosine"), lr: nonNeg, warmupSteps: steps.default(0), totalSteps: steps, minLr: nonNeg.default(0) }),
]);

export type LrSchedule = z.output<typeof LrScheduleSchema>;
export type LrScheduleInput = z.input<typeof LrScheduleSchema>;

/** Validates a schedule object (e.g. from YAML); errors name the field. */
export function parseLrSchedule(raw: unknown, source = "lr schedule"): LrSchedule {
  const r = LrScheduleSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${source}: field ${i.path.join(".") || "type"}: ${i.message}`);
  }
  if (r.data.type !== "constant" && r.data.minLr > r.data.lr) throw new Error(`${source}: field minLr: ${r.data.minLr} exceeds lr ${r.data.lr}`);
  return r.data;
}

/** Learning rate for the update that follows `step` completed updates. */
export function lrAt(schedule: LrSchedule, step: number): number {
  const { lr, warmupSteps: w } = schedule;
  if (step < w) return (lr * step) / w;
  if (schedule.type === "constant") return lr;
  const { totalSteps: t, minLr } = schedule;
  const progress = Math.min(1, Math.max(0, (step - w) / Math.max(1, t - w)));
  const factor = schedule.type === "linear" ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
  return minLr + (lr - minLr) * factor;
}
