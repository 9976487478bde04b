// One error path for every command: log the whole error, show a short message with "Open Log".
import * as vscode from "vscode";
import { errorMessage } from "../core/errorMessage";
import { log } from "./log";

export async function reportError(what: string, error: unknown): Promise<void> {
  log().error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const choice = await vscode.window.showErrorMessage(`${what}: ${errorMessage(error)}`, "Open Log");
  if (choice === "Open Log") log().show(true);
}

/** The command's title as the Command Palette shows it ("Pick Model"), not its id ("pickModel"). */
export function commandTitle(id: string): string {
  const commands = vscode.extensions.getExtension("infinite-tool-use.infinite-tool-use")?.packageJSON?.contributes?.commands as Array<{ command: string; title: string }> | undefined;
  return commands?.find((c) => c.command === id)?.title ?? id.replace(/^infiniteToolUse\./, "");
}

/** Registers a command whose failures go through reportError instead of vanishing. */
export function registerCommand(id: string, run: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (error) {
      void reportError(`Infinite Tool Use: ${commandTitle(id)} failed`, error);
      return undefined;
    }
  });
}
