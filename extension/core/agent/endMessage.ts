// How a session's end reads to a user: one sentence, in the notification, the panel and the CLI. The
// loop's own messages say why without repeating "stopped" (the title says that once).
import type { Observation } from "../tools/types";
import type { SessionEnd } from "./types";

function steps(n: number): string {
  return `${n} ${n === 1 ? "step" : "steps"}`;
}

function asSentenceEnd(text: string): string {
  const trimmed = text.trim();
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** "Session stopped after 3 steps: the model made the same call …" (summaries are the model's own words). */
export function describeSessionEnd(end: SessionEnd): string {
  const after = steps(end.steps);
  switch (end.reason) {
    case "finished":
      return `Session finished after ${after}: ${asSentenceEnd(end.summary || end.message)}`;
    case "error":
      return `Session failed after ${after}: ${asSentenceEnd(end.message)}`;
    default:
      return `Session stopped after ${after}: ${asSentenceEnd(end.message)}`;
  }
}

function oneLine(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}

/**
 * Why the repeat detector stopped a session, naming the call: a valid call that got the same result,
 * one that failed the same way, or output that was no valid tool call (what it was, and why not).
 */
export function repeatMessage(times: number, observation: Observation, call: { described: string } | { raw: string }): string {
  // The first clause says why; what follows a ";" is a hint for the model (the list of tools, say).
  const why = oneLine((observation.summary ?? observation.text).split("; ")[0]!, 160);
  if ("raw" in call) {
    const raw = oneLine(call.raw, 80);
    return `the model wrote the same invalid tool call ${times} times in a row (${why})${raw ? `: ${raw}` : ""}`;
  }
  if (!observation.ok) return `the model made the same failing call (${call.described}) ${times} times in a row (${why})`;
  return `the model made the same call (${call.described}) ${times} times in a row and got the same result each time`;
}
