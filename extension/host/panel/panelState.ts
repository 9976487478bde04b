// The extension-side model of what the task panel shows. The webview is thrown away whenever its view
// is hidden, so the host keeps the session here and re-sends a full snapshot when the webview says
// `ready`. Deliberately free of `vscode` so that plain-Node unit tests can drive it.
import { stepViewOfEvent, type SessionWatcher, type StepView } from "../../core/agent";
import {
  defaultPanelLimits,
  initialSnapshot,
  reducePanel,
  type HostMessage,
  type Meters,
  type ModelStatus,
  type PanelEvent,
  type PanelLimits,
  type PanelSnapshot,
  type SessionEnd,
  type SessionInfo,
  type StepAttachment,
  type StepCard,
  type StepStart,
} from "../../../webview/protocol";
import type { AgentEvent, Meters as AgentMeters, SessionEndReason } from "../../core/agent/types";
import type { ObservationAttachment } from "../../core/tools/types";

export function clip(text: string, maxChars: number): string;
export function clip(text: string | undefined, maxChars: number): string | undefined;
export function clip(text: string | undefined, maxChars: number): string | undefined {
  if (text === undefined || text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n… (${text.length - maxChars} more characters)`;
}

/** What listeners receive: one event, or a whole new snapshot when the model was replaced. */
export type PanelUpdate = PanelEvent | Extract<HostMessage, { type: "snapshot" }>;
export type PanelListener = (update: PanelUpdate) => void;

/**
 * The session model the agent loop reports into (one method per loop event). Every change is
 * applied to the snapshot and handed to the listeners (the task panel posts it to a live webview).
 */
export class PanelState {
  private current: PanelSnapshot = initialSnapshot();
  private readonly listeners = new Set<PanelListener>();

  constructor(private readonly limits: PanelLimits = defaultPanelLimits) {}

  snapshot(): PanelSnapshot {
    return this.current;
  }

  onDidChange(listener: PanelListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  model(model: ModelStatus): void {
    this.apply({ type: "model", model });
  }

  /** Whether the workspace is trusted (false: Restricted Mode, no tasks run). */
  trust(trusted: boolean): void {
    if (this.current.trusted !== trusted) this.apply({ type: "trust", trusted });
  }

  sessionStarted(session: SessionInfo): void {
    this.apply({ type: "sessionStarted", session });
  }

  stepStarted(step: StepStart): void {
    this.apply({ type: "stepStarted", step });
  }

  stepFinished(card: StepCard): void {
    const { maxDetailChars } = this.limits;
    this.apply({ type: "stepFinished", card: { ...card, call: clip(card.call, maxDetailChars), observation: clip(card.observation, maxDetailChars) } });
  }

  notes(text: string): void {
    this.apply({ type: "notes", text });
  }

  meters(meters: Meters): void {
    this.apply({ type: "meters", meters });
  }

  paused(): void {
    this.apply({ type: "sessionPhase", phase: "paused" });
  }

  resumed(): void {
    this.apply({ type: "sessionPhase", phase: "running" });
  }

  sessionEnded(end: SessionEnd): void {
    this.apply({ type: "sessionEnded", end });
  }

  /** Forget the session (after Accept or Discard): the panel returns to an empty task box. */
  clearSession(): void {
    this.current = { ...this.current, session: null };
    this.notify({ type: "snapshot", snapshot: this.current });
  }

  private apply(event: PanelEvent): void {
    const next = reducePanel(this.current, event, this.limits);
    if (next === this.current) return;
    this.current = next;
    this.notify(event);
  }

  private notify(update: PanelUpdate): void {
    for (const listener of this.listeners) listener(update);
  }
}

/** The status bar's short form of the panel: what the agent is doing, and whether it is busy. */
export function statusBarText(snapshot: PanelSnapshot): { text: string; busy: boolean } {
  const session = snapshot.session;
  if (!session) return { text: snapshot.model.state === "downloading" || snapshot.model.state === "loading" ? `model ${snapshot.model.state}` : "idle", busy: false };
  const count = session.earlierSteps + session.steps.length;
  const steps = `${count} ${count === 1 ? "step" : "steps"}`;
  switch (session.phase) {
    case "running":
      return { text: session.running ? `step ${session.running.step}: ${session.running.tool}` : `running (${steps})`, busy: true };
    case "paused":
      return { text: `paused after ${steps}`, busy: false };
    case "ended":
      return { text: `${session.end?.outcome ?? "ended"} after ${steps}`, busy: false };
  }
}

const outcomes: Record<SessionEndReason, SessionEnd["outcome"]> = { finished: "finished", cancelled: "stopped", budget: "stopped", repeat: "stopped", error: "failed" };

/** The agent loop's meters as the panel lists them (budgets as used / limit). */
export function panelMeters(meters: AgentMeters): Meters {
  const { budgets } = meters;
  return {
    tokensPerSecond: meters.tokensPerSecond,
    stepMs: meters.lastStepMs,
    tokens: meters.tokens,
    budgets: [
      { label: "Steps", used: meters.steps, limit: budgets.maxSteps },
      { label: "Tokens", used: meters.tokens, limit: budgets.maxTokens },
      { label: "Minutes", used: Math.round(meters.elapsedMs / 60_000), limit: Math.round(budgets.maxMs / 60_000) },
    ],
  };
}

/** A step as the panel's timeline card shows it. */
export function stepCard({ attachment, ...view }: StepView): StepCard {
  return { ...view, ...(attachment ? { attachment: cardAttachment(attachment) } : {}) };
}

function cardAttachment(attachment: ObservationAttachment): StepAttachment {
  return attachment.kind === "image" ? { ...attachment } : { ...attachment, sections: attachment.sections.map((s) => ({ ...s })) };
}

/**
 * Report one agent-loop event into the panel: the loop's listener can be
 * `(event) => applyAgentEvent(taskPanel.state, event)`. Details the loop's events do not carry
 * (the call text, the observation, diff stats, state size) can be added through `state` directly.
 */
export function applyAgentEvent(state: PanelState, event: AgentEvent): void {
  switch (event.type) {
    case "stepStarted":
      return state.stepStarted({ step: event.step });
    case "stepFinished":
      return state.stepFinished(stepCard(stepViewOfEvent(event)));
    case "notesChanged":
      return state.notes(event.notes);
    case "meters":
      return state.meters(panelMeters(event.meters));
    case "paused":
      return state.paused();
    case "resumed":
      return state.resumed();
    case "ended":
      return state.sessionEnded({ outcome: outcomes[event.end.reason], reason: event.end.message, summary: event.end.summary ?? "" });
  }
}

/** The panel as a session run's watcher: the session, each finished step's card, every other event. */
export function panelWatcher(state: PanelState): SessionWatcher {
  return {
    started: (session) => state.sessionStarted(session),
    step: (view) => state.stepFinished(stepCard(view)),
    event: (event) => applyAgentEvent(state, event),
  };
}
