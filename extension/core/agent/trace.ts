// Reads a trace: JSON Lines whose lines are tool calls `{"tool": ..., "args": {...}, "body": ...}`.
// A session branch's own trace (extension/core/sessions/traceFormat.ts: a header line, step lines
// `{"type": "step", "call": {...}, ...}` and an end line) is read too, so a recorded session can be
// replayed as it is. Other fields (observations, step numbers...) are ignored. A bad line rejects
// the whole trace before anything runs, and so does a header of a newer trace format version: a
// trace is untrusted input, and what a newer format means cannot be guessed.
import type { ArgValue, ToolCall } from "../tools/types";
import { errorMessage } from "../errorMessage";
import { traceVersion } from "../sessions/traceFormat";

export class TraceError extends Error {
  override readonly name = "TraceError";
}

export function parseTrace(text: string, source = "the trace"): ToolCall[] {
  return parseReplaySteps(text, source).map((s) => s.call);
}

/** A call to replay and, when the trace is a session's own, the observation it got then. */
export interface ReplayStep {
  readonly call: ToolCall;
  readonly recorded?: { readonly ok: boolean; readonly text: string };
}

export function parseReplaySteps(text: string, source = "the trace"): ReplayStep[] {
  const steps: ReplayStep[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `${source}, line ${index + 1}`;
    const call = parseTraceLine(line, where);
    if (!call) return;
    const observation = (JSON.parse(line) as { observation?: unknown }).observation;
    const recorded = isRecord(observation) && typeof observation.ok === "boolean" && typeof observation.text === "string" ? { ok: observation.ok, text: observation.text } : undefined;
    steps.push(recorded ? { call, recorded } : { call });
  });
  return steps;
}

/** The call on one line, or undefined for a session trace's header and end lines. */
export function parseTraceLine(line: string, where: string): ToolCall | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new TraceError(`${where}: not JSON (${errorMessage(error)})`);
  }
  if (isRecord(value) && value.type === "header") {
    if (typeof value.version !== "number" || !Number.isInteger(value.version) || value.version < 1) throw new TraceError(`${where}: the header's "version" must be a positive integer`);
    if (value.version > traceVersion) throw new TraceError(`${where}: trace version ${value.version} is newer than this extension reads (${traceVersion}); update the extension to replay it. Nothing was run`);
    return undefined;
  }
  if (isRecord(value) && value.type === "end") return undefined;
  if (isRecord(value) && value.type === "step") return parseCall(value.call, where);
  return parseCall(value, where);
}

function parseCall(value: unknown, where: string): ToolCall {
  if (!isRecord(value)) throw new TraceError(`${where}: expected a JSON object with "tool" and "args"`);
  if (typeof value.tool !== "string" || value.tool === "") throw new TraceError(`${where}: "tool" must be a non-empty string`);
  const args = value.args ?? {};
  if (!isRecord(args)) throw new TraceError(`${where}: "args" must be an object`);
  for (const [name, arg] of Object.entries(args)) {
    if (!isArgValue(arg)) throw new TraceError(`${where}: argument "${name}" must be a string, number or boolean`);
  }
  if (value.body !== undefined && value.body !== null && typeof value.body !== "string") throw new TraceError(`${where}: "body" must be a string`);
  const call: ToolCall = { tool: value.tool, args: args as Record<string, ArgValue> };
  return typeof value.body === "string" ? { ...call, body: value.body } : call;
}

/** One JSON line for a call, in the same shape parseTrace reads. */
export function formatTraceLine(call: ToolCall): string {
  return JSON.stringify(call.body === undefined ? { tool: call.tool, args: call.args } : { tool: call.tool, args: call.args, body: call.body });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isArgValue(value: unknown): value is ArgValue {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}
