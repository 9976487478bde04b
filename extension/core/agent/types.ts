// The agent loop's vocabulary: what drives it (a policy), what it drives (a tool executor), where each
// step goes (a recorder), how it ends (SessionEnd) and what it tells the UI (AgentEvent).
// The interfaces are deliberately small so that the model runtime, the tools and the git session
// store can each be plugged in by a thin adapter.
import type { DiffStat } from "../sessions/session";
import type { Observation, ObservationAttachment, ToolCall, ToolDefinition } from "../tools/types";

/** What a model wrote in one turn, exactly: its text and the token ids it sampled (the export's source). */
export interface ModelOutput {
  readonly text: string;
  readonly tokens: readonly number[];
}

/** What one policy turn produced. */
export type PolicyTurn =
  /** One parsed call (not yet validated against the registry). */
  | {
      readonly kind: "call";
      readonly call: ToolCall;
      readonly raw?: string;
      /** A `<think>` block the model wrote before the call; the loop appends it to the notes. */
      readonly thinking?: string;
      readonly tokens: number;
      readonly ms: number;
      readonly output?: ModelOutput;
    }
  /** Output that did not parse; the loop turns it into an observation for the model. */
  | { readonly kind: "invalid"; readonly raw: string; readonly error: string; readonly tokens: number; readonly ms: number; readonly output?: ModelOutput }
  /** The policy has nothing more to say (a replayed trace ran out). */
  | { readonly kind: "exhausted"; readonly message: string };

export interface PolicyStart {
  readonly task: string;
  readonly tools: readonly ToolDefinition[];
  readonly signal: AbortSignal;
}

/** A step recorded before a resume: its call (an output that did not parse is the pseudo-call
 * `invalid_output` whose body is the raw text) and its observation. */
export interface ResumedTurn {
  readonly call: ToolCall;
  readonly observation: Observation;
}

/** How a recorded session continues: where it stopped and what the policy must catch up on. */
export interface PolicyResume extends PolicyStart {
  /** Steps already recorded; the next one is this plus one. */
  readonly completedSteps: number;
  /** True when a saved model state (snapshot) was loaded; the stream then already holds the preamble,
   * the task and every step up to the snapshot. False: the stream is empty and starts over. */
  readonly stateRestored: boolean;
  /** The recorded steps after the restored state (all of them when none was restored), oldest first. */
  readonly turns: readonly ResumedTurn[];
}

/** Decides the next call. The model and a replayed trace both sit behind this. */
export interface Policy {
  readonly name: string;
  /** Prepares the session stream (preamble, task); returns the tokens that cost. */
  start(options: PolicyStart): Promise<{ tokens: number }>;
  /** Instead of start(): catches up with a recorded session so the next turn is step completedSteps + 1. */
  resume?(options: PolicyResume): Promise<{ tokens: number }>;
  next(signal: AbortSignal): Promise<PolicyTurn>;
  /** Appends what the last turn led to; returns the tokens that cost. */
  observe(observation: Observation, signal: AbortSignal): Promise<{ tokens: number }>;
  /** Saves the policy's state (a model's sequence state) after a step, when it has one. */
  saveState?(path: string): Promise<void>;
}

/** Runs a validated call. Tool failures come back as observations with ok=false. */
export interface ToolExecutor {
  execute(call: ToolCall, signal: AbortSignal): Promise<Observation>;
}

export interface RecordedStep {
  readonly step: number;
  /** Absent when the turn's output did not parse or validate (see `raw`). */
  readonly call?: ToolCall;
  readonly raw?: string;
  /** The model's own text and token ids for this turn (model policies only). */
  readonly output?: ModelOutput;
  readonly observation: Observation;
  readonly tokens: number;
  readonly ms: number;
}

export interface StepRecord {
  /** The commit the step made, when it changed files. */
  readonly commit?: string;
  /** What the step's commit changed, for the timeline. */
  readonly diffStat?: DiffStat;
}

/** What a step's commit changed; core/sessions computes it when it records the step. */
export type { DiffStat } from "../sessions/session";

/** Where steps go: the git session store (one commit per state-changing step, a trace line per step). */
export interface StepRecorder {
  recordStep(step: RecordedStep): Promise<StepRecord>;
  /** Where the model state after `step` should be saved; undefined when snapshots are off. */
  snapshotPath?(step: number): string | undefined;
}

export type SessionEndReason = "finished" | "budget" | "cancelled" | "repeat" | "error";

export interface SessionEnd {
  readonly reason: SessionEndReason;
  readonly message: string;
  /** The model's own summary, from its `finish` call. */
  readonly summary?: string;
  /** The session's steps, those recorded before a resume included. */
  readonly steps: number;
  readonly tokens: number;
  readonly elapsedMs: number;
}

export interface Budgets {
  readonly maxSteps: number;
  readonly maxTokens: number;
  readonly maxMs: number;
  /** The same call with the same observation this many times in a row ends the session. */
  readonly repeatLimit: number;
}

export interface Meters {
  readonly steps: number;
  readonly tokens: number;
  readonly elapsedMs: number;
  readonly lastStepMs: number;
  readonly lastStepTokens: number;
  readonly tokensPerSecond: number;
  readonly budgets: Budgets;
}

export type AgentEvent =
  | { readonly type: "stepStarted"; readonly step: number }
  | {
      readonly type: "stepFinished";
      readonly step: number;
      /** The tool called, or "(invalid)" when the output did not parse or validate. */
      readonly tool: string;
      readonly keyArgs: string;
      readonly ok: boolean;
      readonly summary: string;
      readonly tokens: number;
      readonly ms: number;
      readonly commit?: string;
      readonly diffStat?: DiffStat;
      readonly changedFiles: readonly string[];
      /** The call as parsed (absent when the output did not parse) and the raw output otherwise. */
      readonly call?: ToolCall;
      readonly raw?: string;
      /** The observation's full text, as appended to the session stream. */
      readonly observation: string;
      /** A rendered view or a section outline, for the panel only. */
      readonly attachment?: ObservationAttachment;
    }
  | { readonly type: "notesChanged"; readonly notes: string }
  | { readonly type: "meters"; readonly meters: Meters }
  | { readonly type: "paused" }
  | { readonly type: "resumed" }
  | { readonly type: "ended"; readonly end: SessionEnd };

export type AgentEventListener = (event: AgentEvent) => void;
