// One finished step as everything after the loop sees it: the panel's timeline card, the resume
// timeline (steps recorded before a restart) and the digest a full model window is re-primed with.
// A live event and a recorded trace step both map to it here, so the three cannot drift apart.
import type { DiffStat } from "./types";
import type { AgentEvent } from "./types";
import type { ObservationAttachment } from "../tools/types";
import { keyArgs, observationSummary } from "./describeStep";
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
