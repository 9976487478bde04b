// Step commits: a one-line summary of the call as the subject and `git interpret-trailers`
// trailers that carry the exact call (arguments and raw body as single-line JSON), so that the
// branch's log alone gives back every state-changing call. A body over inlineBodyLimit is not
// copied into the message: a `Body-In-Trace` trailer names the trace record that holds it, so a
// large body is stored once (trace format version 2).
import type { ToolCall } from "../tools/types";
import { isToolCall } from "./traceFormat";

export interface StepTrailers {
  readonly sessionId: string;
  readonly step: number;
  /** The call; without its body when the body is kept only in the trace (see bodyInTrace). */
  readonly call: ToolCall;
  /** The trace record holding the call's body, `step-000005.json` on refs/infinite/traces/<id>. */
  readonly bodyInTrace?: string;
}

/** Bodies up to this many UTF-8 bytes are copied into the step's commit message. */
export const inlineBodyLimit = 4096;

export function traceRecordName(step: number): string {
  return `step-${String(step).padStart(6, "0")}.json`;
}

const subjectLimit = 72;

export function callSummary(call: ToolCall): string {
  const args = Object.entries(call.args).map(([k, v]) => `${k}=${typeof v === "string" ? oneLine(v) : String(v)}`);
  const text = `${call.tool}${args.length ? ` ${args.join(" ")}` : ""}`;
  return text.length > subjectLimit ? `${text.slice(0, subjectLimit - 1)}…` : text;
}

export function formatStepMessage(t: StepTrailers): string {
  const trailers = [
    `Session-Id: ${t.sessionId}`,
    `Step: ${t.step}`,
    `Tool: ${t.call.tool}`,
    `Arguments: ${JSON.stringify(t.call.args)}`,
    ...bodyTrailer(t),
  ];
  return `${callSummary(t.call)}\n\n${trailers.join("\n")}\n`;
}

function bodyTrailer(t: StepTrailers): string[] {
  if (t.call.body === undefined) return [];
  if (new TextEncoder().encode(t.call.body).length <= inlineBodyLimit) return [`Body: ${JSON.stringify(t.call.body)}`];
  return [`Body-In-Trace: ${traceRecordName(t.step)}`];
}

/** Parses the output of `git log --format=%(trailers:only,unfold)` for one commit. */
export function parseStepTrailers(trailerBlock: string): StepTrailers | undefined {
  const values = new Map<string, string>();
  for (const line of trailerBlock.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) values.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const sessionId = values.get("session-id");
  const step = Number(values.get("step"));
  const tool = values.get("tool");
  const argsText = values.get("arguments");
  if (!sessionId || !Number.isInteger(step) || !tool || argsText === undefined) return undefined;
  try {
    const bodyText = values.get("body");
    const bodyInTrace = values.get("body-in-trace");
    const call: unknown = { tool, args: JSON.parse(argsText), ...(bodyText === undefined ? {} : { body: JSON.parse(bodyText) }) };
    if (!isToolCall(call)) return undefined;
    return bodyInTrace === undefined ? { sessionId, step, call } : { sessionId, step, call, bodyInTrace };
  } catch {
    return undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
