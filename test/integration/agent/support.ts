// Shared set-up for the agent group: the fixture workspace becomes a git repository with one commit,
// and the extension's API is one call away.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";

export const workspace = process.env.ITU_WORKSPACE ?? "";
export const traces = join(process.env.ITU_REPO_ROOT ?? "", "test/fixtures/traces");

export function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: workspace, encoding: "utf8" });
}

/** Makes the fixture a repository with one commit; a second call (another suite) does nothing. */
export function initRepository(): void {
  if (existsSync(join(workspace, ".git"))) return;
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "Calculator project");
}

export { activate, showPanel } from "../support/vscode";


export async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration("workbench").update("colorTheme", theme, vscode.ConfigurationTarget.Global);
  await new Promise((r) => setTimeout(r, 500));
}
