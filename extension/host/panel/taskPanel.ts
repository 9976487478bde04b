// The sidebar task panel (a webview view). The extension owns the state (PanelState); the webview
// renders it. The webview's page is thrown away whenever the view is hidden, so each new page gets a
// full snapshot when it says `ready`, and only then the live events that follow.
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import { isWebviewMessage, whyInvalid, WebviewMessageSchema, type HostMessage, type RenderedView, type TestAction, type WebviewMessage } from "../../../webview/protocol";
import { log } from "../log";
import { PanelState, type PanelUpdate } from "./panelState";
import { taskPanelHtml } from "./webviewHtml";

export const taskPanelViewId = "infiniteToolUse.taskPanel";

export class TaskPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** True from the page's `ready` until it is hidden or replaced: messages before that would be lost. */
  private pageReady = false;
  private readonly received = new vscode.EventEmitter<WebviewMessage>();
  /** Every valid message from the webview (the integration tests listen here too). */
  readonly onDidReceiveMessage = this.received.event;
  private readonly viewDisposables: vscode.Disposable[] = [];
  private readonly stateSubscription: { dispose(): void };
  private readonly pendingTests = new Map<string, (view: RenderedView) => void>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly extensionVersion: string,
    private readonly handle: (message: WebviewMessage) => void | Promise<void>,
    /** What the panel shows; the agent loop reports into it. */
    readonly state: PanelState = new PanelState(),
  ) {
    this.stateSubscription = state.onDidChange((update: PanelUpdate) => {
      if (this.pageReady) this.post(update);
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist")] };
    view.webview.html = taskPanelHtml(view.webview, this.extensionUri);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      view.onDidChangeVisibility(() => {
        // A hidden view's page is discarded; the next page announces itself with `ready`.
        if (!view.visible) this.pageReady = false;
      }),
      view.onDidDispose(() => this.disposeView()),
    );
  }

  post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  /**
   * Asks the live page to act as a user would (type, press, expand) or just to describe what it
   * shows; resolves with what it renders afterwards. For tests and diagnostics.
   */
  testWebview(action: TestAction, timeoutMs = 10_000): Promise<RenderedView> {
    if (!this.view || !this.pageReady) return Promise.reject(new Error("the task panel is not showing a ready page"));
    const requestId = randomUUID();
    return new Promise<RenderedView>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingTests.delete(requestId);
        reject(new Error(`the task panel did not answer "${action.kind}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingTests.set(requestId, (view) => {
        clearTimeout(timer);
        resolve(view);
      });
      this.post({ type: "test", requestId, action });
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) {
      log().warn(`task panel: ignored a malformed message (${whyInvalid(WebviewMessageSchema, raw)}): ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (raw.type === "ready") {
      this.post({ type: "init", extensionVersion: this.extensionVersion });
      this.post({ type: "snapshot", snapshot: this.state.snapshot() });
      this.pageReady = true;
    }
    if (raw.type === "described") {
      this.pendingTests.get(raw.requestId)?.(raw.view);
      this.pendingTests.delete(raw.requestId);
      return;
    }
    this.received.fire(raw);
    await this.handle(raw);
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = undefined;
    this.pageReady = false;
  }

  dispose(): void {
    this.disposeView();
    this.stateSubscription.dispose();
    this.received.dispose();
  }
}
