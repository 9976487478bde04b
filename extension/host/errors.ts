// One error path for every command: log the whole error, show a short message with "Open Log".
import * as vscode from "vscode";
import { errorMessage } from "../core/errorMessage";
import { log } from "./log";

export async function reportError(what: string, error: unknown): Promise<void> {
  log().error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const choice = await vscode.window.showErrorMessage(`${what}: ${errorMessage(error)}`, "Open Log");
  if (choice === "Open Log") log().show(true);
}

/** Registers a command whose failures go through reportError instead of vanishing. */
export function registerCommand(id: string, run: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (error) {
      void reportError(`Infinite Tool Use: ${id.replace(/^infiniteToolUse\./, "")} failed`, error);
      return undefined;
    }
  });
}
