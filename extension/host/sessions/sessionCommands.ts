// The Sessions commands: review (multi-file diff of base...session), a step's own diff, accept
// (squash or keep steps), discard, rewind, resume, refresh, and initialising a repository. Each takes
// a session id (or a tree item) as its first argument; prompts can be answered up front with an
// options object, which is how the integration tests drive them.
import * as vscode from "vscode";
import type { ChangedFile, SessionStore } from "../../core/sessions/index";
import { registerCommand } from "../errors";
import { gitContentUri } from "./gitContent";
import type { SessionsNode } from "./sessionsView";

export const sessionCommandIds = {
  refresh: "infiniteToolUse.sessions.refresh",
  review: "infiniteToolUse.sessions.review",
  openStepDiff: "infiniteToolUse.sessions.openStepDiff",
  accept: "infiniteToolUse.sessions.accept",
  discard: "infiniteToolUse.sessions.discard",
  rewind: "infiniteToolUse.sessions.rewind",
  resume: "infiniteToolUse.sessions.resume",
  initRepository: "infiniteToolUse.sessions.initRepository",
} as const;

export interface AcceptArgs {
  readonly squash?: boolean;
  readonly message?: string;
}
export interface ConfirmArgs {
  readonly confirmed?: boolean;
}

export interface SessionCommandContext {
  /** The store holding `id`, or the user picks a session when `id` is missing. */
  locate(id?: string): Promise<{ store: SessionStore; id: string } | undefined>;
  refresh(): void;
  initRepository(): Promise<unknown>;
  /** Continues the session (the agent loop hooks in here); `options` is the command's second argument. */
  onResume(store: SessionStore, id: string, options?: unknown): Promise<unknown>;
}

type Resource = [vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined];

export function idOf(arg: unknown): string | undefined {
  if (typeof arg === "string") return arg;
  const node = arg as Partial<Extract<SessionsNode, { kind: "session" }>> | undefined;
  return node?.info?.id;
}

export function diffResources(store: SessionStore, files: readonly ChangedFile[], left: string, right: string): Resource[] {
  const repo = store.repo.topLevel;
  return files.map((f) => [
    vscode.Uri.joinPath(vscode.Uri.file(repo), f.path),
    // An added (deleted) file reads as empty on the left (right): every file gets a two-sided diff.
    gitContentUri(repo, left, f.from ?? f.path),
    gitContentUri(repo, right, f.path),
  ]);
}

export function registerSessionCommands(ctx: SessionCommandContext): vscode.Disposable[] {
  return [
    registerCommand(sessionCommandIds.refresh, () => ctx.refresh()),
    registerCommand(sessionCommandIds.initRepository, () => ctx.initRepository()),
    registerCommand(sessionCommandIds.review, async (arg) => {
      const found = await ctx.locate(idOf(arg));
      if (!found) return undefined;
      const { store, id } = found;
      const trace = await store.readTrace(id);
      const files = await store.changedFiles(id);
      if (files.length === 0) return void vscode.window.showInformationMessage(`Session "${trace.header.task}" changed no file.`);
      const title = `Session: ${trace.header.task.slice(0, 60)} (${trace.header.base.ref ?? trace.header.base.commit.slice(0, 8)}...${trace.header.branch})`;
      await vscode.commands.executeCommand("vscode.changes", title, diffResources(store, files, trace.header.base.commit, await store.sessionTip(id, trace.header)));
      return title;
    }),
    registerCommand(sessionCommandIds.openStepDiff, async (arg, stepArg) => {
      const found = await ctx.locate(idOf(arg));
      if (!found || typeof stepArg !== "number") return undefined;
      const { store, id } = found;
      const step = (await store.readTrace(id)).steps[stepArg - 1];
      if (!step?.commit) return void vscode.window.showInformationMessage(`Step ${stepArg} changed no file.`);
      const files = await store.changedFiles(id, stepArg);
      const parent = (await store.git.run(store.repo.topLevel, ["rev-parse", `${step.commit}^`])).trim();
      const title = `Step ${stepArg}: ${step.call.tool}`;
      await vscode.commands.executeCommand("vscode.changes", title, diffResources(store, files, parent, step.commit));
      return title;
    }),
    registerCommand(sessionCommandIds.accept, async (arg, options) => {
      const found = await ctx.locate(idOf(arg));
      if (!found) return undefined;
      const args = (options ?? {}) as AcceptArgs;
      const squash = args.squash ?? (await askSquash());
      if (squash === undefined) return undefined;
      const result = await found.store.accept(found.id, { squash, ...(args.message ? { message: args.message } : {}) });
      ctx.refresh();
      void vscode.window.showInformationMessage(`Accepted into ${result.base} (${result.commit.slice(0, 8)}).`);
      return result;
    }),
    registerCommand(sessionCommandIds.discard, async (arg, options) => {
      const found = await ctx.locate(idOf(arg));
      if (!found) return undefined;
      const info = await found.store.info(found.id);
      const confirmed = (options as ConfirmArgs | undefined)?.confirmed ?? (await confirm(`Discard session "${info.task}"? Its branch ${info.branch}, worktree and snapshots are deleted.`, "Discard"));
      if (!confirmed) return false;
      await found.store.discard(found.id);
      ctx.refresh();
      return true;
    }),
    registerCommand(sessionCommandIds.rewind, async (arg, stepArg) => {
      const found = await ctx.locate(idOf(arg));
      if (!found) return undefined;
      const info = await found.store.info(found.id);
      const step = typeof stepArg === "number" ? stepArg : await askStep(info.steps);
      if (step === undefined) return undefined;
      const result = await found.store.rewind(found.id, step);
      ctx.refresh();
      void vscode.window.showInformationMessage(`Rewound to step ${step}; the later steps are kept under ${result.backup.branch}.`);
      return result;
    }),
    registerCommand(sessionCommandIds.resume, async (arg, options) => {
      const found = await ctx.locate(idOf(arg));
      if (!found) return undefined;
      return ctx.onResume(found.store, found.id, options);
    }),
  ];
}

async function askSquash(): Promise<boolean | undefined> {
  const squash = "Squash into one commit";
  const keep = "Keep every step";
  const choice = await vscode.window.showQuickPick([squash, keep], { placeHolder: "How should the session land on its base branch?" });
  return choice === undefined ? undefined : choice === squash;
}

async function confirm(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

async function askStep(max: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt: `Rewind to which step (0-${max})? Later steps stay reachable.`,
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) <= max ? undefined : `A whole number from 0 to ${max}`),
  });
  return text === undefined ? undefined : Number(text);
}
