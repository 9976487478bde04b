// "Pick Model": a catalog model (downloaded by the host with a progress notification, then set as
// infiniteToolUse.model.path) or a local GGUF file. The path setting stays the one source of truth.
import { totalmem } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { describeCatalogModel, MODEL_CATALOG, type CatalogModel } from "./catalog";
import { describeDownloadFailure, downloadFailureCodes } from "./downloadFailure";
import { ModelHostError } from "./hostErrors";
import { log } from "../log";
import type { ModelService } from "./modelService";
import { withCancellableProgress } from "./progress";
import { readModelSettings } from "../config";

export const pickModelCommandId = "infiniteToolUse.pickModel";
export const chooseModelFileCommandId = "infiniteToolUse.chooseModelFile";

interface PickItem extends vscode.QuickPickItem {
  model?: CatalogModel;
  localFile?: true;
}

async function setModelPath(path: string): Promise<void> {
  await vscode.workspace.getConfiguration("infiniteToolUse.model").update("path", path, vscode.ConfigurationTarget.Global);
}

/**
 * Downloads a catalog model into the extension's global storage, with a cancellable progress
 * notification. Cancelling keeps the partial file, so picking the model again resumes it; returns
 * undefined then.
 */
export async function downloadCatalogModel(service: ModelService, storageDir: string, model: CatalogModel): Promise<string | undefined> {
  await service.ensureStarted();
  const directory = join(storageDir, "models");
  const downloaded = await withCancellableProgress(`Downloading ${model.name}`, async (report, signal) => {
    try {
      const result = await service.client.downloadModel(
        { uri: model.uri, directory, sha256: model.sha256, huggingFaceEndpoint: readModelSettings().downloadEndpoint },
        {
          signal,
          onProgress: (done, total) => {
            const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
            report(percent, `${(done / 1e6).toFixed(0)} / ${(total / 1e6).toFixed(0)} MB`);
          },
        },
      );
      return result.path;
    } catch (error) {
      if (error instanceof ModelHostError && error.code === "CANCELLED") return undefined;
      throw error;
    }
  });
  if (downloaded === undefined) {
    void vscode.window.showInformationMessage(`Download of ${model.name} cancelled. Pick it again to resume where it stopped.`);
  }
  return downloaded;
}

/**
 * Downloads a catalog model; when that fails (no connection, a mirror's error, a full disk) says why
 * in one sentence and offers what works: Retry, the download-mirror setting, a local GGUF file.
 * Returns the path of the model to use, or undefined.
 */
async function downloadOrOfferAlternatives(service: ModelService, storageDir: string, model: CatalogModel): Promise<string | undefined> {
  for (;;) {
    try {
      return await downloadCatalogModel(service, storageDir, model);
    } catch (error) {
      if (!(error instanceof ModelHostError) || !downloadFailureCodes.has(error.code)) throw error;
      log().warn(`download of ${model.uri} failed (${error.code}): ${error.message}`);
      const failure = describeDownloadFailure(model.name, error.code, error.message);
      const choice = await vscode.window.showErrorMessage(failure.text, ...failure.actions);
      if (choice === "Retry") continue;
      if (choice === "Choose GGUF File…") return chooseLocalFile();
      if (choice === "Set Download Mirror…") await vscode.commands.executeCommand("workbench.action.openSettings", "infiniteToolUse.model.downloadEndpoint");
      return undefined;
    }
  }
}

async function chooseLocalFile(): Promise<string | undefined> {
  const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "GGUF models": ["gguf"] }, title: "Choose a GGUF model file" });
  return files?.[0]?.fsPath;
}

/** Choose GGUF File: a local model, set as infiniteToolUse.model.path and loaded. */
export async function chooseModelFile(service: ModelService): Promise<string | undefined> {
  return useModel(service, await chooseLocalFile());
}

async function useModel(service: ModelService, path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  await setModelPath(path);
  await service.loadModel(path);
  return path;
}

/** The command: returns the chosen model path (also written to the setting), or undefined. */
export async function pickModel(service: ModelService, storageDir: string): Promise<string | undefined> {
  const ram = totalmem();
  const items: PickItem[] = [
    { label: "$(file) Use a local GGUF file…", localFile: true },
    { label: "Catalog", kind: vscode.QuickPickItemKind.Separator },
    ...MODEL_CATALOG.map((model) => ({
      label: model.name,
      description: model.ramBytes > ram ? "needs more RAM than this machine has" : undefined,
      detail: describeCatalogModel(model),
      model,
    })),
  ];
  const choice = await vscode.window.showQuickPick(items, { title: "Pick a model", matchOnDetail: true, ignoreFocusOut: true });
  if (!choice) return undefined;
  if (choice.localFile) return useModel(service, await chooseLocalFile());
  return choice.model ? useModel(service, await downloadOrOfferAlternatives(service, storageDir, choice.model)) : undefined;
}
