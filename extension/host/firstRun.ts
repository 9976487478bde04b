// A first run: no model is chosen yet. Starting a task then is not a failure to report in red but a
// step the user has not taken: say so, and offer the two ways to take it.
import { basename } from "node:path";
import * as vscode from "vscode";
import { chooseModelFileCommandId, pickModelCommandId } from "./model/pickModel";
import { readEngineUrl, readModelSettings } from "./config";
import type { ModelService } from "./model/modelService";
import type { PanelState } from "./panel/panelState";
import type { TaskPanelProvider } from "./panel/taskPanel";

export const chooseModelFirst = "Choose a model first: Infinite Tool Use runs a local GGUF model, picked from the catalog or from your files.";

export function modelChosen(): boolean {
  // A llama-server brings its own model.
  return readModelSettings().path.trim() !== "" || readEngineUrl() !== "";
}

/** Says a model is needed (panel status and a notification with both choices); resolves to undefined. */
export async function offerModelChoice(panel: TaskPanelProvider | undefined): Promise<undefined> {
  panel?.post({ type: "status", text: "Choose a model first (Pick Model or Choose GGUF File above).", busy: false });
  // The command returns at once: a caller (a keybinding, a script, a test) must not wait on a
  // notification the user may never answer.
  void vscode.window.showInformationMessage(chooseModelFirst, "Pick Model…", "Choose GGUF File…").then(async (choice) => {
    if (choice === "Pick Model…") await vscode.commands.executeCommand(pickModelCommandId);
    if (choice === "Choose GGUF File…") await vscode.commands.executeCommand(chooseModelFileCommandId);
  });
  return undefined;
}

/**
 * Keeps the panel's model line in step with the model.path setting while no model is loaded: the
 * chosen file's name (loaded when a task starts), or nothing (the welcome).
 */
export function showConfiguredModel(state: PanelState, models: ModelService): vscode.Disposable {
  const show = () => {
    const { state: now } = state.snapshot().model;
    if (now === "loading" || now === "downloading" || now === "ready") return;
    const path = readModelSettings().path.trim();
    state.model(path ? { name: basename(path), state: "none", detail: "loads when a task starts" } : { name: "", state: "none" });
  };
  show();
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("infiniteToolUse.model.path")) show();
    }),
    models.onDidLoad((info) => state.model({ name: info.name, state: "ready", detail: `${info.architecture} · ${info.kind} · ${info.backend}` })),
  );
}
