// The VJP table: one rule per differentiable op; ops listed in NON_DIFFERENTIABLE pass no gradient
// (their outputs are integer/bool or piecewise constant in their inputs).
import type { VjpRule } from "./common.js";
import { elementwiseRules } from "./elementwise.js";
import { structuralRules } from "./structural.js";

export type { VjpRule } from "./common.js";

export const VJP: Readonly<Record<string, VjpRule>> = { ...elementwiseRules, ...structuralRules };

export const NON_DIFFERENTIABLE: ReadonlySet<string> = new Set([
  "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Not", "Sign", "Floor", "Ceil",
  "ArgMax", "Shape", "ConstantOfShape", "Range", "OneHot",
]);
