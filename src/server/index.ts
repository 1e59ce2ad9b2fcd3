// Public API of the server layer: `ratio serve` as a library.
export { startServer, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_LIMITS, type ServeOptions, type RunningServer } from "./server.js";
export { loadServedModel, resolveChatFormat, type ServedModel, type ServedModelOptions } from "./model.js";
export { chatFormatByName, chatFormatNames, detectChatFormat, type ChatFormat } from "./chat-format.js";
export { createApp, type AppOptions } from "./app.js";
export { ApiError, type ErrorBody, type ErrorStatus } from "./errors.js";
export type { ChatMessage } from "./requests.js";
export type { ServeLimits, ServeContext } from "./generation.js";
export type { SchedulerStats } from "./engine/scheduler.js";
export { ThinkingBudgetController, DEFAULT_THINKING_EXTENSION, type ThinkingBudget } from "./thinking-budget.js";
export { startRewardServer, DEFAULT_REWARD_PORT, type RewardServerOptions, type RunningRewardServer } from "./rewards/server.js";
export { RewardService, RewardRequestError, splitResponse, stripTrailing, DEFAULT_STRIP_TOKENS, type RemoteRewardRequest, type RemoteRewardResponse, type RewardServiceOptions } from "./rewards/remote-rm.js";
