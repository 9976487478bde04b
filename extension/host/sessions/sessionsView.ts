// The Sessions tree: one item per session (task, status, steps, base, issue), with its changed files
// and its steps as children. Clicking a file opens its base...session diff; clicking a step opens
// that step's own multi-file diff.
import * as vscode from "vscode";
import type { ChangedFile, SessionInfo, SessionStore, TraceStep } from "../../core/sessions/index";
import { sessionCommandIds } from "./sessionCommands";

export const sessionsViewId = "infiniteToolUse.sessions";

export type SessionsNode =
  | { readonly kind: "session"; readonly store: SessionStore; readonly info: SessionInfo }
  | { readonly kind: "files"; readonly store: SessionStore; readonly info: SessionInfo }
  | { readonly kind: "file"; readonly store: SessionStore; readonly info: SessionInfo; readonly file: ChangedFile }
  | { readonly kind: "steps"; readonly store: SessionStore; readonly info: SessionInfo }
  | { readonly kind: "step"; readonly store: SessionStore; readonly info: SessionInfo; readonly step: TraceStep };

/** Every session of every store, store by store in the stores' order. */
export async function listAllSessions(stores: readonly SessionStore[]): Promise<{ store: SessionStore; info: SessionInfo }[]> {
  return (await Promise.all(stores.map(async (store) => (await store.list()).map((info) => ({ store, info }))))).flat();
}

const statusIcons: Record<SessionInfo["status"], string> = { active: "debug-pause", finished: "pass", accepted: "check-all" };

/**
 * What the view calls a status. An "active" session has no end in its trace: it may be running, or
 * stopped by a budget, the repeat limit or a crash; either way Resume continues it, so "unfinished"
 * (a stopped session read as "active" looked like it was still running).
 */
export const statusLabels: Record<SessionInfo["status"], string> = { active: "unfinished", finished: "finished", accepted: "accepted" };

export class SessionsTreeProvider implements vscode.TreeDataProvider<SessionsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly stores: () => Promise<SessionStore[]>) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: SessionsNode): Promise<SessionsNode[]> {
    if (!node) {
      return (await listAllSessions(await this.stores())).map(({ store, info }) => ({ kind: "session" as const, store, info }));
    }
    switch (node.kind) {
      case "session":
        return [
          { kind: "files", store: node.store, info: node.info },
          { kind: "steps", store: node.store, info: node.info },
        ];
      case "files":
        return (await node.store.changedFiles(node.info.id)).map((file) => ({ kind: "file", store: node.store, info: node.info, file }));
      case "steps": {
        const trace = await node.store.readTrace(node.info.id);
        return trace.steps.map((step) => ({ kind: "step", store: node.store, info: node.info, step }));
      }
      default:
        return [];
    }
  }

  getTreeItem(node: SessionsNode): vscode.TreeItem {
    switch (node.kind) {
      case "session":
        return sessionItem(node.info);
      case "files": {
        const item = new vscode.TreeItem("Files changed", vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon("diff");
        return item;
      }
      case "file": {
        const item = new vscode.TreeItem(node.file.path, vscode.TreeItemCollapsibleState.None);
        item.description = node.file.status;
        item.resourceUri = vscode.Uri.file(node.file.path);
        item.command = { command: sessionCommandIds.review, title: "Review", arguments: [node.info.id] };
        return item;
      }
      case "steps": {
        const item = new vscode.TreeItem(`Steps (${node.info.steps})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon("list-ordered");
        return item;
      }
      case "step": {
        const item = new vscode.TreeItem(`${node.step.step}. ${node.step.call.tool}`, vscode.TreeItemCollapsibleState.None);
        item.description = node.step.observation.summary ?? (node.step.commit ? node.step.commit.slice(0, 8) : "read-only");
        item.tooltip = `${JSON.stringify(node.step.call.args)}\n\n${node.step.observation.text.slice(0, 500)}`;
        item.contextValue = node.step.commit ? "step.commit" : "step";
        item.iconPath = new vscode.ThemeIcon(node.step.commit ? "git-commit" : "eye");
        if (node.step.commit) item.command = { command: sessionCommandIds.openStepDiff, title: "Open Step Diff", arguments: [node.info.id, node.step.step] };
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function sessionItem(info: SessionInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(info.task.split("\n")[0]!.slice(0, 80), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `session:${info.id}`;
  item.description = `${statusLabels[info.status]} · ${info.steps} step${info.steps === 1 ? "" : "s"}${info.issue ? ` · #${info.issue}` : ""}`;
  item.tooltip = new vscode.MarkdownString(
    [`**${info.task}**`, `Branch: \`${info.branch}\``, `Base: \`${info.base.ref ?? "detached"}\` at \`${info.base.commit.slice(0, 10)}\``, `Status: ${statusLabels[info.status]}${info.status === "active" ? " (Resume continues it)" : ""}, ${info.steps} steps`, info.issue ? `From issue #${info.issue}` : "", info.summary ? `Summary: ${info.summary}` : ""].filter(Boolean).join("\n\n"),
  );
  item.iconPath = new vscode.ThemeIcon(statusIcons[info.status]);
  item.contextValue = `session.${info.status}`;
  return item;
}
