// Short texts about a step for the task panel's timeline and for observations that must stay concise.
import type { Observation, ToolCall } from "../tools/types";

const keyArgsLength = 80;
const summaryLength = 120;

/** `path=src/a.ts start=10 end=40`, cut to a timeline line. Bodies are never shown here. */
export function keyArgs(call: ToolCall): string {
  const text = Object.entries(call.args)
    .map(([name, value]) => `${name}=${typeof value === "string" ? oneLine(value) : String(value)}`)
    .join(" ");
  return cut(text, keyArgsLength);
}

export function observationSummary(observation: Observation): string {
  const first = observation.summary ?? observation.text.split("\n", 1)[0] ?? "";
  return cut(oneLine(first), summaryLength);
}

/**
 * A safety net behind the tools' own windows: an observation longer than the cap is cut, and the
 * model is told how to see the rest, so one huge output cannot flood a session stream that is
 * never re-sent.
 */
export function capObservation(observation: Observation, maxChars: number): Observation {
  if (observation.text.length <= maxChars) return observation;
  const cutChars = observation.text.length - maxChars;
  const text = `${observation.text.slice(0, maxChars)}\n[... ${cutChars} more characters cut; narrow the request (open_range, find with a glob) to see them]`;
  return { ...observation, text };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
