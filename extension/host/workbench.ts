// The extension's long-lived state: the running session (at most one per window), the task panel and
// the status bar. Commands and panel messages land here.
import * as vscode from "vscode";
import type { PanelCommand, WebviewMessage } from "../../webview/protocol";
import type { SessionEnd } from "../core/agent";
import { describeSessionEnd } from "../core/agent/endMessage";
import type { HeadlessRequest, HeadlessResult, HeadlessResume } from "../core/headless";
import { taskText, type Task } from "../core/issues";
import type { ModelStream } from "../core/agent";
import type { SessionStore } from "../core/sessions";
import type { CommandHandlers } from "./commands";
import { commandIds } from "./commands";
import { openSessionStore, readEngineUrl, readModelSettings } from "./config";
import { serverModelOpener } from "./model/serverModelOpener";
import { log } from "./log";
import type { ModelService } from "./model/modelService";
import { chooseModelFileCommandId, pickModelCommandId } from "./model/pickModel";
import { modelChosen, offerModelChoice } from "./firstRun";
import { panelModelOpener, runInHost, type RunningSession } from "./run/sessionRun";
import type { ResumedSession, ResumeOptions } from "./run/resumeSession";
import { sessionCommandIds } from "./sessions/sessionCommands";
import { pickIssueTask, solveIssueFrom } from "./solveIssue";
import type { TaskPanelProvider } from "./panel/taskPanel";
import { errorMessage } from "../core/errorMessage";

export interface StartOptions {
  readonly issueNumber?: number;
  /** Names the branch (an issue's title). */
  readonly title?: string;
  /** Replay a trace file or a session branch instead of running the model. */
  readonly replay?: string;
  /** A GGUF file to use instead of the configured model. */
  readonly model?: string;
  /** A llama-server URL to run on instead of infiniteToolUse.engine.url (the headless run's --engine). */
  readonly engine?: string;
  /** A branch or commit to start from instead of HEAD (from-git --check replays from a commit's parent). */
  readonly base?: string;
}

export interface Workbench extends CommandHandlers, vscode.Disposable {
  attachPanel(panel: TaskPanelProvider): void;
  onPanelMessage(message: WebviewMessage): Promise<void>;
  /** Starts a session and returns once it runs; `done` settles when it ends. */
  start(task: string, options?: StartOptions): Promise<RunningSession>;
  /** Continues a recorded, unfinished session (Sessions view → Resume) of `store` (default: the
   * workspace folder's store that holds it); returns once it runs. */
  resume(sessionId: string, options?: ResumeOptions, store?: SessionStore): Promise<ResumedSession>;
  readonly current: RunningSession | undefined;
  runHeadless(request: HeadlessRequest): Promise<HeadlessResult>;
}

/** The panel's command buttons, as VS Code commands. */
const panelCommands: Record<PanelCommand, string> = {
  solveIssue: commandIds.solveIssue,
  reviewSession: commandIds.reviewSession,
  showLog: commandIds.showLog,
  manageWorkspaceTrust: "workbench.trust.manage",
  chooseModelFile: chooseModelFileCommandId,
};

/** The workspace's session stores: `storeOf` finds the one holding a session; `changed` refreshes the
 * Sessions view when a session starts or ends. */
export interface WorkbenchSessions {
  storeOf(sessionId: string): Promise<SessionStore>;
  changed(): void;
}

/** A new session works on the first workspace folder's repository. */
function startFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("open a folder first: a session works on a git repository");
  return folder;
}

export function createWorkbench(context: vscode.ExtensionContext, models: ModelService, sessions: WorkbenchSessions): Workbench {
  let panel: TaskPanelProvider | undefined;
  let trustListener: vscode.Disposable | undefined;
  let current: RunningSession | undefined;
  /** The ended session's model stream, kept (for inspection) until the next session starts. */
  let idleModel: ModelStream | undefined;

  /** Refuses a second session; frees the ended session's idle model stream before the next one. */
  function readyPanel(): TaskPanelProvider {
    if (current) throw new Error(`a session is already running (${current.session.branch}): stop it first`);
    if (!panel) throw new Error("the task panel is not ready");
    void idleModel?.dispose().catch(() => undefined);
    idleModel = undefined;
    return panel;
  }

  /** Holds `running` as the current session until it ends, then announces the end. */
  function track(running: RunningSession): RunningSession {
    current = running;
    sessions.changed();
    void running.done.then((end) => {
      if (current === running) current = undefined;
      // Only one idle model stream is kept; the session's snapshots stay on disk either way.
      idleModel = running.model;
      sessions.changed();
      void announceEnd(running, end);
    });
    return running;
  }

  async function start(task: string, options: StartOptions = {}): Promise<RunningSession> {
    const taskPanel = readyPanel();
    const request = {
      kind: "start" as const,
      task,
      ...(options.issueNumber !== undefined ? { issueNumber: options.issueNumber } : {}),
      ...(options.title ? { title: options.title } : {}),
      ...(options.replay ? { replay: options.replay } : {}),
      ...(options.base ? { base: options.base } : {}),
    };
    const store = await openSessionStore(startFolder());
    const engine = options.engine ?? readEngineUrl();
    const model = engine && !options.model ? serverModelOpener(engine, taskPanel.state) : panelModelOpener(models, options.model, taskPanel.state);
    return track(await runInHost(request, { extensionPath: context.extensionPath, store, panel: taskPanel.state, model }));
  }

  async function resume(sessionId: string, options: ResumeOptions = {}, store?: SessionStore): Promise<ResumedSession> {
    const taskPanel = readyPanel();
    // The model the sessions run with (the configured one) rather than whatever was loaded last.
    const engine = options.engine ?? readEngineUrl();
    const path = options.model ?? (readModelSettings().path || models.modelInfo?.path);
    const request = { kind: "resume" as const, sessionId, ...(options.replay ? { replay: options.replay } : {}), ...(options.paused ? { paused: true } : {}) };
    const host = { extensionPath: context.extensionPath, store: store ?? (await sessions.storeOf(sessionId)), panel: taskPanel.state };
    const model = engine && !options.model ? serverModelOpener(engine, taskPanel.state) : path ? panelModelOpener(models, path, taskPanel.state) : undefined;
    return track(await runInHost(request, model ? { ...host, model } : host));
  }

  async function announceEnd(running: RunningSession, end: SessionEnd): Promise<void> {
    const text = describeSessionEnd(end);
    const show = end.reason === "error" ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    const choice = await show(text.length > 400 ? `${text.slice(0, 399)}…` : text, "Review", "Open Log");
    if (choice === "Review") await vscode.commands.executeCommand(sessionCommandIds.review, running.session.id);
    if (choice === "Open Log") log().show(true);
  }

  const workbench: Workbench = {
    get current() {
      return current;
    },
    attachPanel(p) {
      panel = p;
      // Restricted Mode shows a notice in the panel until the user trusts the workspace.
      p.state.trust(vscode.workspace.isTrusted);
      trustListener?.dispose();
      trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => p.state.trust(true));
    },
    start,
    resume,
    async onPanelMessage(message) {
      switch (message.type) {
        case "startTask":
          await vscode.commands.executeCommand(commandIds.startTask, message.task);
          break;
        case "stop":
          await vscode.commands.executeCommand(commandIds.stop);
          break;
        case "pause":
          current?.run.pause();
          break;
        case "resume":
          current?.run.resume();
          break;
        case "pickModel":
          await vscode.commands.executeCommand(pickModelCommandId);
          break;
        case "command":
          await vscode.commands.executeCommand(panelCommands[message.command]);
          break;
        case "sessionAction": {
          const command = { review: sessionCommandIds.review, accept: sessionCommandIds.accept, discard: sessionCommandIds.discard }[message.action];
          const result = await vscode.commands.executeCommand(command, message.sessionId);
          if (message.action !== "review" && result) panel?.state.clearSession();
          break;
        }
        default:
          break;
      }
    },
    async startTask(task) {
      const text = task ?? (await vscode.window.showInputBox({ prompt: "What should the agent do?", ignoreFocusOut: true }));
      if (!text?.trim()) return undefined;
      if (!modelChosen()) return offerModelChoice(panel);
      const running = await start(text.trim());
      return running.session.branch;
    },
    async solveIssue(source, options) {
      // With a source (automation, tests) no picker is shown; options may ask for a replay.
      const task: Task | undefined = source ? await solveIssueFrom(source) : await pickIssueTask();
      if (!task) return undefined;
      if (!options?.replay && !modelChosen()) return offerModelChoice(panel);
      const running = await start(taskText(task), {
        title: task.title,
        ...(task.issueNumber !== undefined ? { issueNumber: task.issueNumber } : {}),
        ...(options?.replay ? { replay: options.replay } : {}),
      });
      return running.session.branch;
    },
    async reviewSession() {
      return vscode.commands.executeCommand(sessionCommandIds.review, current?.session.id);
    },
    async stop() {
      if (!current) return undefined;
      return current.run.stop();
    },
    async runHeadless(request) {
      try {
        const options = { ...(request.replay ? { replay: request.replay } : {}), ...(request.model ? { model: request.model } : {}), ...(request.engine ? { engine: request.engine } : {}) };
        const running = request.resume
          ? await resume(request.resume, options)
          : await start(request.task, { ...(request.issueNumber !== undefined ? { issueNumber: request.issueNumber } : {}), ...options });
        const end = await running.done;
        const resumed = request.resume ? { resumed: await resumeReport(running) } : {};
        return { ok: end.reason === "finished", reason: end.reason, message: end.message, branch: running.session.branch, sessionId: running.session.id, steps: end.steps, tokens: end.tokens, ...(end.summary ? { summary: end.summary } : {}), ...resumed };
      } catch (error) {
        return { ok: false, reason: "error", message: errorMessage(error), steps: 0 };
      }
    },
    dispose() {
      void current?.run.stop();
      trustListener?.dispose();
      panel = undefined;
    },
  };
  return workbench;
}

/** How an ended resumed run picked up. `restored` never settles when the run stopped before its
 * restore was attempted: that counts as not restored. */
async function resumeReport(running: RunningSession): Promise<HeadlessResume> {
  const restored = await Promise.race([running.restored, Promise.resolve(false)]);
  return { afterStep: running.resumedAfterStep, ...(running.snapshotStep !== undefined ? { snapshotStep: running.snapshotStep } : {}), reappendedSteps: running.reappendedSteps, restored };
}
