// Activation only: wire the pieces together and measure what it cost. Nothing heavy (the model
// runtime, tree-sitter, git) is loaded here; each is loaded when first needed.
import * as vscode from "vscode";
import { registerCommands } from "./host/commands";
import { registerCommand, reportError } from "./host/errors";
import type { ExtensionApi } from "./host/extensionApi";
import { createLog } from "./host/log";
import { registerSessions } from "./host/sessions/index";
import { ModelService } from "./host/model/modelService";
import { chooseModelFile, chooseModelFileCommandId, pickModel, pickModelCommandId } from "./host/model/pickModel";
import { statusBarText } from "./host/panel/panelState";
import { AgentStatusBar } from "./host/panel/statusBar";
import { TaskPanelProvider, taskPanelViewId } from "./host/panel/taskPanel";
import { createHostToolExecutor, type HostToolOptions } from "./host/tools";
import { createWorkbench } from "./host/workbench";
import { resumeOptionsFrom } from "./host/run/resumeSession";
import { showConfiguredModel } from "./host/firstRun";

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const log = createLog();
  try {
    const statusBar = new AgentStatusBar();
    // Cheap: the model host process starts on first use, not here.
    const model = new ModelService(context.extensionPath);
    // Cheap: git runs only when the Sessions view or a session command is used.
    // Resume runs through the workbench, created just below (the handler is called only later).
    const sessions = registerSessions((store, id, options) => workbench.resume(id, resumeOptionsFrom(options), store));
    const workbench = createWorkbench(context, model, { storeOf: (id) => sessions.api.storeOf(id), changed: () => sessions.api.refresh() });
    const taskPanel = new TaskPanelProvider(context.extensionUri, String(context.extension.packageJSON.version), (m) => workbench.onPanelMessage(m));
    workbench.attachPanel(taskPanel);
    const showSessionInStatusBar = taskPanel.state.onDidChange(() => {
      const snapshot = taskPanel.state.snapshot();
      const { text, busy } = statusBarText(snapshot);
      const detail = snapshot.model.detail;
      statusBar.set(text, busy, detail?.startsWith("engine: ") ? detail : undefined);
    });
    context.subscriptions.push(
      log,
      statusBar,
      taskPanel,
      showSessionInStatusBar,
      showConfiguredModel(taskPanel.state, model),
      workbench,
      model,
      vscode.window.registerWebviewViewProvider(taskPanelViewId, taskPanel, { webviewOptions: { retainContextWhenHidden: false } }),
      ...registerCommands(workbench),
      registerCommand(pickModelCommandId, () => pickModel(model, context.globalStorageUri.fsPath)),
      registerCommand(chooseModelFileCommandId, () => chooseModelFile(model)),
      ...sessions.disposables,
    );
    const activationMs = performance.now() - started;
    log.info(`activated in ${activationMs.toFixed(1)} ms`);
    const tools = { createExecutor: (options?: HostToolOptions) => createHostToolExecutor(context.extensionPath, options) };
    return { taskPanel, activationMs, tools, model, sessions: sessions.api, workbench };
  } catch (error) {
    // VS Code does not show activation errors to the user by itself.
    void reportError("Infinite Tool Use failed to activate", error);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
