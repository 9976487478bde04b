// The session trace: JSON Lines, versioned. Line 1 is a header (who, what, from where); every
// following line is one step (the call and its observation, read-only steps included); an optional
// last line ends the session with its summary. `run --replay` reads the same file. See
// docs/trace-format.md; bump traceVersion on any incompatible change. Version 2: a large body is
// no longer copied into the step commit's Body trailer (Body-In-Trace names the record instead);
// version 1 traces read as they are.
//
// The one reader of traces: a session's own trace (parseTrace, every record checked), and a replay
// script (parseReplayScript: JSON Lines of bare calls, or a session trace of which only the calls
// count), so that replay, resume, export and the Sessions view read the same records the same way.
//
// Step commits: a one-line summary of the call as the subject and `git interpret-trailers`
// trailers that carry the exact call (arguments and raw body as single-line JSON), so that the
// branch's log alone gives back every state-changing call. A body over inlineBodyLimit is not
// copied into the message: a `Body-In-Trace` trailer names the trace record that holds it, so a
// large body is stored once (trace format version 2).
import type { ArgValue, Observation, ToolCall, ToolEffect } from "../tools/types";
import { SessionError } from "./errors";
import { errorMessage } from "../errorMessage";

export const traceVersion = 2;

export interface TraceBase {
  /** The branch the session started from, or null when HEAD was detached. */
  readonly ref: string | null;
  readonly commit: string;
}

export interface TraceHeader {
  readonly type: "header";
  readonly version: number;
  readonly sessionId: string;
  readonly branch: string;
  readonly task: string;
  readonly issue?: number;
  readonly base: TraceBase;
  /** ISO 8601. */
  readonly createdAt: string;
}

export interface TraceStep {
  readonly type: "step";
  /** 1-based, contiguous. */
  readonly step: number;
  readonly call: ToolCall;
  readonly effect: ToolEffect;
  readonly observation: Observation;
  /** The session-branch commit this step made; absent for steps that changed no file. */
  readonly commit?: string;
  /** What the model wrote, exactly: its text and sampled token ids (model sessions; the export's source). */
  readonly output?: { readonly text: string; readonly tokens: readonly number[] };
  readonly at: string;
}

export interface TraceEnd {
  readonly type: "end";
  readonly summary: string;
  readonly at: string;
}

export type TraceRecord = TraceHeader | TraceStep | TraceEnd;

export interface Trace {
  readonly header: TraceHeader;
  readonly steps: readonly TraceStep[];
  readonly end?: TraceEnd;
}

export function serializeTrace(trace: Trace): string {
  const records: TraceRecord[] = [trace.header, ...trace.steps, ...(trace.end ? [trace.end] : [])];
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** Parses and validates a JSON Lines trace; a malformed line is reported with its line number. */
export function parseTrace(text: string): Trace {
  const lines = text.split("\n").filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw invalid(1, "the trace is empty (it needs a header line)");
  const header = parseRecord(lines[0]!, 1);
  if (header.type !== "header") throw invalid(1, "the first line must be the header record");
  const steps: TraceStep[] = [];
  let end: TraceEnd | undefined;
  lines.slice(1).forEach((line, i) => {
    const lineNo = i + 2;
    const record = parseRecord(line, lineNo);
    if (end) throw invalid(lineNo, "nothing may follow the end record");
    if (record.type === "header") throw invalid(lineNo, "a second header record");
    if (record.type === "end") end = record;
    else if (record.step !== steps.length + 1) throw invalid(lineNo, `expected step ${steps.length + 1}, found step ${record.step}`);
    else steps.push(record);
  });
  return end ? { header, steps, end } : { header, steps };
}

export function parseRecord(line: string, lineNo: number): TraceRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw invalid(lineNo, `not JSON (${errorMessage(error)})`);
  }
  if (!isObject(value)) throw invalid(lineNo, "a record must be a JSON object");
  switch (value.type) {
    case "header":
      return checkHeader(value, lineNo);
    case "step":
      return checkStep(value, lineNo);
    case "end":
      if (typeof value.summary !== "string" || typeof value.at !== "string") throw invalid(lineNo, "an end record needs summary and at strings");
      return value as unknown as TraceEnd;
    default:
      throw invalid(lineNo, `unknown record type ${JSON.stringify(value.type)}`);
  }
}

function checkHeader(v: Record<string, unknown>, lineNo: number): TraceHeader {
  const base = v.base;
  const ok =
    typeof v.version === "number" &&
    typeof v.sessionId === "string" &&
    typeof v.branch === "string" &&
    typeof v.task === "string" &&
    typeof v.createdAt === "string" &&
    (v.issue === undefined || Number.isInteger(v.issue)) &&
    isObject(base) &&
    typeof base.commit === "string" &&
    (base.ref === null || typeof base.ref === "string");
  if (!ok) throw invalid(lineNo, "a header needs version, sessionId, branch, task, createdAt and base {ref, commit}");
  // Every reader (replay, resume, review) refuses what a newer format might mean.
  if ((v.version as number) > traceVersion) throw invalid(lineNo, `trace version ${String(v.version)} is newer than this extension reads (${traceVersion})`);
  return v as unknown as TraceHeader;
}

function checkStep(v: Record<string, unknown>, lineNo: number): TraceStep {
  if (!Number.isInteger(v.step) || (v.step as number) < 1) throw invalid(lineNo, "step must be a positive integer");
  if (!isToolCall(v.call)) throw invalid(lineNo, "call must be {tool: string, args: object of string|number|boolean, body?: string}");
  if (!["reads", "writes", "runs", "ends"].includes(v.effect as string)) throw invalid(lineNo, "effect must be reads, writes, runs or ends");
  const o = v.observation;
  if (!isObject(o) || typeof o.ok !== "boolean" || typeof o.text !== "string") throw invalid(lineNo, "observation must be {ok: boolean, text: string, ...}");
  if (v.commit !== undefined && (typeof v.commit !== "string" || !/^[0-9a-f]{40,64}$/.test(v.commit))) throw invalid(lineNo, "commit must be a full object id");
  const out = v.output;
  if (out !== undefined && (!isObject(out) || typeof out.text !== "string" || !Array.isArray(out.tokens) || !out.tokens.every((t) => Number.isInteger(t) && t >= 0))) throw invalid(lineNo, "output must be {text: string, tokens: token ids}");
  return v as unknown as TraceStep;
}

export function isToolCall(value: unknown): value is ToolCall {
  return callProblem(value) === undefined && isObject(value) && value.args !== undefined && (value.body === undefined || typeof value.body === "string");
}

/** What keeps `value` from being a call, or undefined when it is one (a missing `args` reads as {};
 * a null body as none, as hand-written replay scripts have them). */
function callProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `expected a JSON object with "tool" and "args"`;
  if (typeof value.tool !== "string" || value.tool === "") return `"tool" must be a non-empty string`;
  const args = value.args ?? {};
  if (!isObject(args)) return `"args" must be an object`;
  for (const [name, arg] of Object.entries(args)) if (!isArgValue(arg)) return `argument "${name}" must be a string, number or boolean`;
  if (value.body !== undefined && value.body !== null && typeof value.body !== "string") return `"body" must be a string`;
  return undefined;
}

/** A replay script that cannot be read; it is refused whole, before anything runs. */
export class ReplayScriptError extends Error {
  override readonly name = "ReplayScriptError";
}

/** The calls of a replay script: JSON Lines of calls `{"tool", "args", "body"}`, or a session trace
 * (its header and end lines are skipped, a step line gives its call). Other fields are ignored. */
export function parseReplayScript(text: string, source = "the trace"): ToolCall[] {
  return parseReplaySteps(text, source).map((s) => s.call);
}

/** A call to replay and, when the script is a session's own trace, the observation it got then. */
export interface ReplayStep {
  readonly call: ToolCall;
  readonly recorded?: { readonly ok: boolean; readonly text: string };
}

export function parseReplaySteps(text: string, source = "the trace"): ReplayStep[] {
  const steps: ReplayStep[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const call = parseReplayLine(line, `${source}, line ${index + 1}`);
    if (!call) return;
    const observation = (JSON.parse(line) as { observation?: unknown }).observation;
    const recorded = isObject(observation) && typeof observation.ok === "boolean" && typeof observation.text === "string" ? { ok: observation.ok, text: observation.text } : undefined;
    steps.push(recorded ? { call, recorded } : { call });
  });
  return steps;
}

/** The call on one line, or undefined for a session trace's header and end lines. */
export function parseReplayLine(line: string, where: string): ToolCall | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new ReplayScriptError(`${where}: not JSON (${errorMessage(error)})`);
  }
  // A trace is untrusted input, and what a newer format means cannot be guessed.
  if (isObject(value) && value.type === "header") {
    if (typeof value.version !== "number" || !Number.isInteger(value.version) || value.version < 1) throw new ReplayScriptError(`${where}: the header's "version" must be a positive integer`);
    if (value.version > traceVersion) throw new ReplayScriptError(`${where}: trace version ${value.version} is newer than this extension reads (${traceVersion}); update the extension to replay it. Nothing was run`);
    return undefined;
  }
  if (isObject(value) && value.type === "end") return undefined;
  const call = isObject(value) && value.type === "step" ? value.call : value;
  const problem = callProblem(call);
  if (problem) throw new ReplayScriptError(`${where}: ${problem}`);
  const { tool, args, body } = call as { tool: string; args?: Record<string, ArgValue>; body?: unknown };
  return typeof body === "string" ? { tool, args: args ?? {}, body } : { tool, args: args ?? {} };
}

/** One JSON line for a call, in the shape parseReplayScript reads (the panel shows calls so too). */
export function formatCallLine(call: ToolCall): string {
  return JSON.stringify(call.body === undefined ? { tool: call.tool, args: call.args } : { tool: call.tool, args: call.args, body: call.body });
}

function isArgValue(value: unknown): value is ArgValue {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(lineNo: number, what: string): SessionError {
  return new SessionError("invalid-trace", `Invalid trace, line ${lineNo}: ${what}.`);
}

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
