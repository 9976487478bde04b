// One running session as the host sees it: start it, pause, resume or stop it, listen to its events,
// and await its end. Thin on purpose: the loop holds the logic, this holds the handles.
import { runAgentLoop, type AgentLoopOptions } from "./loop";
import { PauseGate } from "./pauseGate";
import type { AgentEvent, AgentEventListener, SessionEnd } from "./types";

export class AgentRun {
  private readonly stopper = new AbortController();
  private readonly gate = new PauseGate();
  private readonly listeners = new Set<AgentEventListener>();
  /** Settles with the session's end; never rejects. */
  readonly done: Promise<SessionEnd>;

  constructor(options: Omit<AgentLoopOptions, "signal" | "pause" | "onEvent">) {
    this.done = runAgentLoop({ ...options, signal: this.stopper.signal, pause: this.gate, onEvent: (e) => this.emit(e) });
  }

  onEvent(listener: AgentEventListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get paused(): boolean {
    return this.gate.paused;
  }

  /** The step in flight finishes; the next one waits. */
  pause(): void {
    if (this.gate.paused) return;
    this.gate.pause();
    this.emit({ type: "paused" });
  }

  resume(): void {
    if (!this.gate.paused) return;
    this.gate.resume();
    this.emit({ type: "resumed" });
  }

  /** Cancels the step in flight (generation, tool) and ends the session as "cancelled". */
  stop(): Promise<SessionEnd> {
    this.stopper.abort();
    return this.done;
  }

  private emit(event: AgentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not stop the session or the other listeners.
      }
    }
  }
}
