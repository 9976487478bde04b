// Pause between steps: a step in flight finishes, the next one waits until resume (or cancellation).
export class PauseGate {
  private waiting: (() => void) | undefined;
  private gate: Promise<void> | undefined;

  get paused(): boolean {
    return this.gate !== undefined;
  }

  pause(): void {
    if (this.gate) return;
    this.gate = new Promise<void>((resolve) => (this.waiting = resolve));
  }

  resume(): void {
    const release = this.waiting;
    this.gate = undefined;
    this.waiting = undefined;
    release?.();
  }

  /** Resolves at once when not paused; otherwise on resume or when the signal aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    if (!this.gate || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const onAbort = () => resolve();
      signal.addEventListener("abort", onAbort, { once: true });
      void this.gate?.then(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }
}
