// The webview's own UI state (the task draft, which cards are open). The host owns the session;
// this only survives the page being thrown away when the view is hidden (getState/setState).
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export interface UiState {
  taskDraft: string;
  /** Open cards, per session (so a new session does not inherit them). */
  expanded: { sessionId: string; steps: number[] };
}

function parse(raw: unknown): UiState {
  const state: UiState = { taskDraft: "", expanded: { sessionId: "", steps: [] } };
  if (typeof raw !== "object" || raw === null) return state;
  const r = raw as Partial<UiState>;
  if (typeof r.taskDraft === "string") state.taskDraft = r.taskDraft;
  const e = r.expanded;
  if (e && typeof e.sessionId === "string" && Array.isArray(e.steps)) {
    state.expanded = { sessionId: e.sessionId, steps: e.steps.filter((s): s is number => Number.isInteger(s)) };
  }
  return state;
}

export class UiStateStore {
  private state: UiState;

  constructor(private readonly api: VsCodeApi) {
    this.state = parse(api.getState());
  }

  get taskDraft(): string {
    return this.state.taskDraft;
  }

  setTaskDraft(text: string): void {
    this.state.taskDraft = text;
    this.save();
  }

  isExpanded(sessionId: string, step: number): boolean {
    return this.state.expanded.sessionId === sessionId && this.state.expanded.steps.includes(step);
  }

  setExpanded(sessionId: string, step: number, open: boolean): void {
    const current = this.state.expanded.sessionId === sessionId ? this.state.expanded.steps : [];
    const steps = current.filter((s) => s !== step);
    if (open) steps.push(step);
    this.state.expanded = { sessionId, steps };
    this.save();
  }

  private save(): void {
    this.api.setState(this.state);
  }
}
