// The task panel's script. Runs in the webview sandbox; talks to the extension only via protocol.ts.
import { isHostMessage, protocolVersion, type HostMessage, type WebviewMessage } from "./protocol";

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

interface PanelState {
  taskDraft: string;
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`task panel: missing #${id}`);
  return el as T;
}

const taskBox = byId<HTMLTextAreaElement>("task");
const startButton = byId<HTMLButtonElement>("start");
const stopButton = byId<HTMLButtonElement>("stop");
const statusLine = byId<HTMLElement>("status");

// Only UI state lives here; the extension owns sessions.
const saved = vscode.getState() as PanelState | undefined;
if (saved?.taskDraft) taskBox.value = saved.taskDraft;

taskBox.addEventListener("input", () => vscode.setState({ taskDraft: taskBox.value } satisfies PanelState));
taskBox.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    startButton.click();
  }
});
startButton.addEventListener("click", () => {
  const task = taskBox.value.trim();
  if (task) vscode.postMessage({ type: "startTask", task });
});
stopButton.addEventListener("click", () => vscode.postMessage({ type: "stop" }));
for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-command]")) {
  button.addEventListener("click", () => {
    const command = button.dataset.command;
    if (command === "solveIssue" || command === "reviewSession" || command === "showLog") vscode.postMessage({ type: "command", command });
  });
}

function render(message: HostMessage): void {
  switch (message.type) {
    case "init":
      document.body.dataset.extensionVersion = message.extensionVersion;
      break;
    case "status":
      statusLine.textContent = message.text;
      startButton.disabled = message.busy;
      stopButton.disabled = !message.busy;
      break;
  }
}

window.addEventListener("message", (event: MessageEvent) => {
  if (isHostMessage(event.data)) render(event.data);
});

vscode.postMessage({ type: "ready", version: protocolVersion });
