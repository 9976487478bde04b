// What a test may ask of the browser that shows the workbench, and what comes back.
export type BrowserRequest =
  | { kind: "screenshot"; name: string }
  | { kind: "type"; text: string }
  | { kind: "press"; key: string }
  | { kind: "click"; selector: string; hasText?: string; timeoutMs?: number }
  | { kind: "text"; selector: string };

export type BrowserAnswer = { ok: true; text?: string } | { ok: false; error: string };
