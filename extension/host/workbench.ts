// The extension's long-lived state: the task panel, the status bar, and (later) sessions and the
// model host. Commands and panel messages land here.
import * as vscode from "vscode";
import type { WebviewMessage } from "../../webview/protocol";
import type { CommandHandlers } from "./commands";
import { commandIds } from "./commands";
import { log } from "./log";
import { pickIssueTask } from "./solveIssue";
import type { AgentStatusBar } from "./statusBar";
import type { TaskPanelProvider } from "./taskPanel";

export interface Workbench extends CommandHandlers, vscode.Disposable {
  attachPanel(panel: TaskPanelProvider): void;
  onPanelMessage(message: WebviewMessage): Promise<void>;
}

export function createWorkbench(_context: vscode.ExtensionContext, statusBar: AgentStatusBar): Workbench {
  let panel: TaskPanelProvider | undefined;
  const workbench: Workbench = {
    attachPanel(p) {
      panel = p;
    },
    async onPanelMessage(message) {
      switch (message.type) {
        case "startTask":
          await vscode.commands.executeCommand(commandIds.startTask, message.task);
          break;
        case "stop":
          await vscode.commands.executeCommand(commandIds.stop);
          break;
        case "command":
          await vscode.commands.executeCommand(commandIds[message.command]);
          break;
        case "ready":
          break;
      }
    },
    async startTask(task) {
      const text = task ?? (await vscode.window.showInputBox({ prompt: "What should the agent do?", ignoreFocusOut: true }));
      if (!text) return undefined;
      log().info(`task requested: ${text.slice(0, 200)}`);
      statusBar.set("task received");
      panel?.post({ type: "status", text: `Task received: ${text.slice(0, 80)}`, busy: false });
      return text;
    },
    async solveIssue() {
      // The picked Task (title, body, issue number); starting its session is wired by the lead.
      return pickIssueTask();
    },
    async reviewSession() {
      // The session commands (extension/host/sessions) pick a session and open its multi-file diff.
      return vscode.commands.executeCommand("infiniteToolUse.sessions.review");
    },
    async stop() {
      statusBar.set("idle");
      panel?.post({ type: "status", text: "Idle", busy: false });
    },
    dispose() {
      panel = undefined;
    },
  };
  return workbench;
}
