// The task panel's script. Runs in the webview sandbox; talks to the extension only via protocol.ts.
// The host sends a full snapshot on `ready` and then events; both are folded with the same reducer
// the host uses, the cheap sections are redrawn, and the timeline is updated card by card.
import { byId } from "./dom";
import { defaultPanelLimits, initialSnapshot, isHostMessage, protocolVersion, reducePanel, type HostMessage, type PanelSnapshot, type WebviewMessage } from "./protocol";
import { renderSections, sectionElements } from "./sections";
import { runTestAction } from "./testHooks";
import { Timeline } from "./timeline";
import { UiStateStore, type VsCodeApi } from "./uiState";

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: WebviewMessage) => vscode.postMessage(message);
const ui = new UiStateStore(vscode);
const els = sectionElements();
const timeline = new Timeline(byId("timeline"), byId("earlier"), byId("running"), ui, defaultPanelLimits.maxCards);
let snapshot: PanelSnapshot = initialSnapshot();

els.task.value = ui.taskDraft;
els.task.addEventListener("input", () => ui.setTaskDraft(els.task.value));
els.task.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    els.start.click();
  }
});
els.start.addEventListener("click", () => {
  const task = els.task.value.trim();
  if (task) post({ type: "startTask", task });
  else els.task.focus();
});
els.pause.addEventListener("click", () => post({ type: snapshot.session?.phase === "paused" ? "resume" : "pause" }));
els.stop.addEventListener("click", () => post({ type: "stop" }));
els.pickIssue.addEventListener("click", () => post({ type: "command", command: "solveIssue" }));
els.pickModel.addEventListener("click", () => post({ type: "pickModel" }));
els.welcomePickModel.addEventListener("click", () => post({ type: "pickModel" }));
els.chooseModelFile.addEventListener("click", () => post({ type: "command", command: "chooseModelFile" }));
els.manageTrust.addEventListener("click", () => post({ type: "command", command: "manageWorkspaceTrust" }));
for (const [button, action] of [
  [els.review, "review"],
  [els.accept, "accept"],
  [els.discard, "discard"],
] as const) {
  button.addEventListener("click", () => {
    if (snapshot.session) post({ type: "sessionAction", action, sessionId: snapshot.session.id });
  });
}

function onHostMessage(message: HostMessage): void {
  switch (message.type) {
    case "init":
      document.body.dataset.extensionVersion = message.extensionVersion;
      return;
    case "status":
      // A transient line from the host outside any session's events (e.g. "Task received").
      els.status.textContent = message.text;
      return;
    case "test":
      void runTestAction(message.action).then((view) => post({ type: "described", requestId: message.requestId, view }));
      return;
    case "snapshot":
      snapshot = message.snapshot;
      timeline.reset(snapshot.session);
      break;
    default:
      snapshot = reducePanel(snapshot, message);
      if (message.type === "sessionStarted") timeline.reset(snapshot.session);
      else if (message.type === "stepFinished" && snapshot.session) timeline.add(message.card, snapshot.session);
      else timeline.update(snapshot.session);
  }
  renderSections(els, snapshot);
}

window.addEventListener("message", (event: MessageEvent) => {
  if (isHostMessage(event.data)) onHostMessage(event.data);
  else console.warn("task panel: ignored a malformed message from the host");
});

post({ type: "ready", version: protocolVersion });
