// Typed reads of the model settings (package.json contributes them).
import * as vscode from "vscode";
import type { GpuChoice } from "../../../native/protocol";

export interface ModelSettings {
  /** infiniteToolUse.model.path: a local GGUF file; always used when set. */
  path: string;
  /** 0 lets the host choose for the machine. */
  threads: number;
  gpu: GpuChoice;
  /** infiniteToolUse.model.downloadEndpoint: base URL for hf: downloads; undefined is huggingface.co. */
  downloadEndpoint?: string;
}

export function readModelSettings(): ModelSettings {
  const config = vscode.workspace.getConfiguration("infiniteToolUse.model");
  return {
    path: config.get<string>("path", "").trim(),
    threads: Math.max(0, Math.floor(config.get<number>("threads", 0))),
    // The GPU is used when node-llama-cpp's prebuilt binaries find one; CPU otherwise.
    gpu: "auto",
    downloadEndpoint: config.get<string>("downloadEndpoint", "").trim() || undefined,
  };
}
