// The sidebar task panel (a webview view). The extension owns the state; the webview renders it.
import * as vscode from "vscode";
import { isWebviewMessage, type HostMessage, type WebviewMessage } from "../../webview/protocol";
import { log } from "./log";
import { taskPanelHtml } from "./webviewHtml";

export const taskPanelViewId = "infiniteToolUse.taskPanel";

export class TaskPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly received = new vscode.EventEmitter<WebviewMessage>();
  /** Every valid message from the webview (the integration tests listen here too). */
  readonly onDidReceiveMessage = this.received.event;
  private readonly viewDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly extensionVersion: string,
    private readonly handle: (message: WebviewMessage) => void | Promise<void>,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist")] };
    view.webview.html = taskPanelHtml(view.webview, this.extensionUri);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      view.onDidDispose(() => this.disposeView()),
    );
  }

  post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) {
      log().warn(`task panel: ignored a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (raw.type === "ready") this.post({ type: "init", extensionVersion: this.extensionVersion });
    this.received.fire(raw);
    await this.handle(raw);
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = undefined;
  }

  dispose(): void {
    this.disposeView();
    this.received.dispose();
  }
}
