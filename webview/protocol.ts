// The task panel's wire protocol: the only module shared by the webview and the extension.
// Each message is a plain object with a `type`; guards keep both ends honest.

/** Webview -> extension. */
export type WebviewMessage =
  | { type: "ready"; version: number }
  | { type: "startTask"; task: string }
  | { type: "stop" }
  | { type: "command"; command: PanelCommand };

/** Commands the panel's buttons may run; the extension maps them to contributed commands. */
export type PanelCommand = "solveIssue" | "reviewSession" | "showLog";

/** Extension -> webview. */
export type HostMessage =
  | { type: "init"; extensionVersion: string }
  | { type: "status"; text: string; busy: boolean };

export const protocolVersion = 1;

const webviewTypes = new Set<WebviewMessage["type"]>(["ready", "startTask", "stop", "command"]);

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !webviewTypes.has(type as WebviewMessage["type"])) return false;
  const m = value as Record<string, unknown>;
  switch (type) {
    case "ready":
      return typeof m.version === "number";
    case "startTask":
      return typeof m.task === "string";
    case "command":
      return m.command === "solveIssue" || m.command === "reviewSession" || m.command === "showLog";
    default:
      return true;
  }
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return (m.type === "init" && typeof m.extensionVersion === "string") || (m.type === "status" && typeof m.text === "string");
}
