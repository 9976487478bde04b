// The scratchpad's rules, in one place: the notes tool applies them, and the agent loop (the panel's
// mirror) and a resumed session (the notes as the recorded steps left them) replay them.
import type { Observation, ToolCall } from "./types";

/** The notes after `action` (write, or else append) of `body`: an append goes on a new line. */
export function notesAfter(notes: string, action: unknown, body: string): string {
  return action === "write" ? body : notes === "" ? body : `${notes}\n${body}`;
}

/**
 * The notes after a call that ran and gave `observation`, or undefined when it left them as they
 * were: only a successful `notes write` or `notes append` with a body changes them.
 */
export function applyNotesCall(notes: string, call: ToolCall, observation: Observation): string | undefined {
  if (call.tool !== "notes" || !observation.ok || call.body === undefined) return undefined;
  const action = call.args.action;
  if (action !== "write" && action !== "append") return undefined;
  return notesAfter(notes, action, call.body);
}
