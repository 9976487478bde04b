// The session store's public surface, for the agent loop, the CLI and the VS Code adapters.
export { SessionStore, parseNameStatus, type ChangedFile, type SessionInfo, type SessionStatus, type SessionStoreOptions, type StartOptions } from "./sessionStore";
export { Session, type StepRecording, type ResumePoint, type StepInput } from "./session";
export { SessionError, isSessionError, type SessionErrorCode } from "./errors";
export { GitGate, type GitLogger } from "./gitGate";
export { SnapshotStore, type SnapshotInfo } from "./snapshots";
export { parseTrace, parseReplayScript, parseReplayLine, formatCallLine, ReplayScriptError, serializeTrace, traceVersion, type Trace, type TraceEnd, type TraceHeader, type TraceRecord, type TraceStep } from "./traceFormat";
export { callSummary, formatStepMessage, parseStepTrailers, type StepTrailers } from "./traceFormat";
export { defaultBranchPrefix, sessionIdFor, slugify } from "./naming";
export type { AcceptOptions, AcceptResult } from "./accept";
export type { RewindResult } from "./rewind";
