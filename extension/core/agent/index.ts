// The agent core's public surface.
export * from "./types";
export { runAgentLoop, defaultMaxObservationChars, type AgentLoopOptions } from "./loop";
export { ReplayPolicy } from "./replayPolicy";
export { ModelPolicy, type ModelSession, type ToolCallAdapter, type GenerateOptions, type SamplingOptions } from "./modelPolicy";
export { PauseGate } from "./pauseGate";
export { RepeatDetector } from "./repeatDetector";
export { parseTrace, parseTraceLine, formatTraceLine, TraceError } from "./trace";
export { validateCall } from "./validateCall";
export { budgetsFromSettings, type BudgetSettings } from "./budgets";
