// Turns the user's choice (a GitHub issue, a local issue file, selected text) into a Task, reading
// settings, git remotes and files through VS Code so that remote workspaces work too.
import * as vscode from "vscode";
import { GitHubClient, type GitHubIssue } from "../../core/issues/github";
import { findGitHubRemote } from "../../core/issues/gitRemote";
import { parseMarkdownIssue, IssueFileError } from "../../core/issues/markdownIssue";
import { apiBaseFor, type GitHubRepoRef } from "../../core/issues/remote";
import { taskFromGitHubIssue, taskFromText, type Task } from "../../core/issues/task";
import { githubToken } from "./githubAuth";
import { githubApiUrl } from "../config";
import { errorMessage } from "../../core/errorMessage";

export type IssueChoice =
  | { readonly kind: "github"; readonly number: number }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "text"; readonly text: string };

const maxIssueFileBytes = 1024 * 1024;

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("Open a folder first: Solve Issue works on a workspace folder.");
  return folder;
}

export interface GitHubRepository {
  readonly ref: GitHubRepoRef;
  readonly client: GitHubClient;
}

/** The folder's GitHub repository and a client for it (signed in when `signIn` or a silent session exists). */
export async function githubRepository(folder: vscode.WorkspaceFolder, options: { signIn: boolean }): Promise<GitHubRepository> {
  const ref = await findGitHubRemote(folder.uri.fsPath);
  const setting = githubApiUrl(folder);
  const token = await githubToken(options);
  return { ref, client: new GitHubClient({ baseUrl: apiBaseFor(ref, setting), ...(token ? { token } : {}) }) };
}

export function taskFromIssue(repository: GitHubRepository, issue: GitHubIssue): Task {
  return taskFromGitHubIssue(issue, repository.ref.owner, repository.ref.repo);
}

export async function taskFromChoice(choice: IssueChoice, folder: vscode.WorkspaceFolder): Promise<Task> {
  switch (choice.kind) {
    case "github": {
      const repository = await githubRepository(folder, { signIn: false });
      return taskFromIssue(repository, await repository.client.getIssue(repository.ref.owner, repository.ref.repo, choice.number));
    }
    case "file":
      return readIssueFile(choice.path, folder);
    case "text":
      return taskFromText(choice.text);
  }
}

/** A path relative to the workspace folder or absolute; the task records it workspace-relative when it can. */
export async function readIssueFile(path: string, folder: vscode.WorkspaceFolder): Promise<Task> {
  const uri = /^([a-z]:)?[\\/]/i.test(path) ? vscode.Uri.file(path) : vscode.Uri.joinPath(folder.uri, path);
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > maxIssueFileBytes) throw new IssueFileError(`${path} is ${stat.size} bytes; an issue file may hold at most ${maxIssueFileBytes}.`);
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    if (error instanceof IssueFileError) throw error;
    throw new IssueFileError(`Could not read the issue file ${path}: ${errorMessage(error)}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new IssueFileError(`${path} is not UTF-8 text; an issue file must be Markdown.`);
  }
  return parseMarkdownIssue(text, vscode.workspace.asRelativePath(uri, false));
}
