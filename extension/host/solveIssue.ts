// "Solve Issue" from the command palette: one QuickPick offering the open issues of the
// repository's GitHub remote (loaded while the picker is open), a local Markdown issue file, or the
// editor's selected text. It returns the Task; starting the session is the caller's job.
// `solveIssueFrom` is the same path without the UI, for tests and for callers that already know.
import * as vscode from "vscode";
import { GitHubError, type GitHubIssue } from "../core/issues/github";
import type { Task } from "../core/issues/task";
import { errorMessage } from "../core/errorMessage";
import { githubRepository, readIssueFile, taskFromChoice, taskFromIssue, workspaceFolder, type GitHubRepository, type IssueChoice } from "./issues/issueSources";
import { log } from "./log";

export type { IssueChoice } from "./issues/issueSources";

export function solveIssueFrom(choice: IssueChoice): Promise<Task> {
  return taskFromChoice(choice, workspaceFolder());
}

type PickItem = vscode.QuickPickItem & { readonly choose?: () => Promise<Task | undefined> };

/** The interactive flow; undefined when the user dismisses it. */
export async function pickIssueTask(): Promise<Task | undefined> {
  const folder = workspaceFolder();
  const picker = vscode.window.createQuickPick<PickItem>();
  picker.title = "Solve Issue";
  picker.placeholder = "Pick a GitHub issue, a local issue file, or the selected text";
  picker.matchOnDetail = true;
  const fixed = fixedItems(folder);
  picker.items = fixed;
  picker.busy = true;
  void loadGitHubItems(folder, { signIn: false }).then((items) => {
    picker.items = [...items, ...fixed];
    picker.busy = false;
  });
  try {
    const picked = await new Promise<PickItem | undefined>((resolve) => {
      picker.onDidAccept(() => resolve(picker.selectedItems[0]));
      picker.onDidHide(() => resolve(undefined));
      picker.show();
    });
    picker.hide();
    return await picked?.choose?.();
  } finally {
    picker.dispose();
  }
}

function fixedItems(folder: vscode.WorkspaceFolder): PickItem[] {
  const items: PickItem[] = [
    { label: "Local files", kind: vscode.QuickPickItemKind.Separator },
    { label: "$(markdown) Local issue file…", detail: "A Markdown file: its first '# ' heading is the title, the rest the body.", choose: () => pickIssueFile(folder) },
  ];
  const selection = selectedText();
  if (selection) {
    const preview = selection.replace(/\s+/g, " ").trim().slice(0, 80);
    items.push({ label: "$(selection) Selected text", detail: preview, choose: () => solveIssueFrom({ kind: "text", text: selection }) });
  }
  return items;
}

async function loadGitHubItems(folder: vscode.WorkspaceFolder, options: { signIn: boolean }): Promise<PickItem[]> {
  let repository: GitHubRepository | undefined;
  try {
    repository = await githubRepository(folder, options);
    const { owner, repo } = repository.ref;
    const issues = await repository.client.listOpenIssues(owner, repo);
    const header: PickItem = { label: `GitHub: ${owner}/${repo}`, kind: vscode.QuickPickItemKind.Separator };
    if (issues.length === 0) return [header, { label: "$(info) No open issues", detail: `${owner}/${repo} has no open issues.` }];
    const ready = repository;
    return [header, ...issues.map((issue) => issueItem(issue, async () => taskFromIssue(ready, issue)))];
  } catch (error) {
    log().info(`Solve Issue: GitHub issues unavailable: ${errorMessage(error)}`);
    return [{ label: "GitHub", kind: vscode.QuickPickItemKind.Separator }, unavailableItem(folder, error)];
  }
}

function issueItem(issue: GitHubIssue, choose: () => Promise<Task>): PickItem {
  const firstLine = issue.body.split(/\r?\n/).find((l) => l.trim()) ?? "";
  return {
    label: `#${issue.number} ${issue.title}`,
    description: issue.labels.join(", "),
    detail: firstLine.slice(0, 120),
    choose,
  };
}

/** Picking it explains the problem and, when signing in could help, offers it. */
function unavailableItem(folder: vscode.WorkspaceFolder, error: unknown): PickItem {
  const canSignIn = error instanceof GitHubError && ["unauthorized", "forbidden", "not-found", "rate-limited"].includes(error.kind);
  return {
    label: "$(warning) GitHub issues unavailable",
    detail: errorMessage(error),
    choose: async () => {
      if (!canSignIn) {
        void vscode.window.showWarningMessage(errorMessage(error));
        return undefined;
      }
      const answer = await vscode.window.showWarningMessage(errorMessage(error), "Sign in to GitHub");
      if (answer !== "Sign in to GitHub") return undefined;
      const items = await loadGitHubItems(folder, { signIn: true });
      const picked = await vscode.window.showQuickPick(items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator), { title: "Solve Issue: GitHub" });
      return picked?.choose?.();
    },
  };
}

async function pickIssueFile(folder: vscode.WorkspaceFolder): Promise<Task | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: "Solve Issue: pick a Markdown issue file",
    defaultUri: folder.uri,
    canSelectMany: false,
    filters: { Markdown: ["md", "markdown"] },
  });
  const uri = picked?.[0];
  return uri ? readIssueFile(uri.fsPath, folder) : undefined;
}

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const text = editor.document.getText(editor.selection);
  return text.trim() ? text : undefined;
}
