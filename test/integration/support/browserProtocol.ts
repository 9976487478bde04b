// What a test may ask of the browser that shows the workbench, and what comes back.
export type BrowserRequest =
  | { kind: "screenshot"; name: string }
  | { kind: "type"; text: string }
  | { kind: "press"; key: string }
  | { kind: "click"; selector: string; hasText?: string; timeoutMs?: number }
  | { kind: "text"; selector: string }
  /** Sets an input's whole value at once (as a paste would), instead of typing it key by key. */
  | { kind: "fill"; selector: string; text: string }
  /** The value of the first input matching the selector. */
  | { kind: "value"; selector: string };

export type BrowserAnswer = { ok: true; text?: string } | { ok: false; error: string };
