// Registry of CLI commands; each command file exports `register(program)`.
import type { Command } from "commander";
import { register as analyze } from "./analyze.js";
import { register as bench } from "./bench.js";
import { register as conformance } from "./conformance.js";
import { register as data } from "./data.js";
import { register as demo } from "./demo.js";
import { register as evaluate } from "./eval.js";
import { register as experiment } from "./experiment.js";
import { register as info } from "./info.js";
import { register as init } from "./init.js";
import { register as logprobs } from "./logprobs.js";
import { register as metrics } from "./metrics.js";
import { register as run } from "./run.js";
import { register as sample } from "./sample.js";
import { register as score } from "./score.js";
import { register as serve } from "./serve.js";
import { register as rewardServer } from "./reward-server.js";
import { register as report } from "./report.js";
import { register as tasks } from "./tasks.js";
import { register as trainLm } from "./train-lm.js";

export type Register = (program: Command) => void;

export const commands: Register[] = [demo, bench, analyze, init, info, sample, logprobs, trainLm, run, tasks, score, metrics, evaluate, experiment, data, conformance, serve, rewardServer, report];
