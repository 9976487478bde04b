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
  <label for="task">Task</label>
  <textarea id="task" placeholder="Describe the change to make (Ctrl+Enter starts)" aria-describedby="status"></textarea>
  <div class="row">
    <button id="start" type="button">Start</button>
    <button id="stop" type="button" class="secondary" disabled>Stop</button>
    <button type="button" class="secondary" data-command="solveIssue">Solve Issue…</button>
    <button type="button" class="secondary" data-command="reviewSession">Review…</button>
  </div>
  <p id="status" role="status" aria-live="polite">Idle</p>
</main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
