// The agent core's public surface.
export * from "./types";
export { AgentRun, runAgentLoop, defaultMaxObservationChars, type AgentLoopOptions, type LoopResume } from "./loop";
export { ReplayPolicy } from "./replayPolicy";
export { ModelPolicy, invalidOutputTool, type SamplingOptions } from "./modelPolicy";
export type { ModelStream, ModelAppendOptions, ModelGenerateOptions } from "./modelStream";
export { PauseGate } from "./pauseGate";
export { RepeatDetector } from "./repeatDetector";
export { budgetsFromSettings, type BudgetSettings } from "./budgets";
export { planResume, endedByLastStep } from "./resume";
export { runSession, replayFrom, ResumeRefused, type SessionRunRequest, type SessionRunOptions, type SessionRun, type SessionWatcher, type ModelOpener, type OpenedModel } from "./runSession";
export { keyArgs, observationSummary, stepViewOfEvent, stepViewOfTrace, stepDigestLine, WindowContextTracker, windowDigest, type StepView, type WindowContext } from "./stepView";
export { formatTokens, MIN_TURN_TOKENS, minimumWindow, turnReservation, windowTooSmallMessage, WindowTooSmallError, refusedTokens, type ModelWindow } from "./window";
