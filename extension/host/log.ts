// The extension's log: one output channel ("Infinite Tool Use"), with levels the user can change.
import * as vscode from "vscode";

let channel: vscode.LogOutputChannel | undefined;

export function createLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel("Infinite Tool Use", { log: true });
  return channel;
}

export function log(): vscode.LogOutputChannel {
  return channel ?? createLog();
}
