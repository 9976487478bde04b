// What a user can do when a catalog download fails, by why it failed. No vscode import: the words and
// the offered actions are plain data (unit-tested); pickModel.ts shows them and acts on the choice.

export type DownloadFailureAction = "Retry" | "Set Download Mirror…" | "Choose GGUF File…";

export interface DownloadFailure {
  /** One sentence: what failed, and why in words. */
  text: string;
  actions: DownloadFailureAction[];
  /** False for a full disk: a mirror cannot help there. */
  network: boolean;
}

/** The codes the model host gives a download that could not complete (native/engine/errors.ts). */
export const downloadFailureCodes = new Set(["NETWORK", "HTTP_STATUS", "DISK_FULL", "NOT_FOUND", "LOAD_FAILED"]);

function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.\s]+$/, "");
  return `${trimmed.charAt(0).toLowerCase()}${trimmed.slice(1)}.`;
}

export function describeDownloadFailure(modelName: string, code: string, message: string): DownloadFailure {
  const text = `Cannot download ${modelName}: ${sentence(message)}`;
  if (code === "DISK_FULL") return { text, actions: ["Retry", "Choose GGUF File…"], network: false };
  return { text, actions: ["Retry", "Set Download Mirror…", "Choose GGUF File…"], network: true };
}
