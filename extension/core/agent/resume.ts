// Where a recorded session continues, worked out from its trace alone: how many steps it has, which
// of them the restored model state (a snapshot) already holds, and what the notes were. Pure, so the
// host and the tests share it.
import { applyNotesCall } from "../tools/notes";
import type { ToolEffect } from "../tools/types";
import type { LoopResume } from "./loop";
import type { ResumedTurn } from "./types";

/** A recorded step as the trace keeps it (extension/core/sessions/traceFormat.ts TraceStep fits). */
export interface RecordedTurn extends ResumedTurn {
  readonly effect?: ToolEffect;
}

/**
 * The loop's resume for `steps`, given the step whose model state was restored (undefined: none, the
 * stream starts over). The turns after that step are the ones the policy re-appends.
 */
export function planResume(steps: readonly RecordedTurn[], restoredStep: number | undefined): LoopResume {
  if (restoredStep !== undefined && (!Number.isInteger(restoredStep) || restoredStep < 0 || restoredStep > steps.length)) {
    throw new Error(`the restored state is of step ${restoredStep}, but the session has steps 1-${steps.length}`);
  }
  const turns: ResumedTurn[] = steps.slice(restoredStep ?? 0).map(({ call, observation }) => ({ call, observation }));
  return { completedSteps: steps.length, stateRestored: restoredStep !== undefined, turns, notes: notesFromSteps(steps) };
}

/** The notes as the recorded `notes` calls left them (same rules as the notes tool). */
export function notesFromSteps(steps: readonly RecordedTurn[]): string {
  let notes = "";
  for (const { call, observation } of steps) notes = applyNotesCall(notes, call, observation) ?? notes;
  return notes;
}

/** True when the last step was a successful finish call: the session ended even if its end record
 * was never written (the editor died between the two). */
export function endedByLastStep(steps: readonly RecordedTurn[]): boolean {
  const last = steps.at(-1);
  return last?.effect === "ends" && last.observation.ok;
}
