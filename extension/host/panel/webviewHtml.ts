// HTML for webviews: a strict CSP (no inline script or style, scripts only with this view's nonce).
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

export function nonce(): string {
  return randomBytes(18).toString("base64url");
}

export function taskPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview.js"));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "panel.css"));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Infinite Tool Use</title>
</head>
<body>
<main>
  <section class="model" aria-label="Model">
    <div class="model-line">
      <span class="label">Model</span>
      <span id="model-name" class="model-name">none</span>
      <button id="pick-model" type="button" class="secondary small">Change…</button>
    </div>
    <progress id="model-progress" max="1" hidden aria-label="Model load progress"></progress>
    <div id="model-detail" class="muted"></div>
    <div id="model-format" class="muted" hidden></div>
    <div id="model-welcome" class="welcome" hidden>
      <p><strong>Welcome.</strong> Choose the model that will do the work; it runs on this machine, and nothing is sent anywhere.</p>
      <div class="row">
        <button id="welcome-pick-model" type="button">Pick Model…</button>
        <button id="choose-model-file" type="button" class="secondary">Choose GGUF File…</button>
      </div>
    </div>
  </section>
  <section id="restricted" class="restricted" role="note" aria-label="Restricted Mode" hidden>
    <p>Restricted Mode: this workspace is not trusted, so the model can read and edit files but cannot run tasks.</p>
    <button id="manage-trust" type="button" class="secondary small">Manage Workspace Trust…</button>
  </section>
  <section class="task" aria-label="Task">
    <label for="task">Task</label>
    <textarea id="task" placeholder="Describe the change to make (Ctrl+Enter starts)" aria-describedby="status"></textarea>
    <div class="row">
      <button id="start" type="button" title="Start (Ctrl+Enter)">Start</button>
      <button id="pause" type="button" class="secondary" disabled>Pause</button>
      <button id="stop" type="button" class="secondary" disabled>Stop</button>
      <button id="pick-issue" type="button" class="secondary">Solve Issue…</button>
    </div>
    <p id="status" class="status" role="status" aria-live="polite">Idle</p>
    <p id="branch" class="muted" hidden></p>
  </section>
  <section id="summary" class="summary" aria-labelledby="summary-heading" hidden>
    <h2 id="summary-heading">Summary</h2>
    <p id="summary-reason" class="muted"></p>
    <p id="summary-text" class="pre"></p>
    <div class="row">
      <button id="review" type="button">Review</button>
      <button id="accept" type="button" class="secondary">Accept</button>
      <button id="discard" type="button" class="secondary">Discard</button>
    </div>
  </section>
  <section class="meters" aria-label="Meters">
    <dl id="meters" hidden></dl>
  </section>
  <details id="notes-section" class="notes" open>
    <summary>Notes</summary>
    <p id="notes" class="pre muted">No notes yet.</p>
  </details>
  <section class="timeline" aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">Steps</h2>
    <p id="earlier" class="muted" hidden></p>
    <ol id="timeline" class="cards"></ol>
    <p id="running" class="running muted" hidden></p>
  </section>
</main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
