// Metrics: pass@k, avg@n, cov@k, maj@k over equivalence classes (first k and unbiased), per problem and summary.
export * from "./pass-at-k.js";
export * from "./cov-at-k.js";
export * from "./voting.js";
export * from "./binomial.js";
export * from "./maj-at-k.js";
export * from "./evaluate.js";
export * from "./records.js";
