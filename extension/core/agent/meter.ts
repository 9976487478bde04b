// Counts what a session has spent and says which budget, if any, is exhausted.
import type { Budgets, Meters } from "./types";

export class SessionMeter {
  private steps = 0;
  private tokens = 0;
  private lastStepMs = 0;
  private lastStepTokens = 0;
  private generatedMs = 0;
  private generatedTokens = 0;
  private readonly startedAt: number;

  constructor(
    readonly budgets: Budgets,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  addTokens(tokens: number): void {
    this.tokens += tokens;
  }

  /**
   * One finished step: its tokens (already added through addTokens), its wall time, and the
   * tokens the model generated in how long (for tokens/s).
   */
  finishStep(tokens: number, ms: number, generated: { tokens: number; ms: number }): void {
    this.steps++;
    this.lastStepMs = ms;
    this.lastStepTokens = tokens;
    this.generatedMs += generated.ms;
    this.generatedTokens += generated.tokens;
  }

  get elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  get stepCount(): number {
    return this.steps;
  }

  get tokenCount(): number {
    return this.tokens;
  }

  /** A message naming the exhausted budget, or undefined while there is room for another step. */
  exhausted(): string | undefined {
    const b = this.budgets;
    if (this.steps >= b.maxSteps) return `the step budget is spent: ${this.steps} of ${b.maxSteps} steps`;
    if (this.tokens >= b.maxTokens) return `the token budget is spent: ${this.tokens} of ${b.maxTokens} tokens`;
    if (this.elapsedMs >= b.maxMs) return `the time budget is spent: ${formatMinutes(this.elapsedMs)} of ${formatMinutes(b.maxMs)}`;
    return undefined;
  }

  /** Milliseconds left before the time budget runs out (never negative). */
  get msLeft(): number {
    return Math.max(0, this.budgets.maxMs - this.elapsedMs);
  }

  snapshot(): Meters {
    return {
      steps: this.steps,
      tokens: this.tokens,
      elapsedMs: this.elapsedMs,
      lastStepMs: this.lastStepMs,
      lastStepTokens: this.lastStepTokens,
      tokensPerSecond: this.generatedMs > 0 ? (this.generatedTokens * 1000) / this.generatedMs : 0,
      budgets: this.budgets,
    };
  }
}

function formatMinutes(ms: number): string {
  return `${(ms / 60_000).toFixed(ms < 60_000 ? 2 : 1)} min`;
}
