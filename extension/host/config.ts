// Typed reads of the model settings (package.json contributes them).
import * as vscode from "vscode";
import type { GpuChoice } from "../../native/protocol";
import { TOOL_CALL_FORMATS, type ToolCallFormatSetting } from "../core/prompt";

export interface ModelSettings {
  /** infiniteToolUse.model.path: a local GGUF file; always used when set. */
  path: string;
  /** 0 lets the host choose for the machine. */
  threads: number;
  gpu: GpuChoice;
  /** infiniteToolUse.model.downloadEndpoint: base URL for hf: downloads; undefined is huggingface.co. */
  downloadEndpoint?: string;
  /** infiniteToolUse.model.toolCallFormat: "auto" for an unknown value. */
  toolCallFormat: ToolCallFormatSetting;
  /** infiniteToolUse.model.contextSize: 0 or less lets the host choose. */
  contextSize: number;
}

export function readModelSettings(): ModelSettings {
  const config = vscode.workspace.getConfiguration("infiniteToolUse.model");
  return {
    path: config.get<string>("path", "").trim(),
    threads: Math.max(0, Math.floor(config.get<number>("threads", 0))),
    // The GPU is used when node-llama-cpp's prebuilt binaries find one; CPU otherwise.
    gpu: "auto",
    downloadEndpoint: config.get<string>("downloadEndpoint", "").trim() || undefined,
    toolCallFormat: toolCallFormat(config.get<string>("toolCallFormat", "auto")),
    contextSize: config.get<number>("contextSize", 0),
  };
}

function toolCallFormat(value: string): ToolCallFormatSetting {
  return value === "auto" || (TOOL_CALL_FORMATS as readonly string[]).includes(value) ? (value as ToolCallFormatSetting) : "auto";
}
