// Backends: one interface for "a policy we can sample" (types.ts), the Ratio engine (builtin) and any
// OpenAI-compatible server (openai), with continuation sessions for budget forcing.
export * from "./types.js";
export { BuiltinBackend, type BuiltinBackendOptions } from "./builtin.js";
export { BuiltinSession } from "./builtin-session.js";
export { OpenAIBackend, type OpenAIBackendOptions } from "./openai.js";
export { ReplaySession, roundSeed, type ReplayTarget } from "./replay-session.js";
export { EndpointPool, type Endpoint } from "./endpoints.js";
export { BackendError, MalformedResponseError, backoffDelay, classify, withRetries, type Failure, type RetryOptions } from "./retry.js";
