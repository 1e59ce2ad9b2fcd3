// The `sft` stage type: supervised fine-tuning of `model` on `data` (src/algorithms/sft-stage.ts).
import { runSftStage, sftStageOptionsSchema } from "../../algorithms/sft-stage.js";
import { defineStage, required } from "../stage-kind.js";

export const sftStage = defineStage({
  type: "sft",
  description: "supervised fine-tuning on (prompt, completion) pairs: gold rationales, a dataset of an earlier stage, or a JSONL file",
  data: "required",
  task: "none",
  produces: { checkpoint: true, dataset: false },
  options: sftStageOptionsSchema,
  run(ctx, inputs, options) {
    const data = required(inputs.data, ctx.stage, "data");
    if (data.rows.length === 0) throw new Error(`stage "${ctx.stage}": data ${data.source} has no examples (the stage that wrote it kept none)`);
    return runSftStage(ctx, inputs.model, data.rows, options);
  },
});
