// One finished step as everything after the loop sees it: the panel's timeline card, the resume
// timeline (steps recorded before a restart) and the digest a full model window is re-primed with.
// A live event and a recorded trace step both map to it here, so the three cannot drift apart.
// The short texts about a step (its key arguments, its observation's summary) are made here too.
import type { ProtocolAdapter, Segment } from "../prompt/types";
import { toolDefinitions } from "../tools/definitions";
import type { AgentEvent, DiffStat } from "./types";
import type { Observation, ObservationAttachment, ToolCall, ToolDefinition } from "../tools/types";
import { formatCallLine, type TraceStep } from "../sessions/traceFormat";

export interface StepView {
  readonly step: number;
  /** The tool called, or "(invalid)" when the output did not parse or validate. */
  readonly tool: string;
  readonly keyArgs: string;
  readonly summary: string;
  readonly ok: boolean;
  readonly commit?: string;
  readonly diffStat?: DiffStat;
  readonly durationMs?: number;
  /** The call as one JSON line (the raw output when it did not parse). */
  readonly call?: string;
  /** The observation's full text, as appended to the model's stream. */
  readonly observation: string;
  /** What the panel shows beside it (a rendered view, a section outline); never in the trace. */
  readonly attachment?: ObservationAttachment;
}

export function stepViewOfEvent(event: Extract<AgentEvent, { type: "stepFinished" }>): StepView {
  return {
    step: event.step,
    tool: event.tool,
    keyArgs: event.keyArgs,
    summary: event.summary,
    ok: event.ok,
    commit: event.commit,
    durationMs: event.ms,
    call: event.call ? formatCallLine(event.call) : event.raw,
    observation: event.observation,
    diffStat: event.diffStat,
    ...(event.attachment ? { attachment: event.attachment } : {}),
  };
}

export function stepViewOfTrace(step: TraceStep): StepView {
  return {
    step: step.step,
    tool: step.call.tool,
    keyArgs: keyArgs(step.call),
    summary: observationSummary(step.observation),
    ok: step.observation.ok,
    ...(step.commit ? { commit: step.commit } : {}),
    call: formatCallLine(step.call),
    observation: step.observation.text,
  };
}

/** The step's line in a re-primed window's digest. */
export function stepDigestLine(view: StepView): string {
  return `step ${view.step}: ${view.tool} ${view.keyArgs} -> ${view.ok ? "" : "failed: "}${view.summary}`;
}

// Short texts about a step for the timeline and for observations that must stay concise.
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

// What a model whose window filled (transformers, hybrids; recurrent models never fill) is re-primed
// with: the goal, the notes and the recent steps. The session run keeps it current as steps finish.
export interface WindowContext {
  readonly goal: string;
  readonly notes: string;
  /** One line per recent step, oldest first. */
  readonly recentSteps: readonly string[];
  /** The session's tools (its packs included) for the fresh window's preamble; the code tools when absent. */
  readonly tools?: readonly ToolDefinition[];
}

const recentStepsInDigest = 12;

export class WindowContextTracker {
  private readonly steps: string[] = [];
  private tools: readonly ToolDefinition[] | undefined;

  constructor(
    private readonly goal: string,
    private notes = "",
  ) {}

  step(view: StepView): void {
    this.steps.push(stepDigestLine(view));
    if (this.steps.length > recentStepsInDigest) this.steps.shift();
  }

  /** Known once the session's packs are (after its worktree exists). */
  setTools(tools: readonly ToolDefinition[]): void {
    this.tools = tools;
  }

  setNotes(notes: string): void {
    this.notes = notes;
  }

  context(): WindowContext {
    return { goal: this.goal, notes: this.notes, recentSteps: [...this.steps], ...(this.tools ? { tools: this.tools } : {}) };
  }
}

/**
 * A fresh window's prompt: the rules and tools, then the goal with the notes and recent steps. In a
 * small window the full digest may leave no room for a turn, so lighter ones follow it (fewer
 * steps, then no notes); the engine primes with the first that fits. Segments, not text: the
 * template's markers must become their special tokens again, while the goal, notes and steps (which
 * may quote a marker) stay plain text.
 */
export function windowDigest(adapter: ProtocolAdapter, context: WindowContext): Segment[][] {
  const digest = (notes: string, steps: readonly string[]) => {
    const recent = steps.length ? `\n\nThe most recent steps:\n${steps.join("\n")}` : "";
    const noted = notes.trim() ? `\n\nYour notes so far:\n${notes.trim()}` : "";
    const resumed = "\n\n(Your memory of this session was compacted; re-read files with the tools as needed.)";
    return [...adapter.preambleSegments(context.tools ?? toolDefinitions), ...adapter.taskSegments(`${context.goal}${noted}${recent}${resumed}`)];
  };
  const stepCounts = [...new Set([context.recentSteps.length, 6, 3, 1, 0].filter((n) => n <= context.recentSteps.length))];
  const candidates = stepCounts.map((n) => digest(context.notes, n ? context.recentSteps.slice(-n) : []));
  if (context.notes.trim()) candidates.push(digest("", context.recentSteps.slice(-1)), digest("", []));
  const seen = new Set<string>();
  return candidates.filter((segments) => {
    const key = JSON.stringify(segments);
    return !seen.has(key) && (seen.add(key), true);
  });
}
