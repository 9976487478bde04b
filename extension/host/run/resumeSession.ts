// What the Resume command may ask for. Resuming itself is the core's runSession (kind "resume"):
// the worktree goes back to the last recorded step, a fresh model stream loads the newest snapshot
// at or before that step, the steps recorded after the snapshot are re-appended, and the loop
// carries on at the next step number with the notes the trace left. Every refusal (a finished or
// accepted session, a missing model file, another model's snapshot) happens before anything changes.
import type { RunningSession } from "./sessionRun";

export { ResumeRefused } from "../../core/agent";

/** A resumed session (resumedAfterStep, snapshotStep, reappendedSteps and restored say how). */
export type ResumedSession = RunningSession;

/** What the Resume command may ask for (the integration tests pass it; the Sessions view does not). */
export interface ResumeOptions {
  /** Replays the calls of this replay script or session branch that the session has not made yet. */
  readonly replay?: string;
  /** A GGUF file to use instead of the loaded or configured model. */
  readonly model?: string;
  /** A llama-server URL to resume on instead of infiniteToolUse.engine.url. */
  readonly engine?: string;
  /** Restore everything, then wait before the next step (run.resume() continues). */
  readonly paused?: boolean;
}

/** The Resume command's optional second argument, checked (anything else is ignored). */
export function resumeOptionsFrom(value: unknown): ResumeOptions {
  if (typeof value !== "object" || value === null) return {};
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v.replay === "string" && v.replay ? { replay: v.replay } : {}),
    ...(typeof v.model === "string" && v.model ? { model: v.model } : {}),
    ...(typeof v.engine === "string" && v.engine ? { engine: v.engine } : {}),
    ...(v.paused === true ? { paused: true } : {}),
  };
}
