// The model's window, planned once the prompt (rules, tools, task) is in: how many tokens a turn may
// take, and whether the window can hold a session at all. A fixed reservation (8,192 tokens) made
// every model with a small window fail before its first turn; the reservation now follows the room
// the window leaves after the prompt.

/**
 * The shortest turn worth generating: a call with a short path and a few lines of body. A window
 * that cannot hold the prompt plus one such turn and its observation cannot run a session.
 */
export const MIN_TURN_TOKENS = 256;

export interface ModelWindow {
  /** Tokens the window holds (the model session's capacity). */
  readonly capacity: number;
  /** What the user changes to get a larger window, given the smallest that would do. */
  readonly remedy: (minimumTokens: number) => string;
}

/** The smallest window that holds the prompt, one turn and its observation. */
export function minimumWindow(promptTokens: number): number {
  return promptTokens + 2 * MIN_TURN_TOKENS;
}

/**
 * The per-turn reservation: what the caller asked for, but at most half the room after the prompt,
 * so that after a re-prime (a digest at least as large as the prompt) a turn and its observation
 * still fit. Undefined when the window is too small for a session (see windowTooSmallMessage).
 */
export function turnReservation(capacity: number, promptTokens: number, requested: number): number | undefined {
  if (capacity < minimumWindow(promptTokens)) return undefined;
  return Math.min(requested, Math.floor((capacity - promptTokens) / 2));
}

/** A token count as messages write it (3,276). */
export function formatTokens(value: number): string {
  return value.toLocaleString("en-US");
}

/** One line: the window, the prompt's size, and what to change. */
export function windowTooSmallMessage(window: ModelWindow, promptTokens: number): string {
  const minimum = minimumWindow(promptTokens);
  const n = formatTokens;
  return `The model's window (${n(window.capacity)} tokens) is too small: the rules, tools and task take ${n(promptTokens)} tokens and a turn needs ${n(2 * MIN_TURN_TOKENS)} more; ${window.remedy(minimum)}.`;
}

/** Thrown when the window cannot hold the prompt and one turn; its message is the one line above. */
export class WindowTooSmallError extends Error {
  readonly code = "WINDOW_TOO_SMALL";
  constructor(window: ModelWindow, readonly promptTokens: number) {
    super(windowTooSmallMessage(window, promptTokens));
    this.name = "WindowTooSmallError";
  }
}

/**
 * The tokens an append refused for lack of room would have taken, when the error says so (the
 * engine's and the model host's WINDOW_FULL errors carry `needed` and `tokenCount`).
 */
export function refusedTokens(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || (error as { code?: unknown }).code !== "WINDOW_FULL") return undefined;
  const details = (error as { details?: { needed?: unknown; tokenCount?: unknown } }).details;
  if (typeof details?.needed !== "number") return undefined;
  return details.needed + (typeof details.tokenCount === "number" ? details.tokenCount : 0);
}
