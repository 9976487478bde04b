// The extension's long-lived state: the running session (at most one per window), the task panel and
// the status bar. Commands and panel messages land here.
import * as vscode from "vscode";
import type { PanelCommand, WebviewMessage } from "../../webview/protocol";
import type { SessionEnd } from "../core/agent";
import type { HeadlessRequest, HeadlessResult } from "../core/headless";
import { taskText, type Task } from "../core/issues";
import type { CommandHandlers } from "./commands";
import { commandIds } from "./commands";
import { log } from "./log";
import { createRemoteModelPolicy } from "./model/remoteModelPolicy";
import type { ModelService } from "./model/modelService";
import { pickModelCommandId } from "./model/pickModel";
import { readModelSettings } from "./model/settings";
import { startSession, type RunningSession, type SessionRequest } from "./sessionRunner";
import { remoteModelForResume, resumeSession, type ResumedSession, type ResumeOptions } from "./resumeSession";
import { sessionCommandIds } from "./sessions/sessionCommands";
import { pickIssueTask, solveIssueFrom } from "./solveIssue";
import type { TaskPanelProvider } from "./taskPanel";
import { errorMessage } from "../core/errorMessage";
import type { ModelInfo } from "../../native/protocol";

export interface StartOptions {
  readonly issueNumber?: number;
  /** Names the branch (an issue's title). */
  readonly title?: string;
  /** Replay a trace file or a session branch instead of running the model. */
  readonly replay?: string;
  /** A GGUF file to use instead of the configured model. */
  readonly model?: string;
  /** A branch or commit to start from instead of HEAD (from-git --check replays from a commit's parent). */
  readonly base?: string;
}

export interface Workbench extends CommandHandlers, vscode.Disposable {
  attachPanel(panel: TaskPanelProvider): void;
  onPanelMessage(message: WebviewMessage): Promise<void>;
  /** Starts a session and returns once it runs; `done` settles when it ends. */
  start(task: string, options?: StartOptions): Promise<RunningSession>;
  /** Continues a recorded, unfinished session (Sessions view → Resume); returns once it runs. */
  resume(sessionId: string, options?: ResumeOptions): Promise<ResumedSession>;
  readonly current: RunningSession | undefined;
  runHeadless(request: HeadlessRequest): Promise<HeadlessResult>;
}

/** The panel's command buttons, as VS Code commands. */
const panelCommands: Record<PanelCommand, string> = {
  solveIssue: commandIds.solveIssue,
  reviewSession: commandIds.reviewSession,
  showLog: commandIds.showLog,
  manageWorkspaceTrust: "workbench.trust.manage",
};

const endTitles: Record<SessionEnd["reason"], string> = {
  finished: "Session finished",
  budget: "Session stopped at its budget",
  cancelled: "Session stopped",
  repeat: "Session stopped: the model repeated itself",
  error: "Session failed",
};

/** `sessionsChanged` refreshes the Sessions view when a session starts or ends. */
export function createWorkbench(context: vscode.ExtensionContext, models: ModelService, sessionsChanged: () => void): Workbench {
  let panel: TaskPanelProvider | undefined;
  let trustListener: vscode.Disposable | undefined;
  let current: RunningSession | undefined;
  let idleModelSession: string | undefined;

  /** Refuses a second session; frees the ended session's idle model state before the next one. */
  function readyPanel(): TaskPanelProvider {
    if (current) throw new Error(`a session is already running (${current.session.branch}): stop it first`);
    if (!panel) throw new Error("the task panel is not ready");
    if (idleModelSession) void models.client.disposeSession(idleModelSession).catch(() => undefined);
    idleModelSession = undefined;
    return panel;
  }

  /** Holds `running` as the current session until it ends, then announces the end. */
  function track<T extends RunningSession>(running: T, modelSessionId: () => string | undefined): T {
    current = running;
    sessionsChanged();
    void running.done.then((end) => {
      if (current === running) current = undefined;
      // The ended session's model state stays in the host (for inspection) until the next session
      // starts; only one idle state is kept. Its snapshots stay on disk either way.
      idleModelSession = modelSessionId();
      sessionsChanged();
      void announceEnd(running, end);
    });
    return running;
  }

  function modelReady(info: ModelInfo): void {
    panel?.state.model({ name: info.name, state: "ready", detail: `${info.architecture} · ${info.kind} · ${info.backend}` });
  }

  async function start(task: string, options: StartOptions = {}): Promise<RunningSession> {
    const taskPanel = readyPanel();
    let modelSessionId: string | undefined;
    const request: SessionRequest = {
      task,
      ...(options.issueNumber !== undefined ? { issueNumber: options.issueNumber } : {}),
      ...(options.title ? { title: options.title } : {}),
      ...(options.replay ? { replay: options.replay } : {}),
      ...(options.base ? { base: options.base } : {}),
      modelPolicy: async (windowContext) => {
        // The panel's model line follows the load (the notification shows it too).
        const name = (options.model ?? readModelSettings().path).split(/[\\/]/).pop() ?? "";
        panel?.state.model({ name, state: "loading", progress: 0 });
        const offProgress = models.client.onLoadProgress(({ fraction }) => panel?.state.model({ name, state: "loading", progress: Math.min(1, Math.max(0, fraction)) }));
        try {
          const { policy, info, sessionId } = await createRemoteModelPolicy(models, options.model, windowContext);
          modelSessionId = sessionId;
          modelReady(info);
          return policy;
        } catch (error) {
          panel?.state.model({ name, state: "error", detail: errorMessage(error) });
          throw error;
        } finally {
          offProgress();
        }
      },
    };
    return track(await startSession(context.extensionPath, request, taskPanel.state), () => modelSessionId);
  }

  async function resume(sessionId: string, options: ResumeOptions = {}): Promise<ResumedSession> {
    const taskPanel = readyPanel();
    const model = remoteModelForResume(models, options.model, modelReady);
    const request = { sessionId, ...(options.replay ? { replay: options.replay } : {}), ...(options.paused ? { paused: true } : {}), ...model };
    const running = await resumeSession(context.extensionPath, request, taskPanel.state);
    return track(running, () => running.modelSessionId);
  }

  async function announceEnd(running: RunningSession, end: SessionEnd): Promise<void> {
    const text = `${endTitles[end.reason]} after ${end.steps} steps: ${end.summary ?? end.message}`;
    const show = end.reason === "error" ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    const choice = await show(text.slice(0, 300), "Review", "Open Log");
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
      const running = await start(text.trim());
      return running.session.branch;
    },
    async solveIssue(source, options) {
      // With a source (automation, tests) no picker is shown; options may ask for a replay.
      const task: Task | undefined = source ? await solveIssueFrom(source) : await pickIssueTask();
      if (!task) return undefined;
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
        const running = await start(request.task, {
          ...(request.issueNumber !== undefined ? { issueNumber: request.issueNumber } : {}),
          ...(request.replay ? { replay: request.replay } : {}),
          ...(request.model ? { model: request.model } : {}),
        });
        const end = await running.done;
        return { ok: end.reason === "finished", reason: end.reason, message: end.message, branch: running.session.branch, steps: end.steps, ...(end.summary ? { summary: end.summary } : {}) };
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
