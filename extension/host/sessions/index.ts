// Wires the session store into VS Code: one store per workspace folder that is a git repository,
// the Sessions tree view, the read-only git content provider and the session commands.
import * as vscode from "vscode";
import { GitGate, isSessionError, type SessionInfo, type SessionStore } from "../../core/sessions/index";
import { openSessionStore } from "../config";
import { log } from "../log";
import { GitContentProvider, gitContentScheme } from "./gitContent";
import { idOf, registerSessionCommands } from "./sessionCommands";
import { registerExportCommand } from "./exportCommand";
import { listAllSessions, SessionsTreeProvider, sessionsViewId, statusLabels } from "./sessionsView";

export interface SessionsApi {
  /** The stores of the workspace folders that are git repositories. */
  stores(): Promise<SessionStore[]>;
  /** The store (of whichever workspace folder) that holds session `id`. */
  storeOf(id: string): Promise<SessionStore>;
  refresh(): void;
}

const noRepositoryContext = "infiniteToolUse.sessions.noRepository";

/** Continues a session of `store` through the workbench (the one place that runs sessions); `options`
 * come from the Resume command's second argument (tests, automation). */
export type ResumeHandler = (store: SessionStore, sessionId: string, options?: unknown) => Promise<unknown>;

export function registerSessions(resume?: ResumeHandler): { api: SessionsApi; disposables: vscode.Disposable[] } {
  const cache = new Map<string, Promise<SessionStore | undefined>>();

  const openStore = (folder: vscode.WorkspaceFolder): Promise<SessionStore | undefined> => {
    return openSessionStore(folder).catch((error: unknown) => {
      if (isSessionError(error, "not-a-repository") || isSessionError(error, "git-missing")) {
        log().info(`sessions: ${folder.uri.fsPath}: ${error.message}`);
        return undefined;
      }
      throw error;
    });
  };

  const stores = async (): Promise<SessionStore[]> => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file");
    const opened = await Promise.all(
      folders.map((f) => {
        let store = cache.get(f.uri.fsPath);
        if (!store) cache.set(f.uri.fsPath, (store = openStore(f)));
        return store;
      }),
    );
    const found = opened.filter((s): s is SessionStore => s !== undefined);
    void vscode.commands.executeCommand("setContext", noRepositoryContext, folders.length > 0 && found.length === 0);
    return found;
  };

  const storeOf = async (id: string, all?: readonly SessionStore[]): Promise<SessionStore> => {
    for (const store of all ?? (await stores())) if ((await store.list()).some((s) => s.id === id)) return store;
    throw new Error(`No session ${id} in this workspace.`);
  };

  const tree = new SessionsTreeProvider(stores);
  const refresh = () => {
    cache.clear();
    tree.refresh();
  };

  const initRepository = async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const choice = await vscode.window.showInformationMessage(`Initialise a git repository in ${folder.name}? Sessions need one (each session is a branch).`, { modal: true }, "Initialise");
    if (choice !== "Initialise") return undefined;
    await vscode.commands.executeCommand("git.init");
    refresh();
    return true;
  };

  const locate = async (id?: string): Promise<{ store: SessionStore; id: string } | undefined> => {
    const all = await stores();
    if (all.length === 0) {
      const init = "Initialise Repository";
      const choice = await vscode.window.showErrorMessage("Sessions need a git repository (every session is a branch), and this workspace has none.", init);
      if (choice === init) await initRepository();
      return undefined;
    }
    if (id) return { store: await storeOf(id, all), id };
    const items = await listAllSessions(all);
    if (items.length === 0) return void vscode.window.showInformationMessage("No sessions in this workspace yet.");
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.info.task, description: describe(i.info), item: i })),
      { placeHolder: "Pick a session" },
    );
    return picked ? { store: picked.item.store, id: picked.item.info.id } : undefined;
  };

  const onResume = async (store: SessionStore, id: string, options?: unknown) => {
    if (!resume) throw new Error("Sessions cannot be resumed in this window (no workbench).");
    try {
      return await resume(store, id, options);
    } finally {
      refresh();
    }
  };

  // The diff documents read blobs through the same kind of gate (and log) as the store.
  const contentGate = new GitGate({ log: (line) => log().trace(line) });
  const disposables: vscode.Disposable[] = [
    tree,
    vscode.window.createTreeView(sessionsViewId, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(gitContentScheme, new GitContentProvider(() => contentGate, async (path) => (await stores()).some((s) => s.repo.topLevel === path))),
    vscode.workspace.onDidChangeWorkspaceFolders(refresh),
    ...registerSessionCommands({ locate, refresh, initRepository, onResume }),
    registerExportCommand(locate, idOf),
  ];
  return { api: { stores, storeOf: (id) => storeOf(id), refresh }, disposables };
}

function describe(info: SessionInfo): string {
  return `${statusLabels[info.status]} · ${info.steps} steps · ${info.branch}`;
}
