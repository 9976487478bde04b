// The status bar item: what the agent is doing, one click from the task panel.
import * as vscode from "vscode";

export class AgentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("infiniteToolUse.status", vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = "Infinite Tool Use";
    this.item.command = "infiniteToolUse.taskPanel.focus";
    this.set("idle");
    this.item.show();
  }

  /** `engine`: where the model runs, when not in-process ("engine: llama-server at URL (model X)"), for the tooltip. */
  set(text: string, busy = false, engine?: string): void {
    this.item.text = `${busy ? "$(loading~spin)" : "$(infinity)"} ${text}`;
    this.item.tooltip = `Infinite Tool Use: ${text}${engine ? ` (${engine})` : ""}`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
