// The extension-side model of what the task panel shows. The webview is thrown away whenever its view
// is hidden, so the host keeps the session here and re-sends a full snapshot when the webview says
// `ready`. Deliberately free of `vscode` so that plain-Node unit tests can drive it.
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
  type StepCard,
  type StepStart,
} from "../../webview/protocol";

export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
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
