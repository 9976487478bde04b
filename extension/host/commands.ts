// The contributed commands. Each is a small factory; registration goes through the one error path.
import * as vscode from "vscode";
import { registerCommand } from "./errors";
import type { IssueChoice } from "./issues/issueSources";
import { log } from "./log";

function isIssueChoice(value: unknown): value is IssueChoice {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.kind === "github" && typeof v.number === "number") || (v.kind === "file" && typeof v.path === "string") || (v.kind === "text" && typeof v.text === "string");
}

export const commandIds = {
  startTask: "infiniteToolUse.startTask",
  solveIssue: "infiniteToolUse.solveIssue",
  reviewSession: "infiniteToolUse.reviewSession",
  stop: "infiniteToolUse.stop",
  showLog: "infiniteToolUse.showLog",
} as const;

export interface CommandHandlers {
  startTask(task?: string): Promise<unknown>;
  /** Without arguments a picker is shown; a source skips it (automation, tests). */
  solveIssue(source?: IssueChoice, options?: { replay?: string }): Promise<unknown>;
  reviewSession(): Promise<unknown>;
  stop(): Promise<unknown>;
}

export function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return [
    registerCommand(commandIds.startTask, (task) => handlers.startTask(typeof task === "string" ? task : undefined)),
    registerCommand(commandIds.solveIssue, (source, options) =>
      handlers.solveIssue(isIssueChoice(source) ? source : undefined, typeof options === "object" && options !== null ? (options as { replay?: string }) : undefined),
    ),
    registerCommand(commandIds.reviewSession, () => handlers.reviewSession()),
    registerCommand(commandIds.stop, () => handlers.stop()),
    registerCommand(commandIds.showLog, () => log().show(true)),
  ];
}
