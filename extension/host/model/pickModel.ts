// "Pick Model": a catalog model (downloaded by the host with a progress notification, then set as
// infiniteToolUse.model.path) or a local GGUF file. The path setting stays the one source of truth.
import { totalmem } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { describeCatalogModel, MODEL_CATALOG, type CatalogModel } from "./catalog";
import { ModelHostError } from "./hostErrors";
import type { ModelService } from "./modelService";
import { withCancellableProgress } from "./progress";
import { readModelSettings } from "../config";

export const pickModelCommandId = "infiniteToolUse.pickModel";

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
  let path: string | undefined;
  if (choice.localFile) {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "GGUF models": ["gguf"] }, title: "Pick a GGUF model" });
    path = files?.[0]?.fsPath;
  } else if (choice.model) {
    path = await downloadCatalogModel(service, storageDir, choice.model);
  }
  if (!path) return undefined;
  await setModelPath(path);
  await service.loadModel(path);
  return path;
}
