// The cancellable progress notification of a model load or download: percent reported as increments.
import * as vscode from "vscode";

/** `report(percent, message)` moves the bar forward only (a lower percent is ignored); cancelling the notification aborts `signal`. */
export function withCancellableProgress<T>(title: string, work: (report: (percent: number, message: string) => void, signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    let reported = 0;
    const report = (percent: number, message: string) => {
      if (percent > reported) progress.report({ increment: percent - reported, message });
      reported = Math.max(reported, percent);
    };
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(report, controller.signal);
    } finally {
      cancel.dispose();
    }
  });
}
