// The agent core's public surface.
export * from "./types";
export { runAgentLoop, defaultMaxObservationChars, type AgentLoopOptions, type LoopResume } from "./loop";
export { ReplayPolicy } from "./replayPolicy";
export { ModelPolicy, invalidOutputTool, type ModelSession, type SamplingOptions } from "./modelPolicy";
export { PauseGate } from "./pauseGate";
export { AgentRun } from "./agentRun";
export { RepeatDetector } from "./repeatDetector";
export { parseTrace, parseTraceLine, formatTraceLine, TraceError } from "./trace";
export { budgetsFromSettings, type BudgetSettings } from "./budgets";
export { planResume, endedByLastStep } from "./resume";
export { keyArgs, observationSummary } from "./describeStep";
export { formatTokens, MIN_TURN_TOKENS, minimumWindow, turnReservation, windowTooSmallMessage, WindowTooSmallError, refusedTokens, type ModelWindow } from "./window";
