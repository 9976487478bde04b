// The agent core's public surface.
export * from "./types";
export { runAgentLoop, defaultMaxObservationChars, type AgentLoopOptions, type LoopResume } from "./loop";
export { ReplayPolicy } from "./replayPolicy";
export { ModelPolicy, invalidOutputTool, type SamplingOptions } from "./modelPolicy";
export type { ModelStream, ModelAppendOptions, ModelGenerateOptions } from "./modelStream";
export { PauseGate } from "./pauseGate";
export { AgentRun } from "./agentRun";
export { RepeatDetector } from "./repeatDetector";
export { budgetsFromSettings, type BudgetSettings } from "./budgets";
export { planResume, endedByLastStep } from "./resume";
export { keyArgs, observationSummary } from "./describeStep";
export { runSession, replayFrom, ResumeRefused, type SessionRunRequest, type SessionRunOptions, type SessionRun, type SessionWatcher, type ModelOpener, type OpenedModel } from "./runSession";
export { stepViewOfEvent, stepViewOfTrace, stepDigestLine, type StepView } from "./stepView";
export { WindowContextTracker, windowDigest, type WindowContext } from "./windowContext";
export { formatTokens, MIN_TURN_TOKENS, minimumWindow, turnReservation, windowTooSmallMessage, WindowTooSmallError, refusedTokens, type ModelWindow } from "./window";
