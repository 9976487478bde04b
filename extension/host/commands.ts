// The contributed commands. Each is a small factory; registration goes through the one error path.
import * as vscode from "vscode";
import { registerCommand } from "./errors";
import { log } from "./log";

export const commandIds = {
  startTask: "infiniteToolUse.startTask",
  solveIssue: "infiniteToolUse.solveIssue",
  reviewSession: "infiniteToolUse.reviewSession",
  stop: "infiniteToolUse.stop",
  showLog: "infiniteToolUse.showLog",
} as const;

export interface CommandHandlers {
  startTask(task?: string): Promise<unknown>;
  solveIssue(): Promise<unknown>;
  reviewSession(): Promise<unknown>;
  stop(): Promise<unknown>;
}

export function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return [
    registerCommand(commandIds.startTask, (task) => handlers.startTask(typeof task === "string" ? task : undefined)),
    registerCommand(commandIds.solveIssue, () => handlers.solveIssue()),
    registerCommand(commandIds.reviewSession, () => handlers.reviewSession()),
    registerCommand(commandIds.stop, () => handlers.stop()),
    registerCommand(commandIds.showLog, () => log().show(true)),
  ];
}
